using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ScottPlot;
using SolidBms.Core.Loop;
using SkiaSharp;

namespace SolidBms.Cli.Report;

/// <summary>
/// Plots of a run CSV, shared by `plot` and `report`: the overview (six stacked panels over one time axis:
/// cell voltages, cell temperatures, stack pressure, current with its limits, SOC, BMS state) and the fault
/// timeline. Long runs are thinned to at most 4000 points per line.
/// </summary>
public static class RunPlots
{
    private const int MaxPoints = 4000;

    /// <summary>Renders the overview to a PNG; returns how many rows were plotted.</summary>
    public static int RenderOverview(RunCsv table, string png, int width, int height)
    {
        var (x, xLabel, rows) = TimeAxis(table);
        int cells = table.Cells;

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
        var stateIndex = table.Text(rows, "state").Select(s => (double)BmsStateNames.IndexOf(s)).ToArray();
        var st = state.Add.Scatter(x, stateIndex);
        st.MarkerSize = 0;
        st.LineWidth = 2;
        st.ConnectStyle = ConnectStyle.StepHorizontal;
        state.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, BmsStateNames.Count).Select(i => (double)i).ToArray(),
            Enumerable.Range(0, BmsStateNames.Count).Select(BmsStateNames.OfCode).ToArray());
        state.Axes.SetLimitsY(-0.5, BmsStateNames.Count - 0.5);
        state.XLabel(xLabel);

        // A flat trace must look flat: without a minimum span, 0.01 C of noise would fill a whole panel.
        MinimumSpan(voltage, 0.05);
        MinimumSpan(temperature, 2);
        MinimumSpan(pressure, 50);
        var panels = new[] { voltage, temperature, pressure, current, soc, state };
        foreach (var p in panels)
        {
            p.Axes.SetLimitsX(x[0], x[^1]);
            p.Axes.Left.MinimumSize = 100; // the same left margin in every panel lines the time axes up
        }
        var multiplot = new Multiplot(panels[0]); // (the parameterless constructor adds an empty plot of its own)
        foreach (var p in panels.Skip(1)) multiplot.Subplots.Add(p);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();

        Save(multiplot, png, width, height);
        return rows.Count;
    }

    private static (double[] X, string Label, List<string[]> Rows) TimeAxis(RunCsv table)
    {
        int stride = Math.Max(1, (table.Rows.Count + MaxPoints - 1) / MaxPoints);
        var rows = table.Rows.Where((_, i) => i % stride == 0 || i == table.Rows.Count - 1).ToList();
        double[] tS = table.Column(rows, "time_s");
        bool hours = tS[^1] - tS[0] > 7200;
        return (tS.Select(t => hours ? t / 3600 : t).ToArray(), hours ? "time (h)" : "time (s)", rows);
    }

    /// <summary>
    /// One row per fault name seen in the run, drawn where it was active: warnings thin, alarms medium,
    /// trips thick, on the same time axis as the overview. Returns how many distinct faults were drawn.
    /// </summary>
    public static int RenderFaultTimeline(RunCsv table, string png, int width)
    {
        var (x, xLabel, _) = TimeAxis(table);
        double[] t = table.Column("time_s");
        bool hours = xLabel == "time (h)";
        string[] faults = table.Text("faults");
        var names = faults.SelectMany(f => f.Split('|', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => f.Split(':')[0]).Distinct().OrderBy(n => n).ToList();
        var plot = NewPanel("Faults over time (thin: warning, medium: alarm, thick: trip latched)", "");
        for (int k = 0; k < names.Count; k++)
        {
            foreach (var (level, lineWidth, color) in new[] { ("warning", 4f, Colors.Orange), ("alarm", 8f, Colors.Red), ("trip", 14f, Colors.DarkRed) })
            {
                string key = names[k] + ":" + level;
                int i = 0;
                while (i < faults.Length)
                {
                    if (!faults[i].Split('|').Contains(key)) { i++; continue; }
                    int j = i;
                    while (j + 1 < faults.Length && faults[j + 1].Split('|').Contains(key)) j++;
                    double a = hours ? t[i] / 3600 : t[i], b = hours ? t[j] / 3600 : t[j];
                    if (b <= a) b = a + (x[^1] - x[0]) / 400; // a one-row fault still shows
                    var seg = plot.Add.Line(a, k, b, k);
                    seg.LineWidth = lineWidth;
                    seg.LineColor = color;
                    i = j + 1;
                }
            }
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, names.Count).Select(i => (double)i).ToArray(), names.ToArray());
        plot.Axes.SetLimitsY(-0.7, Math.Max(names.Count, 1) - 0.3);
        plot.Axes.SetLimitsX(x[0], x[^1]);
        plot.Axes.Left.MinimumSize = 180;
        plot.XLabel(xLabel);
        if (names.Count == 0) plot.Title("Faults over time: none");
        Save(plot, png, width, 140 + 40 * Math.Max(names.Count, 1));
        return names.Count;
    }

    private static void Save(Multiplot multiplot, string png, int width, int height) =>
        Write(png, width, height, c => multiplot.Render(c, new PixelRect(0, width, height, 0)));

    private static void Save(Plot plot, string png, int width, int height) =>
        Write(png, width, height, c => plot.Render(c, new PixelRect(0, width, height, 0)));

    private static void Write(string png, int width, int height, Action<SKCanvas> draw)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        surface.Canvas.Clear(SKColors.White);
        draw(surface.Canvas);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(png);
        data.SaveTo(file);
    }

    private static void MinimumSpan(Plot p, double span)
    {
        p.Axes.AutoScale();
        var limits = p.Axes.GetLimits();
        if (limits.Top - limits.Bottom >= span) return;
        double mid = (limits.Top + limits.Bottom) / 2;
        p.Axes.SetLimitsY(mid - span / 2, mid + span / 2);
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

}
