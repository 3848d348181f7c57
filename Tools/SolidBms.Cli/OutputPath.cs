using System;
using System.IO;

namespace SolidBms.Cli;

/// <summary>
/// Checks an output path before any work starts, so a run never ends by losing its results to a path that
/// cannot be written (a directory, a missing or read-only directory). Throws a UsageException (exit 2, one line).
/// </summary>
public static class OutputPath
{
    /// <summary>A file the verb will create or overwrite.</summary>
    public static void CheckFile(string path, string what)
    {
        if (path == null) return;
        if (path.Length == 0) throw new UsageException($"{what}: empty path");
        if (Directory.Exists(path)) throw new UsageException($"{what} {path}: is a directory, not a file");
        string dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir != null && !Directory.Exists(dir)) throw new UsageException($"{what} {path}: directory {dir} does not exist");
        bool existed = File.Exists(path);
        try
        {
            using (new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write)) { }
            if (!existed) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{what} {path}: cannot be written ({e.Message})");
        }
    }

    /// <summary>A directory the verb will create (if needed) and write files into.</summary>
    public static void CheckDirectory(string path, string what)
    {
        if (path.Length == 0) throw new UsageException($"{what}: empty path");
        if (File.Exists(path)) throw new UsageException($"{what} {path}: is a file, not a directory");
        try
        {
            Directory.CreateDirectory(path);
            string probe = Path.Combine(path, ".solidbms-write-check");
            using (new FileStream(probe, FileMode.Create, FileAccess.Write)) { }
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{what} {path}: cannot be written ({e.Message})");
        }
    }

    /// <summary>Two outputs (or ports) must not share one path.</summary>
    public static void CheckDistinct(string a, string aWhat, string b, string bWhat)
    {
        if (a == null || b == null) return;
        if (string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal))
            throw new UsageException($"{aWhat} and {bWhat} are the same path: {a}");
    }
}
