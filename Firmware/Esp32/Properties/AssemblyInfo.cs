using System.Reflection;
using SolidBms.Core;

// Device assembly identity (nanoFramework deploys and matches assemblies by name and version).
[assembly: AssemblyTitle("SolidBms.Esp32")]
[assembly: AssemblyDescription("ESP32 binding and device entry point")]
[assembly: AssemblyProduct(FirmwareRelease.Product)]
[assembly: AssemblyCopyright(FirmwareRelease.Copyright)]
[assembly: AssemblyVersion(FirmwareRelease.AssemblyVersion)]
[assembly: AssemblyFileVersion(FirmwareRelease.AssemblyVersion)]
[assembly: AssemblyInformationalVersion(FirmwareRelease.Version)]
