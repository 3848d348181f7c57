using System.IO;
using SolidBms.Core.Loop;
using SolidBms.Core.Util;

namespace SolidBms.Simulator.Run;

/// <summary>
/// Writes the run CSV (the contract in docs/scenario-format.md) with the firmware's allocation-free
/// <see cref="AsciiWriter"/>: a day at 10 Hz is 864,000 rows, and per-number strings would dominate the run.
/// </summary>
public sealed class CsvRecorder
{
    private readonly Stream _out;
    private readonly int _cells;
    private readonly AsciiWriter _w = new(16384);
    private readonly string[] _faults = new string[64];

    public CsvRecorder(Stream output, int cells)
    {
        _out = output;
        _cells = cells;
    }

    public static string Header(int cells)
    {
        var sb = new System.Text.StringBuilder("time_s,current_a,soc_true,soc_est,cell_v_min,cell_v_max,temp_min_c,temp_max_c,pressure_kpa,state,faults");
        for (int i = 1; i <= cells; i++) sb.Append(",v").Append(i);
        for (int i = 1; i <= cells; i++) sb.Append(",t").Append(i);
        sb.Append(",demand_a,charge_limit_a,discharge_limit_a,contactor");
        sb.Append(",r0_growth_pct_max");
        sb.Append(",balancing"); // cells bleeding (docs/balancing.md)
        for (int i = 1; i <= cells; i++) sb.Append(",s").Append(i);
        return sb.ToString();
    }

    public void WriteHeader() => WriteLine(_out, _w, Header(_cells));

    /// <summary>One text line through the row buffer (the header; shared with the replay's CSV).</summary>
    public static void WriteLine(Stream output, AsciiWriter w, string line)
    {
        w.Clear();
        w.Append(line);
        w.Append('\n');
        output.Write(w.Buffer, 0, w.Length);
    }

    /// <summary>The state and faults columns ("idle,a:warning|b:trip"), allocation-free with a caller's scratch array.</summary>
    public static void AppendStateAndFaults(AsciiWriter w, BmsController ctl, string[] scratch)
    {
        w.Append(BmsStateNames.Of(ctl.State)); w.Append(',');
        int n = ctl.CopyFaultNames(scratch);
        for (int i = 0; i < n; i++)
        {
            if (i > 0) w.Append('|');
            w.Append(scratch[i]);
        }
    }

    public void WriteRow(ScenarioRunner r)
    {
        var w = _w;
        w.Clear();
        var pack = r.Pack;
        double vmin = double.MaxValue, vmax = double.MinValue, tmin = double.MaxValue, tmax = double.MinValue;
        foreach (var c in pack.Cells)
        {
            if (c.TerminalMillivolts < vmin) vmin = c.TerminalMillivolts;
            if (c.TerminalMillivolts > vmax) vmax = c.TerminalMillivolts;
            if (c.TemperatureC < tmin) tmin = c.TemperatureC;
            if (c.TemperatureC > tmax) tmax = c.TemperatureC;
        }
        var ctl = r.Controller;
        w.AppendFixed(r.TimeS, 1); w.Append(',');
        w.AppendFixed(r.CurrentA, 3); w.Append(',');
        w.AppendFixed(r.TrueSoc, 4); w.Append(',');
        float est = ctl.Estimator.PackSoc;
        if (!float.IsNaN(est)) w.AppendFixed(est, 4);
        w.Append(',');
        w.AppendFixed(vmin / 1000.0, 4); w.Append(',');
        w.AppendFixed(vmax / 1000.0, 4); w.Append(',');
        w.AppendFixed(tmin, 2); w.Append(',');
        w.AppendFixed(tmax, 2); w.Append(',');
        double p = 0;
        foreach (var s in pack.Stacks) p += s.PressureKpa;
        w.AppendFixed(p / pack.Stacks.Length, 1); w.Append(',');
        AppendStateAndFaults(w, ctl, _faults);
        foreach (var c in pack.Cells) { w.Append(','); w.AppendFixed(c.TerminalMillivolts / 1000.0, 4); }
        foreach (var c in pack.Cells) { w.Append(','); w.AppendFixed(c.TemperatureC, 2); }
        w.Append(','); w.AppendFixed(r.DemandA, 3);
        w.Append(','); w.AppendFixed(ctl.ChargeLimitA, 2);
        w.Append(','); w.AppendFixed(ctl.DischargeLimitA, 2);
        w.Append(','); w.Append(ctl.Outputs.MainClosed ? "closed" : "open");
        w.Append(','); // empty until the R0 estimate and its baseline are known
        if (!float.IsNaN(ctl.Estimator.R0GrowthPercentMax)) w.AppendFixed(ctl.Estimator.R0GrowthPercentMax, 1);
        w.Append(','); w.Append(pack.BleedingCount); // what really bleeds in the rig
        foreach (var c in pack.Cells) { w.Append(','); w.AppendFixed(c.Soc, 4); }
        w.Append('\n');
        _out.Write(w.Buffer, 0, w.Length);
    }

    public void Flush() => _out.Flush();
}
