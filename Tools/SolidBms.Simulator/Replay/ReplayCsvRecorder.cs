using System.IO;
using SolidBms.Core.Measurement;
using SolidBms.Core.Util;
using SolidBms.Simulator.Run;

namespace SolidBms.Simulator.Replay;

/// <summary>
/// The replay's output CSV: the run-CSV columns that exist for recorded data (docs/scenario-format.md), taken from
/// what the firmware measured and decided. No soc_true (a log has no truth) and no demand_a; soc_cc (the
/// estimator's plain coulomb count) is added so the filter can be compared with counting.
/// </summary>
public sealed class ReplayCsvRecorder
{
    private readonly Stream _out;
    private readonly int _cells;
    private readonly AsciiWriter _w = new(16384);
    private readonly string[] _faults = new string[64];

    public ReplayCsvRecorder(Stream output, int cells)
    {
        _out = output;
        _cells = cells;
    }

    public static string Header(int cells)
    {
        var sb = new System.Text.StringBuilder("time_s,current_a,soc_est,soc_cc,cell_v_min,cell_v_max,temp_min_c,temp_max_c,pressure_kpa,state,faults");
        for (int i = 1; i <= cells; i++) sb.Append(",v").Append(i);
        for (int i = 1; i <= cells; i++) sb.Append(",t").Append(i);
        sb.Append(",charge_limit_a,discharge_limit_a,contactor,r0_growth_pct_max");
        return sb.ToString();
    }

    public void WriteHeader() => CsvRecorder.WriteLine(_out, _w, Header(_cells));

    public void WriteRow(ReplayRunner r)
    {
        var w = _w;
        w.Clear();
        var ctl = r.Controller;
        var m = ctl.Measurement;
        w.AppendFixed(r.TimeS, 3); w.Append(',');
        Value(m.PackCurrentStatus == SensorStatus.Ok ? m.PackCurrentA : float.NaN, 1, 3); w.Append(',');
        Value(ctl.Estimator.PackSoc, 1, 4); w.Append(',');
        Value(ctl.Estimator.CoulombCountSoc, 1, 4); w.Append(',');
        Value(m.MinCellMillivolts(), 0.001, 4); w.Append(',');
        Value(m.MaxCellMillivolts(), 0.001, 4); w.Append(',');
        Value(m.MinTemperatureC(), 1, 2); w.Append(',');
        Value(m.MaxTemperatureC(), 1, 2); w.Append(',');
        Value(MeanPressure(m), 1, 1); w.Append(',');
        CsvRecorder.AppendStateAndFaults(w, ctl, _faults);
        for (int i = 0; i < _cells; i++) { w.Append(','); Value(m.CellVoltageStatus[i] == SensorStatus.Ok ? m.CellMillivolts[i] : float.NaN, 0.001, 4); }
        for (int i = 0; i < _cells; i++) { w.Append(','); Value(m.CellTemperatureStatus[i] == SensorStatus.Ok ? m.CellTemperatureC[i] : float.NaN, 1, 2); }
        w.Append(','); w.AppendFixed(ctl.ChargeLimitA, 2);
        w.Append(','); w.AppendFixed(ctl.DischargeLimitA, 2);
        w.Append(','); w.Append(ctl.Outputs.MainClosed ? "closed" : "open");
        w.Append(','); Value(ctl.Estimator.R0GrowthPercentMax, 1, 1);
        w.Append('\n');
        _out.Write(w.Buffer, 0, w.Length);
    }

    /// <summary>A number, or an empty field when it is unknown.</summary>
    private void Value(float v, double scale, int decimals)
    {
        if (!float.IsNaN(v) && !float.IsInfinity(v)) _w.AppendFixed(v * scale, decimals);
    }

    private static float MeanPressure(PackMeasurement m)
    {
        float sum = 0;
        int n = 0;
        for (int s = 0; s < m.StackCount; s++)
            if (m.StackPressureStatus[s] == SensorStatus.Ok) { sum += m.StackPressureKpa[s]; n++; }
        return n == 0 ? float.NaN : sum / n;
    }

    public void Flush() => _out.Flush();
}
