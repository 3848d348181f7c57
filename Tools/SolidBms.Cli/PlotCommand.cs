using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ScottPlot;
using SkiaSharp;

namespace SolidBms.Cli;

/// <summary>
/// `plot CSV --png OUT [--width W] [--height H]`: one PNG with six stacked panels over a shared time axis:
/// cell voltages, cell temperatures, stack pressure, current with its limits, SOC, and the BMS state. Reads
/// the CSV of `sim` or `log` (same columns). Long runs are thinned to at most 4000 points per line.
/// </summary>
public static class PlotCommand
{
    private static readonly string[] States = { "init", "idle", "charge", "discharge", "derate", "safe" };
    private const int MaxPoints = 4000;

    public static int Run(CliArgs a, TextWriter stdout, TextWriter stderr)
    {
        if (a.Positional.Count != 1) throw new UsageException("plot needs one CSV file: plot run.csv --png run.png");
        string png = a.Get("png") ?? throw new UsageException("plot needs --png OUT");
        int width = a.Int("width", 1400, 400, 8000);
        int height = a.Int("height", 1600, 400, 8000);
        a.RejectUnknown();
        string csvPath = a.Positional[0];
        if (!File.Exists(csvPath)) throw new UsageException($"no such file: {csvPath}");

        var table = Csv.Read(csvPath);
        if (table.Rows.Count == 0) { stderr.WriteLine($"error: {csvPath} has no rows"); return 2; }
        int stride = Math.Max(1, (table.Rows.Count + MaxPoints - 1) / MaxPoints);
        var rows = table.Rows.Where((_, i) => i % stride == 0 || i == table.Rows.Count - 1).ToList();
        double[] tS = table.Column(rows, "time_s");
        bool hours = tS[^1] - tS[0] > 7200;
        double[] x = tS.Select(t => hours ? t / 3600 : t).ToArray();
        string xLabel = hours ? "time (h)" : "time (s)";
        int cells = table.Header.Count(h => h.Length > 1 && h[0] == 'v' && char.IsDigit(h[1]));

        var voltage = NewPanel("Cell voltages", "V");
        for (int c = 1; c <= cells; c++) Line(voltage, x, table.Column(rows, "v" + c), null, 1);
        var temperature = NewPanel("Cell temperatures", "°C");
        for (int c = 1; c <= cells; c++) Line(temperature, x, table.Column(rows, "t" + c), null, 1);
        var pressure = NewPanel("Stack pressure (mean of stacks)", "kPa");
        Line(pressure, x, table.Column(rows, "pressure_kpa"), null, 1.5f);
        var current = NewPanel("Current (+ discharge) and limits", "A");
        Line(current, x, table.Column(rows, "current_a"), "current", 1.5f);
        Line(current, x, table.Column(rows, "discharge_limit_a"), "discharge limit", 1, LinePattern.Dashed);
        Line(current, x, table.Column(rows, "charge_limit_a").Select(v => -v).ToArray(), "charge limit (as -A)", 1, LinePattern.Dashed);
        current.ShowLegend(Alignment.UpperRight);
        var soc = NewPanel("State of charge", "%");
        Line(soc, x, table.Column(rows, "soc_est").Select(v => v * 100).ToArray(), "estimated (BMS)", 1.5f);
        var socTrue = table.Column(rows, "soc_true");
        if (socTrue.Any(v => !double.IsNaN(v))) Line(soc, x, socTrue.Select(v => v * 100).ToArray(), "true (simulator)", 1, LinePattern.Dashed);
        soc.ShowLegend(Alignment.LowerLeft);
        var state = NewPanel("BMS state", "");
        var stateIndex = table.Text(rows, "state").Select(s => (double)Array.IndexOf(States, s)).ToArray();
        var st = state.Add.Scatter(x, stateIndex);
        st.MarkerSize = 0;
        st.LineWidth = 2;
        st.ConnectStyle = ConnectStyle.StepHorizontal;
        state.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, States.Length).Select(i => (double)i).ToArray(), States);
        state.Axes.SetLimitsY(-0.5, States.Length - 0.5);
        state.XLabel(xLabel);

        var panels = new[] { voltage, temperature, pressure, current, soc, state };
        foreach (var p in panels)
        {
            p.Axes.SetLimitsX(x[0], x[^1]);
            p.Axes.Left.MinimumSize = 100; // the same left margin in every panel lines the time axes up
        }
        var multiplot = new Multiplot(panels[0]); // (the parameterless constructor adds an empty plot of its own)
        foreach (var p in panels.Skip(1)) multiplot.Subplots.Add(p);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();

        using (var surface = SKSurface.Create(new SKImageInfo(width, height)))
        {
            surface.Canvas.Clear(SKColors.White);
            multiplot.Render(surface.Canvas, new PixelRect(0, width, height, 0));
            using var image = surface.Snapshot();
            using var data = image.Encode(SKEncodedImageFormat.Png, 100);
            using var file = File.Create(png);
            data.SaveTo(file);
        }
        stdout.WriteLine($"plot: {table.Rows.Count} rows ({rows.Count} plotted), {cells} cells -> {png}");
        return 0;
    }

    private static Plot NewPanel(string title, string unit)
    {
        var p = new Plot();
        p.Title(title, 14);
        if (unit.Length > 0) p.YLabel(unit, 13);
        return p;
    }

    private static void Line(Plot p, double[] x, double[] y, string label, float width, LinePattern? pattern = null)
    {
        if (y.All(double.IsNaN)) return;
        var s = p.Add.ScatterLine(x, y);
        s.LineWidth = width;
        if (pattern != null) s.LinePattern = pattern.Value;
        if (label != null) s.LegendText = label;
    }

    /// <summary>The run CSV: a header and comma-separated rows (no quoting in this format).</summary>
    private sealed class Csv
    {
        public string[] Header;
        public List<string[]> Rows = new();
        private Dictionary<string, int> _index;

        public static Csv Read(string path)
        {
            var c = new Csv();
            using var r = new StreamReader(path);
            c.Header = (r.ReadLine() ?? throw new UsageException($"{path} is empty")).Split(',');
            c._index = c.Header.Select((h, i) => (h, i)).ToDictionary(p => p.h, p => p.i);
            foreach (var need in new[] { "time_s", "current_a", "soc_est", "pressure_kpa", "state" })
                if (!c._index.ContainsKey(need)) throw new UsageException($"{path}: no column '{need}' (expected the CSV of sim or log)");
            string line;
            while ((line = r.ReadLine()) != null)
            {
                var f = line.Split(',');
                if (f.Length == c.Header.Length) c.Rows.Add(f);
            }
            return c;
        }

        public double[] Column(List<string[]> rows, string name)
        {
            if (!_index.TryGetValue(name, out int i)) return rows.Select(_ => double.NaN).ToArray();
            return rows.Select(r => double.TryParse(r[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN).ToArray();
        }

        public string[] Text(List<string[]> rows, string name) => rows.Select(r => r[_index[name]]).ToArray();
    }
}
