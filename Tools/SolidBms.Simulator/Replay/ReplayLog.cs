using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace SolidBms.Simulator.Replay;

/// <summary>A log row that cannot be replayed: file:line and the reason.</summary>
public sealed class ReplayLogException : Exception
{
    public ReplayLogException(string message) : base(message) { }
}

/// <summary>
/// Recorded pack measurements for <c>solidbms replay</c>: columns <c>time_s,current_a,v1..vN</c> and, where the rig
/// logged them, <c>t1..tN</c> and <c>p1..pM</c> (cell volts, cell temperatures in C, stack pressures in kPa; without
/// them the runner needs the values to assume); other columns are ignored, so a
/// <c>sim --csv</c> or <c>log --csv</c> file is a valid log. An empty or <c>NaN</c> field is a reading the rig did not get
/// (the firmware sees it as missing); anything else that is not a number, a row whose field count differs from the
/// header's, a value implausible for its column's unit (<see cref="CsvChecks"/>), or time that does not increase
/// refuses the whole file before anything runs.
/// </summary>
public sealed class ReplayLog
{
    public string Name { get; private init; }
    public int Cells { get; private init; }
    public int Stacks { get; private init; }
    public double[] TimeS { get; private init; }
    public float[] CurrentA { get; private init; }
    /// <summary>[row][cell], mV; NaN where the field was empty.</summary>
    public float[][] CellMillivolts { get; private init; }
    /// <summary>[row][cell], C; rows of no values when the log has no t1..tN columns (<see cref="HasTemperatures"/>).</summary>
    public float[][] TemperatureC { get; private init; }
    public bool HasTemperatures { get; private init; }
    public float[][] PressureKpa { get; private init; }
    public int Count => TimeS.Length;

    /// <summary>The usual spacing of the rows (the median step), s.</summary>
    public double MedianStepS { get; private init; }

    public static ReplayLog Read(string path)
    {
        if (!File.Exists(path)) throw new ReplayLogException($"{path}: file not found");
        using var reader = new StreamReader(path);
        return Parse(reader, Path.GetFileName(path));
    }

    public static ReplayLog Parse(TextReader reader, string name)
    {
        string header = reader.ReadLine();
        if (header == null) throw new ReplayLogException($"{name}:1: empty file");
        var cols = header.Split(',');
        for (int i = 0; i < cols.Length; i++) cols[i] = cols[i].Trim().ToLowerInvariant();
        int ti = Array.IndexOf(cols, "time_s"), ci = Array.IndexOf(cols, "current_a");
        if (ti < 0 || ci < 0) throw new ReplayLogException($"{name}:1: needs columns time_s,current_a,v1..vN[,t1..tN]");
        int[] v = Numbered(cols, "v"), t = Numbered(cols, "t"), p = Numbered(cols, "p");
        if (v.Length == 0) throw new ReplayLogException($"{name}:1: no cell voltage columns v1..vN");
        if (t.Length != 0 && t.Length != v.Length) throw new ReplayLogException($"{name}:1: {v.Length} voltage columns but {t.Length} temperature columns (t1..t{v.Length} needed)");

        var time = new List<double>(); var current = new List<float>();
        var mv = new List<float[]>(); var tc = new List<float[]>(); var kpa = new List<float[]>(); var lines = new List<int>();
        string row;
        int line = 1;
        while ((row = reader.ReadLine()) != null)
        {
            line++;
            if (row.Trim().Length == 0) continue;
            var f = row.Split(',');
            if (CsvChecks.FieldCount(f.Length, cols.Length) is string bad) throw new ReplayLogException($"{name}:{line}: {bad}");
            Field(f, ti, cols, name, line, false); // refuses an empty or non-numeric time
            // A double: from 2^21 s (24 days of cycler test time) a float resolves only 0.25 s, coarser than 10 Hz rows.
            double ts = double.Parse(f[ti], NumberStyles.Float, CultureInfo.InvariantCulture);
            if (time.Count > 0 && !(ts > time[^1])) throw new ReplayLogException($"{name}:{line}: time_s {f[ti].Trim()} does not increase (previous row {time[^1].ToString(CultureInfo.InvariantCulture)})");
            time.Add(ts);
            lines.Add(line);
            current.Add(Field(f, ci, cols, name, line, true));
            mv.Add(Row(f, v, cols, name, line, 1000f));
            tc.Add(Row(f, t, cols, name, line, 1f));
            kpa.Add(Row(f, p, cols, name, line, 1f));
        }
        if (time.Count < 2) throw new ReplayLogException($"{name}: too few rows ({time.Count}; 2 at least)");
        var steps = new double[time.Count - 1];
        for (int k = 1; k < time.Count; k++) steps[k - 1] = time[k] - time[k - 1];
        Array.Sort(steps);
        return new ReplayLog
        {
            Name = name, Cells = v.Length, Stacks = p.Length, TimeS = time.ToArray(), CurrentA = current.ToArray(),
            CellMillivolts = mv.ToArray(), TemperatureC = tc.ToArray(), HasTemperatures = t.Length > 0, PressureKpa = kpa.ToArray(), MedianStepS = steps[steps.Length / 2],
            _lines = lines.ToArray(),
        };
    }

