using System;
using System.Collections.Generic;

namespace SolidBms.Cli;

/// <summary>
/// Minimal "verb --option value" parsing; unknown options are errors, not ignored. An option may be given more than
/// once only where its verb reads it with <see cref="GetAll"/> (fit-cell's --ocv, --hppc); a single-valued option
/// given twice is refused when it is read, so "--csv a --csv b" never silently keeps one of them.
/// </summary>
public sealed class CliArgs
{
    private readonly HashSet<string> _used = new();
    private readonly Dictionary<string, List<string>> _all = new(); // every value of each option, in order

    public CliArgs(string[] args, int start, ICollection<string> flags)
    {
        for (int i = start; i < args.Length; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--")) { Positional.Add(a); continue; }
            string key = a[2..];
            string value;
            if (flags.Contains(key)) value = "true";
            else if (i + 1 >= args.Length) throw new UsageException($"option --{key} needs a value");
            else value = args[++i];
            if (!_all.TryGetValue(key, out var values)) _all[key] = values = new List<string>();
            values.Add(value);
        }
    }

    public List<string> Positional { get; } = new();

    public string Get(string key)
    {
        _used.Add(key);
        if (!_all.TryGetValue(key, out var all)) return null;
        if (all.Count > 1) throw new UsageException($"option --{key} given twice");
        return all[0];
    }

    /// <summary>Every value of an option that may repeat (--ocv A --ocv B), in order; empty when absent.</summary>
    public List<string> GetAll(string key)
    {
        _used.Add(key);
        return _all.TryGetValue(key, out var v) ? v : new List<string>();
    }

    public bool Flag(string key) => Get(key) == "true";

    public int Int(string key, int fallback, int min, int max)
    {
        var v = Get(key);
        if (v == null) return fallback;
        if (!int.TryParse(v, out int i) || i < min || i > max) throw new UsageException($"--{key} must be a whole number from {min} to {max}");
        return i;
    }

    public void RejectUnknown()
    {
        foreach (var k in _all.Keys)
            if (!_used.Contains(k)) throw new UsageException($"unknown option --{k}");
    }
}

public sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }
}
