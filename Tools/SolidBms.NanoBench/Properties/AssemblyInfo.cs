using System.Reflection;
using SolidBms.Core;

// Bench assembly identity, stamped with the firmware release it measures.
[assembly: AssemblyTitle("SolidBms.NanoBench")]
[assembly: AssemblyDescription("The firmware's tick on nanoFramework's interpreter (both 16-cell boards, fakes behind the Hal interfaces)")]
[assembly: AssemblyProduct(FirmwareRelease.Product)]
[assembly: AssemblyCopyright(FirmwareRelease.Copyright)]
[assembly: AssemblyVersion(FirmwareRelease.AssemblyVersion)]
[assembly: AssemblyFileVersion(FirmwareRelease.AssemblyVersion)]
[assembly: AssemblyInformationalVersion(FirmwareRelease.Version)]
