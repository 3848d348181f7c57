using System.Reflection;
using SolidBms.Core;

// Device assembly identity (nanoFramework deploys and matches assemblies by name and version).
[assembly: AssemblyTitle("SolidBms.Firmware")]
[assembly: AssemblyDescription("Composition of the BMS from board, profile and cell files")]
[assembly: AssemblyProduct(FirmwareRelease.Product)]
[assembly: AssemblyCopyright(FirmwareRelease.Copyright)]
[assembly: AssemblyVersion(FirmwareRelease.AssemblyVersion)]
[assembly: AssemblyFileVersion(FirmwareRelease.AssemblyVersion)]
[assembly: AssemblyInformationalVersion(FirmwareRelease.Version)]
