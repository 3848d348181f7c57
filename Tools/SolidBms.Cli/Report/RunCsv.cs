using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

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
        var c = new RunCsv { Path = path };
        using var r = new StreamReader(path);
        c.Header = (r.ReadLine() ?? throw new UsageException($"{path} is empty")).Split(',');
        c._index = c.Header.Select((h, i) => (h, i)).ToDictionary(p => p.h, p => p.i);
        foreach (var need in new[] { "time_s", "current_a", "soc_est", "pressure_kpa", "state", "faults" })
            if (!c._index.ContainsKey(need)) throw new UsageException($"{path}: no column '{need}' (expected the CSV of sim or log)");
        // Numeric columns must hold a finite number or nothing (unknown); time must not run backwards.
        var numeric = NumericColumns.Where(c._index.ContainsKey).Select(n => (n, c._index[n])).ToArray();
        int timeIndex = c._index["time_s"];
        double lastTime = double.NegativeInfinity;
        string line;
        int lineNumber = 1;
        while ((line = r.ReadLine()) != null)
        {
            lineNumber++;
            var f = line.Split(',');
            if (f.Length != c.Header.Length) continue; // a row cut short by a stopped run
            foreach (var (name, i) in numeric)
            {
                if (f[i].Length == 0 && name != "time_s") continue;
                if (!double.TryParse(f[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                    throw new UsageException($"{path} line {lineNumber}: {name} '{f[i]}' is not a number");
            }
            double t = double.Parse(f[timeIndex], CultureInfo.InvariantCulture);
            if (t < 0 || t < lastTime) throw new UsageException($"{path} line {lineNumber}: time_s {f[timeIndex]} runs backwards or is negative (the previous row was at {lastTime.ToString(CultureInfo.InvariantCulture)})");
            lastTime = t;
            c.Rows.Add(f);
        }
        return c;
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
