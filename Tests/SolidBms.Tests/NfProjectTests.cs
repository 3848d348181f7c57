using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SolidBms.Tests;

/// <summary>The workstation (.nfproj) build stays in step with the sources and with the versions pinned in nf.props.</summary>
public class NfProjectTests
{
    [Theory]
    [InlineData("Firmware/Core/SolidBms.Core.nfproj")]
    [InlineData("Drivers/SolidBms.Drivers/SolidBms.Drivers.nfproj")]
    [InlineData("Firmware/App/SolidBms.Firmware.nfproj")]
    public void NfprojListsExactlyTheSourcesOnDisk(string nfproj)
    {
        string path = Path.Combine(Repo.Root, nfproj);
        string dir = Path.GetDirectoryName(path)!;
        var listed = XDocument.Load(path).Descendants().Where(e => e.Name.LocalName == "Compile")
            .Select(e => e.Attribute("Include")!.Value.Replace('\\', '/')).OrderBy(x => x).ToList();
        var onDisk = Directory.GetFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("obj/") && !f.StartsWith("bin/") && !f.StartsWith("Device/"))
            .OrderBy(x => x).ToList();
        Assert.True(onDisk.SequenceEqual(listed), $"{nfproj} is out of date: run scripts/nfproj.sh");
    }

    /// <summary>
    /// The interpreter bench lists the sources on disk and BoardTexts.g.cs, which scripts/nano-bench-texts.sh writes from
    /// board/. It is committed so that nanoFramework's real check compiles a clean clone (its build has no step to write
    /// it), and must equal what the script writes from today's board/ (<see cref="NanoBenchBoardTextsAreThoseOfBoardFiles"/>).
    /// </summary>
    [Fact]
    public void NanoBenchListsItsSourcesAndTheGeneratedBoardTexts()
    {
        const string generated = "BoardTexts.g.cs";
        string dir = Path.Combine(Repo.Root, "Tools/SolidBms.NanoBench");
        var listed = XDocument.Load(Path.Combine(dir, "SolidBms.NanoBench.nfproj")).Descendants().Where(e => e.Name.LocalName == "Compile")
            .Select(e => e.Attribute("Include")!.Value.Replace('\\', '/')).OrderBy(x => x, System.StringComparer.Ordinal).ToList();
        var expected = Directory.GetFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("obj/") && !f.StartsWith("bin/") && !f.StartsWith("plans/") && f != generated)
            .Append(generated).OrderBy(x => x, System.StringComparer.Ordinal).ToList();
        Assert.Equal(expected, listed);
    }

    [Fact]
    public void NanoBenchBoardTextsAreThoseOfBoardFiles()
    {
        string committed = Path.Combine(Repo.Root, "Tools/SolidBms.NanoBench/BoardTexts.g.cs");
        string fresh = Path.Combine(Path.GetTempPath(), $"boardtexts-{System.Guid.NewGuid():N}.cs");
        try
        {
            var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", $"scripts/nano-bench-texts.sh {fresh}") { WorkingDirectory = Repo.Root })!;
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
            Assert.True(File.ReadAllText(fresh) == File.ReadAllText(committed),
                "Tools/SolidBms.NanoBench/BoardTexts.g.cs is not what board/ gives: run bash scripts/nano-bench-texts.sh Tools/SolidBms.NanoBench/BoardTexts.g.cs and commit it");
        }
        finally { File.Delete(fresh); }
    }

    [Fact]
    public void PackagesConfigVersionsMatchNfProps()
    {
        var props = XDocument.Load(Path.Combine(Repo.Root, "nf.props"));
        string core = props.Descendants().First(e => e.Name.LocalName == "NfCoreLibraryVersion").Value;
        foreach (var config in Directory.GetFiles(Repo.Root, "packages.config", SearchOption.AllDirectories))
        {
            if (config.Contains("/obj/") || config.Contains("/bin/")) continue;
            var pkg = XDocument.Load(config).Descendants("package").First(p => p.Attribute("id")!.Value == "nanoFramework.CoreLibrary");
            Assert.Equal(core, pkg.Attribute("version")!.Value);
        }
        foreach (var nfproj in Directory.GetFiles(Repo.Root, "*.nfproj", SearchOption.AllDirectories))
            foreach (Match m in Regex.Matches(File.ReadAllText(nfproj), @"nanoFramework\.CoreLibrary\.([0-9.]+)\\lib"))
                Assert.Equal(core, m.Groups[1].Value);
    }
}
