using System;
using System.Globalization;
using System.Linq;
using SolidBms.Simulator.Run;

namespace SolidBms.Cli.Serial;

/// <summary>
/// Telemetry frames as rows of the simulator's CSV (same header, <see cref="CsvRecorder.Header"/>), so `plot`
/// and any script read a live log and a simulation alike. What the device cannot know (the simulator's true
/// SOC, the demanded current) is left empty; voltages and temperatures are the firmware's measurements.
/// </summary>
public static class TelemetryCsv
{
    public static string Row(TelemetrySample s)
    {
        var ci = CultureInfo.InvariantCulture;
        string F(double v, string fmt) => double.IsNaN(v) ? "" : v.ToString(fmt, ci);
        double Min(double[] a) => a.Where(x => !double.IsNaN(x)).DefaultIfEmpty(double.NaN).Min();
        double Max(double[] a) => a.Where(x => !double.IsNaN(x)).DefaultIfEmpty(double.NaN).Max();
        var valid = s.PressureKpa.Where(x => !double.IsNaN(x)).ToArray();
        var cols = new System.Collections.Generic.List<string>
        {
            (s.TimeMs / 1000.0).ToString("0.0", ci),
            F(s.CurrentMa / 1000, "0.000"),
            "",
            F(s.SocPermille / 1000, "0.0000"),
            F(Min(s.CellMv) / 1000, "0.0000"),
            F(Max(s.CellMv) / 1000, "0.0000"),
            F(Min(s.TempDeciC) / 10, "0.00"),
            F(Max(s.TempDeciC) / 10, "0.00"),
            valid.Length == 0 ? "" : valid.Average().ToString("0.0", ci),
            s.State,
            string.Join("|", s.Faults),
        };
        cols.AddRange(s.CellMv.Select(v => F(v / 1000, "0.0000")));
        cols.AddRange(s.TempDeciC.Select(v => F(v / 10, "0.00")));
        cols.Add("");
        cols.Add(F(s.ChargeLimitMa / 1000, "0.00"));
        cols.Add(F(s.DischargeLimitMa / 1000, "0.00"));
        cols.Add(s.ContactorClosed ? "closed" : "open");
        cols.Add(""); // r0_growth_pct_max, not carried by the telemetry frame (empty = unknown, as in sim CSVs)
        cols.Add(s.BalancingCells >= 0 ? s.BalancingCells.ToString(ci) : ""); // balancing: the firmware's count of cells bleeding
        cols.AddRange(s.CellMv.Select(_ => "")); // s1..sN: the true cell SOCs only a simulation knows
        return string.Join(",", cols);
    }

    public static string Header(int cells) => CsvRecorder.Header(cells);
}
