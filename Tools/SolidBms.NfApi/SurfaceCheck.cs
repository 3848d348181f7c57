using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SolidBms.NfApi;

/// <summary>One surface line that the real API does not have, with the real lines of the same type and member name.</summary>
public sealed record SurfaceMismatch(string File, string SurfaceLine, IReadOnlyList<string> RealCandidates)
{
    public override string ToString() =>
        File + ": not in the real API: " + SurfaceLine
        + (RealCandidates.Count == 0 ? "" : "\n      real: " + string.Join("\n      real: ", RealCandidates));
}

/// <summary>
/// Compares the compile-only reference surface with the committed listings: every type and member the surface file
/// "X.cs" declares must appear, line for line, in the listing "X.api.txt" of the real assembly X.
/// </summary>
public static class SurfaceCheck
{
    public static List<SurfaceMismatch> Run(string surfaceDir, string listingDir, string mscorlibPath) =>
        Run(Directory.GetFiles(surfaceDir, "*.cs").OrderBy(f => f, StringComparer.Ordinal)
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText), listingDir, mscorlibPath);

    /// <summary>Surface sources by file name (e.g. "System.Device.I2c.cs"), so a test can vary one file.</summary>
    public static List<SurfaceMismatch> Run(IDictionary<string, string> surfaceFiles, string listingDir, string mscorlibPath)
    {
        var trees = surfaceFiles.Select(kv => CSharpSyntaxTree.ParseText(kv.Value, new CSharpParseOptions(LanguageVersion.Latest), kv.Key)).ToList();
        var compilation = CSharpCompilation.Create("Surface", trees, new[] { MetadataReference.CreateFromFile(mscorlibPath) },
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
            throw new InvalidOperationException("the reference surface does not compile: " + string.Join("; ", errors.Take(5)));

        var mismatches = new List<SurfaceMismatch>();
        foreach (var file in surfaceFiles.Keys)
        {
            var assembly = Path.GetFileNameWithoutExtension(file);
            var listingPath = NfPackages.ListingPath(listingDir, assembly);
            var surfaceLines = ApiLister.List(compilation.Assembly,
                t => t.DeclaringSyntaxReferences.Any(r => Path.GetFileName(r.SyntaxTree.FilePath) == file));
            if (!File.Exists(listingPath))
            {
                mismatches.AddRange(surfaceLines.Select(l => new SurfaceMismatch(file, l, new[] { "(no listing " + Path.GetFileName(listingPath) + ")" })));
                continue;
            }
            var real = ReadListing(listingPath);
            var realSet = new HashSet<string>(real, StringComparer.Ordinal);
            foreach (var line in surfaceLines)
                if (!realSet.Contains(line))
                    mismatches.Add(new SurfaceMismatch(file, line, Candidates(line, real)));
        }
        return mismatches;
    }

    /// <summary>The API lines of a listing (comments and blank lines dropped).</summary>
    public static List<string> ReadListing(string path) =>
        File.ReadAllLines(path).Where(l => l.Length > 0 && l[0] != '#').ToList();

    /// <summary>The real lines for the same type and the same member name (or the type line itself).</summary>
    private static List<string> Candidates(string line, List<string> real)
    {
        var key = MemberKey(line);
        return real.Where(r => MemberKey(r) == key).ToList();
    }

    private static string MemberKey(string line)
    {
        var split = line.IndexOf("  ", StringComparison.Ordinal);
        var type = line.Substring(0, split);
        var rest = line.Substring(split + 2);
        var kind = rest.Split(' ')[0];
        if (kind == "type" || kind == "ctor" || kind == "destructor") return type + " " + kind;
        var paren = rest.IndexOfAny(new[] { '(', '{', '=' });
        var head = (paren < 0 ? rest : rest.Substring(0, paren)).TrimEnd();
        return type + " " + kind + " " + head.Split(' ').Last();
    }
}
