using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace SolidBms.Tests;

/// <summary>
/// The nanoFramework gate: Firmware and Drivers compile against nanoFramework's own mscorlib 1.17.11
/// (built as project references of this test project, so a nano compile error fails the test command),
/// and a line that needs something nanoFramework lacks does fail that build.
/// </summary>
public class NanoBuildTests
{
    private static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    [Theory]
    [InlineData("Firmware/Core.Nano", "SolidBms.Core")]
    [InlineData("Drivers/Nano", "SolidBms.Drivers")]
    [InlineData("Firmware/App.Nano", "SolidBms.Firmware")]
    public void NanoBuildReferencesOnlyNanoFrameworkAssemblies(string project, string assembly)
    {
        string dll = Path.Combine(Repo.Root, project, "bin", Configuration, "netstandard2.0", assembly + ".dll");
        Assert.True(File.Exists(dll), "nano build output missing: " + dll);
        using var pe = new PEReader(File.OpenRead(dll));
        var md = pe.GetMetadataReader();
        var refs = md.AssemblyReferences.Select(h => md.GetAssemblyReference(h)).ToList();
        var mscorlib = Assert.Single(refs, r => md.GetString(r.Name) == "mscorlib");
        Assert.Equal(new Version(1, 17, 11, 0), mscorlib.Version);
        foreach (var r in refs)
        {
            string name = md.GetString(r.Name);
            Assert.True(name == "mscorlib" || name.StartsWith("SolidBms."), $"{assembly} references {name}, which nanoFramework does not have");
        }
        Assert.True(md.TypeDefinitions.Count > 3, "nano build compiled no types");
    }

    /// <summary>Every device assembly carries the firmware release as its version (Properties/AssemblyInfo.cs).</summary>
    [Theory]
    [InlineData("Firmware/Core.Nano", "SolidBms.Core")]
    [InlineData("Drivers/Nano", "SolidBms.Drivers")]
    [InlineData("Firmware/App.Nano", "SolidBms.Firmware")]
    [InlineData("Firmware/Esp32.Nano", "SolidBms.Esp32")]
    [InlineData("Tests/SolidBms.DeviceTests.Nano", "SolidBms.DeviceTests")]
    [InlineData("Tools/SolidBms.NanoBench.Nano", "SolidBms.NanoBench")]
    public void DeviceAssemblyCarriesTheFirmwareVersion(string project, string assembly)
    {
        string dll = Path.Combine(Repo.Root, project, "bin", Configuration, "netstandard2.0", assembly + ".dll");
        using var pe = new PEReader(File.OpenRead(dll));
        var md = pe.GetMetadataReader();
        var expected = Version.Parse(SolidBms.Core.FirmwareRelease.AssemblyVersion);
        Assert.Equal(expected, md.GetAssemblyDefinition().Version);
        Assert.True(expected > new Version(0, 0, 0, 0));
        Assert.Equal(SolidBms.Core.FirmwareRelease.Version, SolidBms.Core.Protocol.LineProtocol.FirmwareVersion);
    }

    [Fact]
    public void FirmwareLineUsingGenericListFailsTheNanoBuild()
    {
        string dir = Path.Combine(Path.GetTempPath(), "solidbms-nanogate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string bad = Path.Combine(dir, "UsesList.cs");
            File.WriteAllText(bad, "namespace SolidBms.Core\n{\n    public static class UsesList { public static int Count() { return new System.Collections.Generic.List<int>().Count; } }\n}\n");
            var (exit, output) = RunDotnet($"build \"{Path.Combine(Repo.Root, "Firmware/Core.Nano/SolidBms.Core.Nano.csproj")}\" --artifacts-path \"{Path.Combine(dir, "artifacts")}\" -p:NanoCheckExtraSource=\"{bad}\" -nologo -v:q");
            Assert.NotEqual(0, exit);
            Assert.Contains("UsesList.cs(3,", output);
            Assert.Contains("error CS0234", output); // 'Generic' does not exist in namespace System.Collections
            var errorLines = output.Split('\n').Where(l => l.Contains(": error ")).ToList();
            Assert.All(errorLines, l => Assert.Contains("UsesList.cs", l));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    internal static (int Exit, string Output) RunDotnet(string arguments)
    {
        var psi = new ProcessStartInfo("dotnet", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repo.Root,
        };
        psi.Environment["MSBUILDNOINPROCNODE"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
