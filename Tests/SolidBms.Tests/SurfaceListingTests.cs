using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SolidBms.NfApi;

namespace SolidBms.Tests;

/// <summary>
/// The compile-only nanoFramework reference surface may declare nothing that the real packages lack: every type and
/// member line of Firmware/Esp32/NanoFrameworkReferenceSurface/X.cs must stand in api/X.api.txt, the listing that
/// Tools/SolidBms.NfApi extracted from X's own source at the tag nf.props pins.
/// </summary>
public class SurfaceListingTests
{
    private static readonly string SurfaceDir = Path.Combine(Repo.Root, SurfacePaths.Surface);
    private static readonly string ListingDir = Path.Combine(Repo.Root, SurfacePaths.Listings);
    private static readonly Dictionary<string, string> Pins = NfPackages.ReadPins(Path.Combine(Repo.Root, "nf.props"));
    private static readonly string Mscorlib = NfPackages.MscorlibPath(Pins[NfPackages.CoreLibraryProperty]);

    [Fact]
    public void SurfaceDeclaresOnlyWhatTheRealPackagesHave()
    {
        var mismatches = SurfaceCheck.Run(SurfaceDir, ListingDir, Mscorlib);
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public void EveryPinnedPackageHasAListingOfThePinnedVersion()
    {
        var packages = NfPackages.FromPins(Pins);
        Assert.Equal(11, packages.Count);
        foreach (var p in packages)
        {
            var path = NfPackages.ListingPath(ListingDir, p.AssemblyName);
            Assert.True(File.Exists(path), "no listing for " + p.AssemblyName + ": run Tools/SolidBms.NfApi extract");
            var header = File.ReadAllLines(path).TakeWhile(l => l.StartsWith('#')).ToList();
            Assert.Contains("# pin: " + p.PinProperty + " = " + p.Version + " (nf.props)", header);
            Assert.Contains(header, l => l.StartsWith("# source: nanoframework/" + p.Repository + " tag ") && l.Contains(" commit "));
            Assert.Contains("# compiler errors while binding: 0", header);
            Assert.NotEmpty(SurfaceCheck.ReadListing(path));
        }
        foreach (var surface in Directory.GetFiles(SurfaceDir, "*.cs"))
            Assert.Contains(packages, p => p.AssemblyName == Path.GetFileNameWithoutExtension(surface));
    }

    /// <summary>Each edit puts one wrong line into an otherwise correct surface; the check must name exactly it.</summary>
    [Theory]
    [InlineData("System.Device.I2c.cs", "I2cConnectionSettings(int busId, int deviceAddress, I2cBusSpeed busSpeed)",
        "I2cConnectionSettings(int busId, int deviceAddress, I2cBusSpeed busSpeed, int sharingMode)",
        "System.Device.I2c.I2cConnectionSettings  ctor public (System.Int32 busId, System.Int32 deviceAddress, System.Device.I2c.I2cBusSpeed busSpeed, System.Int32 sharingMode)")]
    [InlineData("System.IO.FileSystem.cs", "    [Flags]\n    public enum FileAccess", "    public enum FileAccess",
        "System.IO.FileAccess  type public enum")]
    [InlineData("System.Device.Adc.cs", "public class AdcController : AdcControllerBase", "public sealed class AdcController : AdcControllerBase",
        "System.Device.Adc.AdcController  type public sealed class : System.Device.Adc.AdcControllerBase")]
    [InlineData("System.IO.Ports.cs", "        Even = 2,", "        Even = 3,", "System.IO.Ports.Parity  field Even = 3")]
    [InlineData("nanoFramework.Runtime.Native.cs", "RebootOption rebootOption = RebootOption.NormalReboot", "RebootOption rebootOption = RebootOption.ClrOnly",
        "nanoFramework.Runtime.Native.Power  method public static System.Void RebootDevice(System.Int32 exeConstraintTimeout, nanoFramework.Runtime.Native.RebootOption rebootOption = 2)")]
    [InlineData("nanoFramework.Hardware.Esp32.cs", "public static ulong GetCurrent()", "public static long GetCurrent()",
        "nanoFramework.Hardware.Esp32.HighResTimer  method public static System.Int64 GetCurrent()")]
    public void AWrongMemberIsNamed(string file, string correct, string wrong, string expectedLine)
    {
        var files = Directory.GetFiles(SurfaceDir, "*.cs").ToDictionary(Path.GetFileName, f => File.ReadAllText(f).Replace("\r\n", "\n"));
        Assert.Contains(correct, files[file]);
        files[file] = files[file].Replace(correct, wrong);

        var mismatches = SurfaceCheck.Run(files, ListingDir, Mscorlib);

        var m = Assert.Single(mismatches);
        Assert.Equal(file, m.File);
        Assert.Equal(expectedLine, m.SurfaceLine);
    }

    [Fact]
    public void AMemberOfAnotherPackageIsNotAcceptedInTheWrongFile()
    {
        var files = Directory.GetFiles(SurfaceDir, "*.cs").ToDictionary(Path.GetFileName, File.ReadAllText);
        // SeekOrigin is real, but it belongs to System.IO.Streams, not to System.Device.I2c.
        files["System.Device.I2c.cs"] += "\nnamespace System.IO.Extra { public enum SeekOrigin { Begin = 0 } }\n";

        var mismatches = SurfaceCheck.Run(files, ListingDir, Mscorlib);

        Assert.Equal(2, mismatches.Count);
        Assert.All(mismatches, m => Assert.Equal("System.Device.I2c.cs", m.File));
    }
}
