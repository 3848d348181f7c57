using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace SolidBms.NfApi;

/// <summary>One nanoFramework package the device build uses: its nf.props pin, its git repository and its assembly.</summary>
public sealed record NfPackage(string PinProperty, string Repository, string AssemblyName, string PackageId, string Version);

/// <summary>The packages nf.props pins, in the order their listings are written. CoreLibrary is the compile reference, not listed.</summary>
public static class NfPackages
{
    private static readonly (string Property, string Repository, string Assembly, string PackageId)[] Known =
    {
        ("NfRuntimeEventsVersion", "nanoFramework.Runtime.Events", "nanoFramework.Runtime.Events", "nanoFramework.Runtime.Events"),
        ("NfSystemTextVersion", "nanoFramework.System.Text", "nanoFramework.System.Text", "nanoFramework.System.Text"),
        ("NfSystemIOStreamsVersion", "System.IO.Streams", "System.IO.Streams", "nanoFramework.System.IO.Streams"),
        ("NfSystemIOFileSystemVersion", "System.IO.FileSystem", "System.IO.FileSystem", "nanoFramework.System.IO.FileSystem"),
        ("NfSystemIOPortsVersion", "System.IO.Ports", "System.IO.Ports", "nanoFramework.System.IO.Ports"),
        ("NfSystemDeviceAdcVersion", "System.Device.Adc", "System.Device.Adc", "nanoFramework.System.Device.Adc"),
        ("NfSystemDeviceI2cVersion", "System.Device.I2c", "System.Device.I2c", "nanoFramework.System.Device.I2c"),
        ("NfSystemDeviceGpioVersion", "System.Device.Gpio", "System.Device.Gpio", "nanoFramework.System.Device.Gpio"),
        ("NfHardwareEsp32Version", "nanoFramework.Hardware.Esp32", "nanoFramework.Hardware.Esp32", "nanoFramework.Hardware.Esp32"),
        ("NfRuntimeNativeVersion", "nanoFramework.Runtime.Native", "nanoFramework.Runtime.Native", "nanoFramework.Runtime.Native"),
        ("NfTestFrameworkVersion", "nanoFramework.TestFramework", "nanoFramework.TestFramework", "nanoFramework.TestFramework"),
    };

    public const string CoreLibraryProperty = "NfCoreLibraryVersion";

    /// <summary>The property values of nf.props (the unconditional PropertyGroups).</summary>
    public static Dictionary<string, string> ReadPins(string nfPropsPath)
    {
        var doc = XDocument.Load(nfPropsPath);
        var pins = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in doc.Root!.Elements("PropertyGroup").Where(g => g.Attribute("Condition") == null))
            foreach (var p in group.Elements())
                pins[p.Name.LocalName] = p.Value.Trim();
        return pins;
    }

    public static List<NfPackage> FromPins(Dictionary<string, string> pins)
    {
        var list = new List<NfPackage>();
        foreach (var k in Known)
            if (pins.TryGetValue(k.Property, out var v))
                list.Add(new NfPackage(k.Property, k.Repository, k.Assembly, k.PackageId, v));
        return list;
    }

    /// <summary>nanoFramework's mscorlib.dll of the pinned CoreLibrary, from the NuGet cache (restored by the *.Nano check builds).</summary>
    public static string MscorlibPath(string coreLibraryVersion)
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(root))
            root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(root, "nanoframework.corelibrary", coreLibraryVersion, "lib", "mscorlib.dll");
        if (!File.Exists(path))
            throw new FileNotFoundException("nanoFramework mscorlib " + coreLibraryVersion + " is not in the NuGet cache (build Firmware/Core.Nano once to restore it)", path);
        return path;
    }

    /// <summary>Where the committed listing of an assembly lives.</summary>
    public static string ListingPath(string listingDir, string assemblyName) => Path.Combine(listingDir, assemblyName + ".api.txt");
}
