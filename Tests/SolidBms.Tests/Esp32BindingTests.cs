using System;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SolidBms.Tests;

/// <summary>
/// The ESP32 binding and the device tests: built against nanoFramework (mscorlib + the compile-only reference
/// surface), the surface kept out of everything that runs, and the package pins in one place.
/// </summary>
public class Esp32BindingTests
{
    private static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    [Theory]
    [InlineData("Firmware/Esp32.Nano", "SolidBms.Esp32", "SolidBms.Esp32.Binding.Esp32I2cDevice")]
    [InlineData("Tests/SolidBms.DeviceTests.Nano", "SolidBms.DeviceTests", "SolidBms.DeviceTests.LoopPeriodTests")]
    [InlineData("Tools/SolidBms.NanoBench.Nano", "SolidBms.NanoBench", "SolidBms.NanoBench.Fakes.FakeBq76952")]
    public void CheckBuildsReferenceOnlyNanoFrameworkMscorlib(string project, string assembly, string expectedType)
    {
        string dll = Path.Combine(Repo.Root, project, "bin", Configuration, "netstandard2.0", assembly + ".dll");
        Assert.True(File.Exists(dll), "nano build output missing: " + dll);
        using var pe = new PEReader(File.OpenRead(dll));
        var md = pe.GetMetadataReader();
        foreach (var h in md.AssemblyReferences)
        {
            string name = md.GetString(md.GetAssemblyReference(h).Name);
            Assert.True(name == "mscorlib" || name.StartsWith("SolidBms."), $"{assembly} references {name}");
        }
        var types = md.TypeDefinitions.Select(t => md.GetTypeDefinition(t)).Select(t => md.GetString(t.Namespace) + "." + md.GetString(t.Name)).ToList();
        Assert.Contains(expectedType, types);
    }

    [Fact]
    public void NoHostProjectOrDeviceProjectIncludesTheReferenceSurface()
    {
        var allowed = new[] { "SolidBms.Esp32.Nano.csproj", "SolidBms.DeviceTests.Nano.csproj", "SolidBms.NanoBench.Nano.csproj" };
        var projects = Directory.EnumerateFiles(Repo.Root, "*.*proj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .ToList();
        Assert.Contains(projects, p => p.EndsWith("SolidBms.Esp32.nfproj"));
        foreach (var p in projects)
        {
            if (allowed.Contains(Path.GetFileName(p))) continue;
            string text = File.ReadAllText(p);
            Assert.DoesNotContain("NanoFrameworkReferenceSurface", text);
            // A host project compiling Firmware/Esp32 sources would drag the surface in by wildcard.
            if (p.EndsWith(".csproj")) Assert.DoesNotContain("Esp32/", text.Replace('\\', '/').Replace("Esp32.Nano", ""));
        }
    }

    [Fact]
    public void ReferenceSurfaceOnlyThrowsAndNamesItsListing()
    {
        var dir = Path.Combine(Repo.Root, "Firmware/Esp32/NanoFrameworkReferenceSurface");
        var files = Directory.GetFiles(dir, "*.cs");
        Assert.True(files.Length >= 8);
        foreach (var f in files)
        {
            string text = File.ReadAllText(f);
            Assert.Contains("Compile-only surface", text);
            // names the listing it is checked against (SurfaceListingTests does the checking)
            Assert.Contains("api/" + Path.GetFileNameWithoutExtension(f) + ".api.txt", text);
            // Every member body is a single throw: { throw new NotSupportedException(); }
            foreach (Match m in Regex.Matches(text, @"\)\s*\{([^{}]*)\}"))
                Assert.Matches(@"^\s*(throw new (System\.)?NotSupportedException\(\);)?\s*$", m.Groups[1].Value);
        }
    }

    [Theory]
    [InlineData("Firmware/Esp32/packages.config")]
    [InlineData("Tests/SolidBms.DeviceTests/packages.config")]
    [InlineData("Tools/SolidBms.NanoBench/packages.config")]
    public void PackagePinsMatchNfProps(string config)
    {
        var props = XDocument.Load(Path.Combine(Repo.Root, "nf.props")).Descendants()
            .Where(e => e.Name.LocalName.StartsWith("Nf") && e.Name.LocalName.EndsWith("Version"))
            .ToDictionary(e => e.Name.LocalName, e => e.Value.Trim());
        string PropertyFor(string id) => "Nf" + id.Replace("nanoFramework.", "").Replace(".", "") + "Version";
        var packages = XDocument.Load(Path.Combine(Repo.Root, config)).Descendants("package").ToList();
        Assert.NotEmpty(packages);
        foreach (var pkg in packages)
        {
            string id = pkg.Attribute("id")!.Value, version = pkg.Attribute("version")!.Value;
            Assert.True(props.TryGetValue(PropertyFor(id), out var pinned), $"nf.props has no {PropertyFor(id)} for {id}");
            Assert.Equal(pinned, version);
        }
        // And every HintPath in the project names the same version.
        string nfproj = Directory.GetFiles(Path.Combine(Repo.Root, Path.GetDirectoryName(config)!), "*.nfproj").Single();
        foreach (Match m in Regex.Matches(File.ReadAllText(nfproj), @"packages\\(nanoFramework\.[A-Za-z.]+?)\.(\d+\.\d+\.\d+)\\"))
            Assert.Equal(props[PropertyFor(m.Groups[1].Value)], m.Groups[2].Value);
    }

    [Theory]
    [InlineData("Firmware/Esp32/SolidBms.Esp32.nfproj", "Firmware/Esp32", "Binding")]
    [InlineData("Tests/SolidBms.DeviceTests/SolidBms.DeviceTests.nfproj", "Firmware/Esp32", "Binding")]
    public void DeviceProjectsListEveryBindingSourceAndNoSurface(string nfproj, string root, string folder)
    {
        string text = File.ReadAllText(Path.Combine(Repo.Root, nfproj)).Replace('\\', '/');
        var onDisk = Directory.GetFiles(Path.Combine(Repo.Root, root, folder), "*.cs", SearchOption.AllDirectories)
            .Select(f => folder + "/" + Path.GetRelativePath(Path.Combine(Repo.Root, root, folder), f).Replace('\\', '/'));
        foreach (var f in onDisk) Assert.Contains(f + "\"", text);
        Assert.DoesNotContain("ReferenceSurface", text);
        Assert.DoesNotContain("*.cs", text); // classic nanoFramework projects list files one by one
    }
}
