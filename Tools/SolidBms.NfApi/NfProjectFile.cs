using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace SolidBms.NfApi;

/// <summary>
/// What a classic nanoFramework library project (.nfproj) compiles: its Compile items (including those of imported
/// shared .projitems), the assemblies it references and its DefineConstants. Paths are repository-relative.
/// </summary>
public sealed class NfProjectFile
{
    public string Path { get; private init; }
    public string AssemblyName { get; private init; }
    public List<string> Sources { get; } = new();
    public List<string> References { get; } = new();
    public List<string> Defines { get; } = new();

    /// <summary>The strong-name key file (repository path) when the project signs its assembly, else null.</summary>
    public string KeyFile { get; private set; }

    /// <summary>The library project of the tree whose AssemblyName is <paramref name="assemblyName"/> (test projects skipped).</summary>
    public static NfProjectFile Find(GitTree tree, string assemblyName)
    {
        foreach (var path in tree.Files.Where(f => f.EndsWith(".nfproj", StringComparison.OrdinalIgnoreCase)))
        {
            var doc = XDocument.Parse(tree.Read(path));
            var name = Elements(doc, "AssemblyName").Select(e => e.Value.Trim()).FirstOrDefault();
            var type = Elements(doc, "OutputType").Select(e => e.Value.Trim()).FirstOrDefault() ?? "Library";
            if (name == assemblyName && type == "Library") return Parse(tree, path, doc);
        }
        throw new InvalidOperationException("no library .nfproj with AssemblyName " + assemblyName + " at " + tree.Tag);
    }

    private static NfProjectFile Parse(GitTree tree, string path, XDocument doc)
    {
        var dir = Dir(path);
        var project = new NfProjectFile { Path = path, AssemblyName = Elements(doc, "AssemblyName").First().Value.Trim() };
        AddCompile(tree, project, doc, dir, null);
        foreach (var import in Elements(doc, "Import"))
        {
            var target = import.Attribute("Project")?.Value ?? "";
            if (!target.EndsWith(".projitems", StringComparison.OrdinalIgnoreCase)) continue;
            var itemsPath = Combine(dir, target);
            AddCompile(tree, project, XDocument.Parse(tree.Read(itemsPath)), Dir(itemsPath), Dir(itemsPath));
        }
        var sign = Elements(doc, "SignAssembly").Any(e => e.Value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase));
        var key = Elements(doc, "AssemblyOriginatorKeyFile").Select(e => e.Value.Trim()).FirstOrDefault();
        if (sign && key != null) project.KeyFile = Combine(dir, key);
        foreach (var r in Elements(doc, "Reference"))
            project.References.Add(r.Attribute("Include")!.Value.Split(',')[0].Trim());
        foreach (var group in Elements(doc, "PropertyGroup"))
        {
            var condition = group.Attribute("Condition")?.Value ?? "";
            if (condition.Length > 0 && !condition.Contains("Release", StringComparison.Ordinal)) continue;
            foreach (var d in group.Elements().Where(e => e.Name.LocalName == "DefineConstants"))
                foreach (var symbol in d.Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    if (!symbol.StartsWith("$(", StringComparison.Ordinal) && !project.Defines.Contains(symbol)) project.Defines.Add(symbol);
        }
        return project;
    }

    private static void AddCompile(GitTree tree, NfProjectFile project, XDocument doc, string dir, string thisFileDir)
    {
        foreach (var c in Elements(doc, "Compile"))
        {
            var include = c.Attribute("Include")?.Value;
            if (include == null) continue;
            if (thisFileDir != null) include = include.Replace("$(MSBuildThisFileDirectory)", "", StringComparison.Ordinal);
            var path = Combine(dir, include);
            if (path.Contains('*'))
                throw new InvalidOperationException(project.Path + ": wildcard Compile items are not supported: " + include);
            // Windows file systems ignore case ("Rtc.cs" names RTC.cs), so match the tree the same way.
            var found = tree.Files.FirstOrDefault(f => string.Equals(f, path, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidOperationException(project.Path + ": Compile item not in the tree: " + path);
            path = found;
            if (!project.Sources.Contains(path)) project.Sources.Add(path);
        }
    }

    private static IEnumerable<XElement> Elements(XDocument doc, string localName) =>
        doc.Descendants().Where(e => e.Name.LocalName == localName);

    private static string Dir(string path)
    {
        var i = path.LastIndexOf('/');
        return i < 0 ? "" : path.Substring(0, i);
    }

    /// <summary>Joins a project-relative Windows path onto a repository-relative directory, folding "..".</summary>
    private static string Combine(string dir, string relative)
    {
        var parts = new List<string>(dir.Length == 0 ? Array.Empty<string>() : dir.Split('/'));
        foreach (var p in relative.Replace('\\', '/').Split('/'))
        {
            if (p == "..") parts.RemoveAt(parts.Count - 1);
            else if (p != "." && p.Length > 0) parts.Add(p);
        }
        return string.Join("/", parts);
    }
}
