using System.Collections.Generic;
using System.Text.Json;

namespace SolidBms.Simulator.Scenarios;

/// <summary>
/// Reads one JSON object key by key, with range checks, and refuses keys nobody asked for:
/// in a contract lab staff edit by hand, a misspelt key must be an error, not a silent default.
/// </summary>
public sealed class StrictJsonObject
{
    private readonly JsonElement _element;
    private readonly HashSet<string> _read = new();

    public StrictJsonObject(JsonElement element, string path)
    {
        Path = path;
        if (element.ValueKind != JsonValueKind.Object) throw new ScenarioException(path, "must be an object");
        _element = element;
        var seen = new HashSet<string>();
        foreach (var p in element.EnumerateObject())
            if (!seen.Add(p.Name)) throw new ScenarioException(Child(p.Name), "appears twice");
    }

    public string Path { get; }

    public string Child(string key) => string.IsNullOrEmpty(Path) ? key : Path + "." + key;

    public bool Has(string key) => _element.TryGetProperty(key, out _);

    public IEnumerable<string> Keys()
    {
        foreach (var p in _element.EnumerateObject()) yield return p.Name;
    }

    public JsonElement Raw(string key)
    {
        _read.Add(key);
        return _element.GetProperty(key);
    }

    private bool TryGet(string key, out JsonElement value)
    {
        _read.Add(key);
        return _element.TryGetProperty(key, out value);
    }

    public string String(string key, string fallback = null, bool required = false)
    {
        if (!TryGet(key, out var v)) return required ? throw new ScenarioException(Child(key), "is required") : fallback;
        if (v.ValueKind != JsonValueKind.String) throw new ScenarioException(Child(key), "must be a string");
        var s = v.GetString();
        if (string.IsNullOrWhiteSpace(s)) throw new ScenarioException(Child(key), "must not be empty");
        return s;
    }

    public double? OptionalNumber(string key, double min, double max)
    {
        if (!TryGet(key, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d)) throw new ScenarioException(Child(key), "must be a number");
        if (double.IsNaN(d) || d < min || d > max) throw new ScenarioException(Child(key), $"must be between {min} and {max}, not {d}");
        return d;
    }

    public double Number(string key, double min, double max, double fallback) => OptionalNumber(key, min, max) ?? fallback;

    public double RequiredNumber(string key, double min, double max) =>
        OptionalNumber(key, min, max) ?? throw new ScenarioException(Child(key), "is required");

    public int? OptionalInt(string key, int min, int max)
    {
        if (!TryGet(key, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int i)) throw new ScenarioException(Child(key), "must be a whole number");
        if (i < min || i > max) throw new ScenarioException(Child(key), $"must be between {min} and {max}, not {i}");
        return i;
    }

    public int Int(string key, int min, int max, int fallback) => OptionalInt(key, min, max) ?? fallback;

    public int RequiredInt(string key, int min, int max) =>
        OptionalInt(key, min, max) ?? throw new ScenarioException(Child(key), "is required");

    public bool Bool(string key, bool fallback)
    {
        if (!TryGet(key, out var v)) return fallback;
        if (v.ValueKind != JsonValueKind.True && v.ValueKind != JsonValueKind.False) throw new ScenarioException(Child(key), "must be true or false");
        return v.GetBoolean();
    }

    public string[] StringList(string key)
    {
        if (!TryGet(key, out var v)) throw new ScenarioException(Child(key), "is required");
        if (v.ValueKind != JsonValueKind.Array) throw new ScenarioException(Child(key), "must be a list of strings");
        var list = new List<string>();
        int i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw new ScenarioException($"{Child(key)}[{i}]", "must be a string");
            list.Add(item.GetString());
            i++;
        }
        return list.ToArray();
    }

    public StrictJsonObject Object(string key)
    {
        if (!TryGet(key, out var v)) return null;
        return new StrictJsonObject(v, Child(key));
    }

    public List<StrictJsonObject> Array(string key, bool required)
    {
        var list = new List<StrictJsonObject>();
        if (!TryGet(key, out var v))
        {
            if (required) throw new ScenarioException(Child(key), "is required");
            return list;
        }
        if (v.ValueKind != JsonValueKind.Array) throw new ScenarioException(Child(key), "must be a list");
        int i = 0;
        foreach (var item in v.EnumerateArray()) list.Add(new StrictJsonObject(item, $"{Child(key)}[{i++}]"));
        return list;
    }

    /// <summary>Throws on the first key that no getter asked for.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var p in _element.EnumerateObject())
            if (!_read.Contains(p.Name)) throw new ScenarioException(Child(p.Name), "unknown key");
    }
}
