using System;
using System.IO;
using SolidBms.NfApi;

// solidbms-nfapi extract MIRROR_DIR [--repo DIR]   writes the listings from the nanoFramework git mirrors
// solidbms-nfapi check [--repo DIR]                 compares the reference surface with the committed listings
var repo = FindRepo(args);
var nfProps = Path.Combine(repo, "nf.props");
var surfaceDir = Path.Combine(repo, SurfacePaths.Surface);
var listingDir = Path.Combine(repo, SurfacePaths.Listings);
try
{
    switch (args.Length > 0 ? args[0] : "")
    {
        case "extract" when args.Length >= 2 && !args[1].StartsWith("--"):
            var extractor = new Extractor(args[1], nfProps, Console.Out);
            Console.WriteLine("listing " + extractor.Packages.Count + " packages into " + listingDir);
            var errors = extractor.WriteAll(listingDir);
            Console.WriteLine(errors == 0 ? "every package bound without compiler errors" : errors + " compiler errors while binding (see above)");
            return errors == 0 ? 0 : 1;
        case "check":
            var pins = NfPackages.ReadPins(nfProps);
            var mismatches = SurfaceCheck.Run(surfaceDir, listingDir, NfPackages.MscorlibPath(pins[NfPackages.CoreLibraryProperty]));
            foreach (var m in mismatches) Console.WriteLine(m);
            Console.WriteLine("surface mismatches: " + mismatches.Count);
            return mismatches.Count == 0 ? 0 : 1;
        default:
            Console.Error.WriteLine("usage: extract MIRROR_DIR [--repo DIR] | check [--repo DIR]");
            return 2;
    }
}
catch (Exception e) when (e is InvalidOperationException or IOException)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 2;
}

static string FindRepo(string[] args)
{
    var i = Array.IndexOf(args, "--repo");
    if (i >= 0 && i + 1 < args.Length) return Path.GetFullPath(args[i + 1]);
    for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d != null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "nf.props"))) return d.FullName;
    throw new InvalidOperationException("nf.props not found above " + Directory.GetCurrentDirectory() + " (pass --repo DIR)");
}
