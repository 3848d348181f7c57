using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace SolidBms.NfApi;

/// <summary>Read-only access to one tag of a git mirror (bare or not), through the git command line.</summary>
public sealed class GitTree
{
    private readonly string _gitDir;

    public GitTree(string gitDir, string tag)
    {
        _gitDir = gitDir;
        Tag = tag;
        Commit = Git(gitDir, "rev-parse", tag + "^{commit}").Trim();
        // -z: names as they are (a file name in Hardware.Esp32 holds a zero-width space, which git would quote).
        Files = Git(gitDir, "ls-tree", "-r", "-z", "--name-only", Commit).Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }

    public string Tag { get; }
    public string Commit { get; }
    public string[] Files { get; }

    public string Read(string path) => Git(_gitDir, "show", Commit + ":" + path);

    /// <summary>A file's bytes (a strong-name key, say).</summary>
    public byte[] ReadBytes(string path)
    {
        var psi = Start(_gitDir, "show", Commit + ":" + path);
        using var p = Process.Start(psi)!;
        using var buffer = new System.IO.MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(buffer);
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("git show " + path + " failed in " + _gitDir);
        return buffer.ToArray();
    }

    public bool Exists(string path) => Files.Contains(path, StringComparer.Ordinal);

    /// <summary>
    /// The tag for a pinned version: v{pin} or {pin}; else the newest tag of the same major.minor (then major). A mirror
    /// snapshot can lag the packages, so the caller records which tag was used.
    /// </summary>
    public static (string Tag, string Note) ResolveTag(string gitDir, string pin)
    {
        var tags = Git(gitDir, "tag", "--list").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(t => t.Trim()).ToList();
        foreach (var exact in new[] { "v" + pin, pin })
            if (tags.Contains(exact)) return (exact, null);
        var want = Version.Parse(pin);
        var versions = new List<(Version V, string Tag)>();
        foreach (var t in tags)
            if (Version.TryParse(t.TrimStart('v'), out var v)) versions.Add((v, t));
        foreach (Func<Version, bool> same in new Func<Version, bool>[] { v => v.Major == want.Major && v.Minor == want.Minor, v => v.Major == want.Major })
        {
            var best = versions.Where(x => same(x.V)).OrderByDescending(x => x.V).FirstOrDefault();
            if (best.Tag != null)
                return (best.Tag, "no tag v" + pin + " in the mirror; the newest tag of the same line, " + best.Tag + ", was used");
        }
        throw new InvalidOperationException(gitDir + ": no tag for version " + pin);
    }

    private static string Git(string gitDir, params string[] args)
    {
        using var p = Process.Start(Start(gitDir, args))!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("git " + string.Join(" ", args) + " in " + gitDir + ": " + error.Trim());
        return output;
    }

    private static ProcessStartInfo Start(string gitDir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("--git-dir=" + gitDir);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }
}
