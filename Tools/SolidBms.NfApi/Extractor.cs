using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SolidBms.NfApi;

/// <summary>
/// Lists each pinned package's public API from its own sources: the tag's .nfproj Compile list, parsed and bound by
/// Roslyn against nanoFramework's mscorlib and the package's pinned dependencies (themselves compiled from source).
/// Nothing is emitted and no source is kept: only the listing (facts: types, members, signatures) is written.
/// </summary>
public sealed class Extractor
{
    private readonly string _mirrorDir;
    private readonly MetadataReference _mscorlib;
    private readonly Dictionary<string, NfPackage> _byAssembly;
    private readonly Dictionary<string, (CSharpCompilation Compilation, string Header)> _built = new();
    private readonly TextWriter _log;

    public Extractor(string mirrorDir, string nfPropsPath, TextWriter log)
    {
        _mirrorDir = mirrorDir;
        _log = log;
        var pins = NfPackages.ReadPins(nfPropsPath);
        _mscorlib = MetadataReference.CreateFromFile(NfPackages.MscorlibPath(pins[NfPackages.CoreLibraryProperty]));
        Packages = NfPackages.FromPins(pins);
        _byAssembly = Packages.ToDictionary(p => p.AssemblyName, StringComparer.Ordinal);
    }

    public List<NfPackage> Packages { get; }

    /// <summary>Writes one listing per package into <paramref name="outDir"/>; returns the number of compiler errors seen.</summary>
    public int WriteAll(string outDir)
    {
        Directory.CreateDirectory(outDir);
        int errors = 0;
        foreach (var package in Packages)
        {
            var (compilation, header) = Build(package.AssemblyName, ref errors);
            var lines = ApiLister.List(compilation.Assembly);
            var text = new StringBuilder(header);
            foreach (var l in lines) text.Append(l).Append('\n');
            File.WriteAllText(NfPackages.ListingPath(outDir, package.AssemblyName), text.ToString());
            _log.WriteLine($"  {package.AssemblyName,-30} {lines.Count,4} lines");
        }
        return errors;
    }

    private (CSharpCompilation, string) Build(string assemblyName, ref int errors)
    {
        if (_built.TryGetValue(assemblyName, out var done)) return done;
        if (!_byAssembly.TryGetValue(assemblyName, out var package))
            throw new InvalidOperationException(assemblyName + " is referenced but not pinned in nf.props");

        var gitDir = GitDir(package.Repository);
        var (tag, note) = GitTree.ResolveTag(gitDir, package.Version);
        var tree = new GitTree(gitDir, tag);
        var project = NfProjectFile.Find(tree, package.AssemblyName);

        var refs = new List<MetadataReference> { _mscorlib };
        foreach (var r in project.References.Where(r => r != "mscorlib"))
            refs.Add(Build(r, ref errors).Item1.ToMetadataReference());

        var parse = new CSharpParseOptions(LanguageVersion.Latest, preprocessorSymbols: project.Defines);
        var trees = project.Sources.Select(s => CSharpSyntaxTree.ParseText(tree.Read(s), parse, s));
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true);
        if (project.KeyFile != null)
        {
            // Public-signed with the package's own key, as the real build is, so InternalsVisibleTo grants from
            // mscorlib (which name the key) apply. Only the public half of the key is read.
            var keyPath = Path.Combine(Path.GetTempPath(), "nfapi-" + package.AssemblyName + ".snk");
            File.WriteAllBytes(keyPath, tree.ReadBytes(project.KeyFile));
            options = options.WithCryptoKeyFile(keyPath).WithPublicSign(true)
                .WithStrongNameProvider(new DesktopStrongNameProvider());
        }
        var compilation = CSharpCompilation.Create(package.AssemblyName, trees, refs, options);
        var diagnostics = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        foreach (var d in diagnostics.Take(5)) _log.WriteLine("    " + package.AssemblyName + ": " + d);
        errors += diagnostics.Count;

        var header = new StringBuilder();
        header.Append("# Public API of ").Append(package.AssemblyName).Append(" (package ").Append(package.PackageId).Append(")\n");
        header.Append("# pin: ").Append(package.PinProperty).Append(" = ").Append(package.Version).Append(" (nf.props)\n");
        header.Append("# source: nanoframework/").Append(package.Repository).Append(" tag ").Append(tag).Append(" commit ").Append(tree.Commit).Append('\n');
        if (note != null) header.Append("# note: ").Append(note).Append('\n');
        header.Append("# project: ").Append(project.Path).Append(" (").Append(project.Sources.Count).Append(" source files");
        if (project.Defines.Count > 0) header.Append("; defines ").Append(string.Join(";", project.Defines));
        header.Append(")\n");
        header.Append("# compiler errors while binding: ").Append(diagnostics.Count).Append('\n');
        header.Append("# written by: dotnet run --project Tools/SolidBms.NfApi -- extract MIRROR_DIR (one line per type and member; see the tool's README)\n");

        var result = (compilation, header.ToString());
        _built[assemblyName] = result;
        return result;
    }

    private string GitDir(string repository)
    {
        var dir = Path.Combine(_mirrorDir, "nanoframework+" + repository, "repo");
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException("no mirror of nanoframework/" + repository + " at " + dir);
        var dotGit = Path.Combine(dir, ".git");
        return Directory.Exists(dotGit) ? dotGit : dir;
    }
}
