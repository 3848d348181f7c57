using System.Reflection;
using SolidBms.Core;

// Device assembly identity (nanoFramework deploys and matches assemblies by name and version).
[assembly: AssemblyTitle("SolidBms.Drivers")]
[assembly: AssemblyDescription("Device drivers: ESP32 ADC front end, NTC, BQ76952, INA228, NAU7802, FMA")]
[assembly: AssemblyProduct(FirmwareRelease.Product)]
[assembly: AssemblyCopyright(FirmwareRelease.Copyright)]
[assembly: AssemblyVersion(FirmwareRelease.AssemblyVersion)]
[assembly: AssemblyFileVersion(FirmwareRelease.AssemblyVersion)]
[assembly: AssemblyInformationalVersion(FirmwareRelease.Version)]
