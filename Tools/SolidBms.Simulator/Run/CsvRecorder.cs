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
    private readonly CsvRow _scratch;

    public CsvRecorder(Stream output, int cells)
    {
        _out = output;
        _cells = cells;
        _scratch = new CsvRow(cells);
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
    public static void AppendStateAndFaults(AsciiWriter w, BmsController ctl, string[] scratch) =>
        AppendStateAndFaults(w, BmsStateNames.Of(ctl.State), scratch, ctl.CopyFaultNames(scratch));

    private static void AppendStateAndFaults(AsciiWriter w, string state, string[] faults, int count)
    {
        w.Append(state); w.Append(',');
        for (int i = 0; i < count; i++)
        {
            if (i > 0) w.Append('|');
            w.Append(faults[i]);
        }
    }

    /// <summary>Formats and writes the runner's present tick at once (the bench, and runs without a second thread).</summary>
    public void WriteRow(ScenarioRunner r)
    {
        Capture(r, _scratch);
        Write(_scratch);
    }

    /// <summary>Copies the present tick's values into a row, to be written later with <see cref="Write"/>.</summary>
    public static void Capture(ScenarioRunner r, CsvRow row)
    {
        var pack = r.Pack;
        var ctl = r.Controller;
        row.TimeS = r.TimeS;
        row.CurrentA = r.CurrentA;
        row.TrueSoc = r.TrueSoc;
        row.EstimatedSoc = ctl.Estimator.PackSoc;
        double p = 0;
        foreach (var s in pack.Stacks) p += s.PressureKpa;
        row.MeanPressureKpa = p / pack.Stacks.Length;
        row.State = BmsStateNames.Of(ctl.State);
        row.FaultCount = ctl.CopyFaultNames(row.Faults);
        for (int i = 0; i < pack.Cells.Length; i++)
        {
            var c = pack.Cells[i];
            row.CellMillivolts[i] = c.TerminalMillivolts;
            row.CellTemperatureC[i] = c.TemperatureC;
            row.CellSoc[i] = c.Soc;
        }
        row.DemandA = r.DemandA;
        row.ChargeLimitA = ctl.ChargeLimitA;
        row.DischargeLimitA = ctl.DischargeLimitA;
        row.MainClosed = ctl.Outputs.MainClosed;
        row.R0GrowthPercentMax = ctl.Estimator.R0GrowthPercentMax;
        row.BleedingCount = pack.BleedingCount; // what really bleeds in the rig
    }

    /// <summary>Formats a captured row and writes it.</summary>
    public void Write(CsvRow row)
    {
        var w = _w;
        w.Clear();
        double vmin = double.MaxValue, vmax = double.MinValue, tmin = double.MaxValue, tmax = double.MinValue;
        for (int i = 0; i < _cells; i++)
        {
            double v = row.CellMillivolts[i], t = row.CellTemperatureC[i];
            if (v < vmin) vmin = v;
            if (v > vmax) vmax = v;
            if (t < tmin) tmin = t;
            if (t > tmax) tmax = t;
        }
        w.AppendFixed(row.TimeS, 1); w.Append(',');
        w.AppendFixed(row.CurrentA, 3); w.Append(',');
        w.AppendFixed(row.TrueSoc, 4); w.Append(',');
        if (!float.IsNaN(row.EstimatedSoc)) w.AppendFixed(row.EstimatedSoc, 4);
        w.Append(',');
        w.AppendFixed(vmin / 1000.0, 4); w.Append(',');
        w.AppendFixed(vmax / 1000.0, 4); w.Append(',');
        w.AppendFixed(tmin, 2); w.Append(',');
        w.AppendFixed(tmax, 2); w.Append(',');
        w.AppendFixed(row.MeanPressureKpa, 1); w.Append(',');
        AppendStateAndFaults(w, row.State, row.Faults, row.FaultCount);
        for (int i = 0; i < _cells; i++) { w.Append(','); w.AppendFixed(row.CellMillivolts[i] / 1000.0, 4); }
        for (int i = 0; i < _cells; i++) { w.Append(','); w.AppendFixed(row.CellTemperatureC[i], 2); }
        w.Append(','); w.AppendFixed(row.DemandA, 3);
        w.Append(','); w.AppendFixed(row.ChargeLimitA, 2);
        w.Append(','); w.AppendFixed(row.DischargeLimitA, 2);
        w.Append(','); w.Append(row.MainClosed ? "closed" : "open");
        w.Append(','); // empty until the R0 estimate and its baseline are known
        if (!float.IsNaN(row.R0GrowthPercentMax)) w.AppendFixed(row.R0GrowthPercentMax, 1);
        w.Append(','); w.Append(row.BleedingCount);
        for (int i = 0; i < _cells; i++) { w.Append(','); w.AppendFixed(row.CellSoc[i], 4); }
        w.Append('\n');
        _out.Write(w.Buffer, 0, w.Length);
    }

    public void Flush() => _out.Flush();
}
