using System.Reflection;
using SolidBms.Core;

// Device assembly identity (nanoFramework deploys and matches assemblies by name and version).
[assembly: AssemblyTitle("SolidBms.Core")]
[assembly: AssemblyDescription("BMS firmware core: measurement, estimation, safety, actuation, protocols")]
[assembly: AssemblyProduct(FirmwareRelease.Product)]
[assembly: AssemblyCopyright(FirmwareRelease.Copyright)]
[assembly: AssemblyVersion(FirmwareRelease.AssemblyVersion)]
[assembly: AssemblyFileVersion(FirmwareRelease.AssemblyVersion)]
[assembly: AssemblyInformationalVersion(FirmwareRelease.Version)]
