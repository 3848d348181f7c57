using System;
using System.Collections.Generic;

namespace SolidBms.Cli;

/// <summary>Minimal "verb --option value" parsing; unknown options are errors, not ignored.</summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string> _options = new();
    private readonly HashSet<string> _used = new();

    public CliArgs(string[] args, int start, ICollection<string> flags)
    {
        for (int i = start; i < args.Length; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--")) { Positional.Add(a); continue; }
            string key = a[2..];
            if (_options.ContainsKey(key)) throw new UsageException($"option --{key} given twice");
            if (flags.Contains(key)) { _options[key] = "true"; continue; }
            if (i + 1 >= args.Length) throw new UsageException($"option --{key} needs a value");
            _options[key] = args[++i];
        }
    }

    public List<string> Positional { get; } = new();

    public string Get(string key)
    {
        _used.Add(key);
        return _options.TryGetValue(key, out var v) ? v : null;
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
        foreach (var k in _options.Keys)
            if (!_used.Contains(k)) throw new UsageException($"unknown option --{k}");
    }
}

public sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }
}
