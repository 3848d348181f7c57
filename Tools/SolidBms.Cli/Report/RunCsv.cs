using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using SolidBms.Simulator.Replay;

namespace SolidBms.Cli.Report;

/// <summary>The run CSV of `sim` or `log` (docs/scenario-format.md): a header and comma-separated rows, no quoting.</summary>
public sealed class RunCsv
{
    private Dictionary<string, int> _index = new();

    public string Path { get; private set; } = "";
    public string[] Header { get; private set; } = System.Array.Empty<string>();
    public List<string[]> Rows { get; } = new();
    public int Cells => Header.Count(h => h.Length > 1 && h[0] == 'v' && char.IsDigit(h[1]));

    private static readonly string[] NumericColumns = { "time_s", "current_a", "soc_true", "soc_est", "cell_v_min", "cell_v_max", "temp_min_c", "temp_max_c", "pressure_kpa" };

    public static RunCsv Read(string path)
    {
        using var r = new StreamReader(path);
        return Read(r, path);
    }

    /// <summary>A run from any reader (a file, or the fleet database's rows as CSV: Collect/FleetRun.cs); <paramref name="path"/> names it in errors.</summary>
    public static RunCsv Read(TextReader r, string path)
    {
        var c = new RunCsv { Path = path };
        c.Header = (r.ReadLine() ?? throw new UsageException($"{path} is empty")).Split(',');
        c._index = c.Header.Select((h, i) => (h, i)).ToDictionary(p => p.h, p => p.i);
        foreach (var need in new[] { "time_s", "current_a", "soc_est", "pressure_kpa", "state", "faults" })
            if (!c._index.ContainsKey(need)) throw new UsageException($"{path}: no column '{need}' (expected the CSV of sim or log)");
        // Numeric columns must hold a finite number plausible for their unit, or nothing (unknown); time must not run backwards.
        var numeric = c.Header.Select((h, i) => (h, i)).Where(p => NumericColumns.Contains(p.h) || CsvChecks.HasUnit(p.h)).ToArray();
        int timeIndex = c._index["time_s"];
        double lastTime = double.NegativeInfinity;
        string line;
        int lineNumber = 1;
        while ((line = r.ReadLine()) != null)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var f = line.Split(',');
            // A row with another field count is refused, not skipped: one extra (a decimal comma) shifts every later column.
            if (CsvChecks.FieldCount(f.Length, c.Header.Length) is string bad) throw new UsageException($"{path}:{lineNumber}: {bad}");
            foreach (var (name, i) in numeric)
            {
                if (f[i].Length == 0 && name != "time_s") continue;
                if (!double.TryParse(f[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                    throw new UsageException($"{path}:{lineNumber}: {name} '{f[i]}' is not a number");
                if (CsvChecks.Implausible(name, v) is string implausible) throw new UsageException($"{path}:{lineNumber}: {implausible}");
            }
            double t = double.Parse(f[timeIndex], CultureInfo.InvariantCulture);
            if (t < 0 || t < lastTime) throw new UsageException($"{path}:{lineNumber}: time_s {f[timeIndex]} runs backwards or is negative (the previous row was at {lastTime.ToString(CultureInfo.InvariantCulture)})");
            lastTime = t;
            c.Rows.Add(f);
            c._lines.Add(lineNumber);
        }
        c.CheckTimeUnit();
        return c;
    }

    private readonly List<int> _lines = new();

    /// <summary>
    /// Refuses a time column that cannot be in seconds. The run CSV names no capacity, but its current and SOC imply one:
    /// charge moved over SOC moved. Time in milliseconds read as seconds makes that a thousand times the cell's, beyond
    /// the largest capacity a cell file may state (<see cref="Core.Config.CellModel.MaxCapacityAh"/>). Judged from the
    /// row where the SOC has moved furthest from the first, once it has moved 0.05 (less is within the estimate's error).
    /// </summary>
    private void CheckTimeUnit()
    {
        string socColumn = Column("soc_true").Any(double.IsFinite) ? "soc_true" : "soc_est";
        double[] time = Column("time_s"), amps = Column("current_a"), soc = Column(socColumn);
        int first = System.Array.FindIndex(soc, double.IsFinite);
        if (first < 0) return;
        double q = 0, qAtFurthest = 0, furthest = 0;
        int furthestRow = -1;
        for (int k = first + 1; k < time.Length; k++)
        {
            if (double.IsFinite(amps[k - 1])) q += amps[k - 1] * (time[k] - time[k - 1]) / 3600.0;
            if (double.IsFinite(soc[k]) && System.Math.Abs(soc[k] - soc[first]) > furthest) { furthest = System.Math.Abs(soc[k] - soc[first]); qAtFurthest = q; furthestRow = k; }
        }
        if (furthest < 0.05) return;
        double impliedAh = System.Math.Abs(qAtFurthest) / furthest;
        if (impliedAh > Core.Config.CellModel.MaxCapacityAh)
            throw new UsageException(string.Format(CultureInfo.InvariantCulture,
                "{0}:{1}: time_s: the current moved {2:0.#} Ah while {3} moved {4:0.###}, a cell of {5:0} Ah, above the {6:0} Ah any cell file may state: is time_s in milliseconds? (seconds expected)",
                Path, _lines[furthestRow], System.Math.Abs(qAtFurthest), socColumn, furthest, impliedAh, Core.Config.CellModel.MaxCapacityAh));
    }

    public bool Has(string name) => _index.ContainsKey(name);

    public double[] Column(IReadOnlyList<string[]> rows, string name)
    {
        if (!_index.TryGetValue(name, out int i)) return rows.Select(_ => double.NaN).ToArray();
        return rows.Select(r => double.TryParse(r[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN).ToArray();
    }

    public double[] Column(string name) => Column(Rows, name);

    public string[] Text(IReadOnlyList<string[]> rows, string name) => rows.Select(r => r[_index[name]]).ToArray();

    public string[] Text(string name) => Text(Rows, name);
}
