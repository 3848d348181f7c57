using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace SolidBms.Cli.Report;

/// <summary>
/// The numbers a lab report starts with, from a run CSV: duration, extremes, each fault with when it was
/// first and last active, charge and energy in and out (pack voltage = sum of the cell columns).
/// </summary>
public sealed class RunReport
{
    public double DurationS { get; private set; }
    public double MinCellV { get; private set; } = double.NaN;
    public double MaxCellV { get; private set; } = double.NaN;
    public double MinTempC { get; private set; } = double.NaN;
    public double MaxTempC { get; private set; } = double.NaN;
    public double MinPressureKpa { get; private set; } = double.NaN;
    public double MaxPressureKpa { get; private set; } = double.NaN;
    public double MaxDischargeA { get; private set; }
    public double MaxChargeA { get; private set; }
    public double DischargedAh { get; private set; }
    public double ChargedAh { get; private set; }
    public double DischargedWh { get; private set; }
    public double ChargedWh { get; private set; }
    public string FinalState { get; private set; } = "";
    public List<(string Fault, double FirstS, double LastS)> Faults { get; } = new();
    public Dictionary<string, double> TimeInStateS { get; } = new();

    public static RunReport From(RunCsv csv)
    {
        var r = new RunReport();
        double[] t = csv.Column("time_s"), i = csv.Column("current_a");
        double[] vmin = csv.Column("cell_v_min"), vmax = csv.Column("cell_v_max");
        double[] tmin = csv.Column("temp_min_c"), tmax = csv.Column("temp_max_c"), p = csv.Column("pressure_kpa");
        string[] state = csv.Text("state"), faults = csv.Text("faults");
        var cellColumns = Enumerable.Range(1, csv.Cells).Select(c => csv.Column("v" + c)).ToArray();
        int n = t.Length;
        if (n == 0) return r;
        r.DurationS = t[n - 1] - t[0];
        r.MinCellV = Min(vmin); r.MaxCellV = Max(vmax);
        r.MinTempC = Min(tmin); r.MaxTempC = Max(tmax);
        r.MinPressureKpa = Min(p); r.MaxPressureKpa = Max(p);
        r.MaxDischargeA = Math.Max(0, Max(i));
        r.MaxChargeA = Math.Max(0, -Min(i));
        r.FinalState = state[n - 1];
        var first = new Dictionary<string, double>();
        var last = new Dictionary<string, double>();
        for (int k = 0; k < n; k++)
        {
            double dt = k + 1 < n ? t[k + 1] - t[k] : 0;
            double packV = cellColumns.Sum(col => double.IsNaN(col[k]) ? 0 : col[k]);
            double amps = double.IsNaN(i[k]) ? 0 : i[k];
            if (amps > 0) { r.DischargedAh += amps * dt / 3600; r.DischargedWh += amps * packV * dt / 3600; }
            else { r.ChargedAh -= amps * dt / 3600; r.ChargedWh -= amps * packV * dt / 3600; }
            r.TimeInStateS[state[k]] = r.TimeInStateS.GetValueOrDefault(state[k]) + dt;
            foreach (var f in faults[k].Split('|', StringSplitOptions.RemoveEmptyEntries))
            {
                first.TryAdd(f, t[k]);
                last[f] = t[k];
            }
        }
        foreach (var f in first.Keys.OrderBy(f => first[f])) r.Faults.Add((f, first[f], last[f]));
        return r;
    }

    private static double Min(double[] v) => v.Where(x => !double.IsNaN(x)).DefaultIfEmpty(double.NaN).Min();
    private static double Max(double[] v) => v.Where(x => !double.IsNaN(x)).DefaultIfEmpty(double.NaN).Max();

    public string ToMarkdown(string source, IEnumerable<string> images)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine($"# Run report: {Path.GetFileName(source)}");
        sb.AppendLine();
        sb.AppendLine(string.Format(ci, "- Duration: {0:0.0} s ({1:0.00} h), final state **{2}**", DurationS, DurationS / 3600, FinalState));
        sb.AppendLine(string.Format(ci, "- Cell voltage: {0:0.000} .. {1:0.000} V", MinCellV, MaxCellV));
        sb.AppendLine(string.Format(ci, "- Cell temperature: {0:0.0} .. {1:0.0} °C", MinTempC, MaxTempC));
        sb.AppendLine(string.Format(ci, "- Stack pressure: {0:0} .. {1:0} kPa", MinPressureKpa, MaxPressureKpa));
        sb.AppendLine(string.Format(ci, "- Current: up to {0:0.00} A discharge, {1:0.00} A charge", MaxDischargeA, MaxChargeA));
        sb.AppendLine(string.Format(ci, "- Out: {0:0.000} Ah, {1:0.00} Wh; in: {2:0.000} Ah, {3:0.00} Wh", DischargedAh, DischargedWh, ChargedAh, ChargedWh));
        sb.AppendLine("- Time in state: " + string.Join(", ", TimeInStateS.OrderByDescending(kv => kv.Value).Select(kv => string.Format(ci, "{0} {1:0.0} s", kv.Key, kv.Value))));
        sb.AppendLine();
        sb.AppendLine("## Faults");
        sb.AppendLine();
        if (Faults.Count == 0) sb.AppendLine("None.");
        else
        {
            sb.AppendLine("| fault | first active (s) | last active (s) |");
            sb.AppendLine("|---|---:|---:|");
            foreach (var (f, a, b) in Faults) sb.AppendLine(string.Format(ci, "| {0} | {1:0.0} | {2:0.0} |", f, a, b));
        }
        sb.AppendLine();
        sb.AppendLine("## Plots");
        sb.AppendLine();
        foreach (var img in images) sb.AppendLine($"![{Path.GetFileNameWithoutExtension(img)}]({Path.GetFileName(img)})");
        return sb.ToString();
    }
}
