using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace SolidBms.Simulator.Scenarios;

/// <summary>
/// A current-versus-time shape (drive cycle or recorded CSV): each value holds from its time to the next
/// (drive cycles are step profiles). A cycle repeats; a recording ends at zero current.
/// </summary>
public sealed class CurrentTable
{
    private readonly double[] _timeS;
    private readonly double[] _currentA;

    public CurrentTable(double[] timeS, double[] currentA, bool repeats)
    {
        _timeS = timeS;
        _currentA = currentA;
        Repeats = repeats;
    }

    public bool Repeats { get; }
    public double LengthS => _timeS.Length == 0 ? 0 : _timeS[^1];

    public double CurrentAt(double tS)
    {
        if (_timeS.Length == 0) return 0;
        if (Repeats && LengthS > 0) tS %= LengthS;
        else if (tS >= LengthS) return 0;
        int i = Array.BinarySearch(_timeS, tS);
        if (i < 0) i = ~i - 1;
        return i < 0 ? 0 : _currentA[i];
    }

    /// <summary>
    /// Reads "time_s,current" rows (a header line is allowed; '#' lines are comments). Times must increase.
    /// The last row's time is the table's length, so a cycle file ends with a row at its period.
    /// </summary>
    public static CurrentTable Load(string path, double scale, bool repeats, string keyPath)
    {
        if (!File.Exists(path)) throw new ScenarioException(keyPath, $"file not found: {path}");
        var t = new List<double>();
        var a = new List<double>();
        int lineNo = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split(',');
            if (parts.Length < 2
                || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double ts)
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double ia))
            {
                if (t.Count == 0 && lineNo == FirstDataLine(path)) continue; // header
                throw new ScenarioException(keyPath, $"{Path.GetFileName(path)}:{lineNo}: expected 'time_s,current'");
            }
            if (t.Count > 0 && ts <= t[^1]) throw new ScenarioException(keyPath, $"{Path.GetFileName(path)}:{lineNo}: time must increase");
            t.Add(ts);
            a.Add(ia * scale);
        }
        if (t.Count < 2) throw new ScenarioException(keyPath, $"{Path.GetFileName(path)}: needs at least two rows");
        return new CurrentTable(t.ToArray(), a.ToArray(), repeats);
    }

    private static int FirstDataLine(string path)
    {
        int n = 0;
        foreach (var raw in File.ReadLines(path))
        {
            n++;
            var line = raw.Trim();
            if (line.Length > 0 && line[0] != '#') return n;
        }
        return n;
    }
}