    private int[] _lines;

    /// <summary>
    /// Refuses a log whose time column cannot be in seconds: its current moves more charge one way than twice the cell
    /// holds (the swing of a real log stays within one capacity, full to empty, plus coulomb-count drift). Time in
    /// milliseconds read as seconds moves a thousand times the charge. Checked against the cell, so the runner calls it.
    /// </summary>
    public void CheckTimeUnit(double capacityAh)
    {
        double q = 0, low = 0, high = 0;
        for (int k = 1; k < Count; k++)
        {
            float amps = CurrentA[k - 1]; // a row's current holds until the next row (as the replay holds it)
            if (!float.IsNaN(amps)) q += amps * (TimeS[k] - TimeS[k - 1]) / 3600.0;
            low = Math.Min(low, q);
            high = Math.Max(high, q);
            if (high - low > 2 * capacityAh)
                throw new ReplayLogException(string.Format(CultureInfo.InvariantCulture,
                    "{0}:{1}: time_s: by this row the current has moved {2:0.##} Ah one way, more than twice the cell's {3:0.###} Ah ([cell] capacityAh): is time_s in milliseconds? (seconds expected)",
                    Name, _lines[k], high - low, capacityAh));
        }
    }

    /// <summary>Column indices of prefix1..prefixN, which must be numbered 1..N without a hole.</summary>
    private static int[] Numbered(string[] cols, string prefix)
    {
        var found = new List<int>();
        for (int n = 1; ; n++)
        {
            int i = Array.IndexOf(cols, prefix + n.ToString(CultureInfo.InvariantCulture));
            if (i < 0) break;
            found.Add(i);
        }
        return found.ToArray();
    }

    private static float[] Row(string[] f, int[] idx, string[] cols, string name, int line, float scale)
    {
        var r = new float[idx.Length];
        for (int j = 0; j < idx.Length; j++) r[j] = Field(f, idx[j], cols, name, line, true) * scale;
        return r;
    }

    private static float Field(string[] f, int i, string[] cols, string name, int line, bool missingAllowed)
    {
        string s = f[i].Trim();
        if (s.Length == 0 || s.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            if (missingAllowed) return float.NaN;
            throw new ReplayLogException($"{name}:{line}: {cols[i]} is empty");
        }
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || double.IsInfinity(x) || double.IsNaN(x))
            throw new ReplayLogException($"{name}:{line}: {cols[i]} '{s}' is not a number");
        if (CsvChecks.Implausible(cols[i], x) is string implausible) throw new ReplayLogException($"{name}:{line}: {implausible}");
        return (float)x;
    }
}
