using System;
using System.Globalization;
using System.IO;
using System.Text;
using SolidBms.Core.Config;
using SolidBms.Core.Estimation;
using SolidBms.Core.Hal;
using SolidBms.Simulator;
using SolidBms.Simulator.Replay;

namespace SolidBms.CellFit;

/// <summary>SOC error of a replay against a truth, percentage points, with the firmware's own coulomb count beside it.</summary>
public sealed record SocScore(double RmsPoints, double MaxPoints, double CoulombRmsPoints, double CoulombMaxPoints, int Samples, double FinalTruth);

/// <summary>
/// Runs one cell's cycler record (<see cref="CyclerLog"/>) through the firmware's whole loop (<see cref="ReplayRunner"/>,
/// the `replay` path: measurement, estimation, safety; an injected clock, 100 ms ticks, each row held until the next)
/// on a one-cell copy of a board, and scores the estimator's SOC, and the plain coulomb count it runs alongside, against
/// a truth per row. What the firmware does with the record is what a rig would do with the same readings.
/// A cycler's row k holds the current that flowed since row k-1 (the convention of the fit, <see cref="Segments"/>, and of
/// the cycler's own Ah counter) and the voltage at its end, so the firmware is shown row k from the time of row k-1 on:
/// over a 1 s row the RC pairs then see the current that made the voltage they are compared with (held forward instead,
/// a 2 s pair lags a whole row at every step, 20 mV on a 1C step).
/// </summary>
public static class SocReplay
{
    public const string DefaultBoard = "sim-analog-16";

    /// <summary>SOC truth per row by the record's own current from a known start (the cycler's Ah counter where the log has none).</summary>
    public static double[] CoulombTruth(CyclerLog log, double soc0, double capacityAh)
    {
        var q = Segments.DischargedAh(log);
        var truth = new double[log.Count];
        for (int k = 0; k < log.Count; k++) truth[k] = soc0 - q[k] / capacityAh;
        return truth;
    }

    /// <param name="truth">SOC (0..1) at each row of the log.</param>
    /// <param name="scoreFromS">Log time from which ticks are scored (earlier ticks run but do not count).</param>
    /// <param name="currentOffsetA">Added to every current reading: a current-sensor offset the record did not have.</param>
    /// <param name="startRow">First row replayed (a start in the middle of the record, the firmware knowing nothing of before
    /// unless <paramref name="socFlash"/> holds what an earlier run saved).</param>
    /// <param name="socFlash">The flash of the firmware's SOC memory (SocMemory), kept across runs like a device's across a reset; null: none.</param>
    /// <param name="endRow">Row before which the run stops (a reset there); past the end: the whole record.</param>
    /// <param name="trace">Null, or where each scored tick goes as a CSV row (<see cref="TraceHeader"/>): where the error comes from.</param>
    public static SocScore Run(CyclerLog log, CellModel cell, double[] truth, double scoreFromS = double.NegativeInfinity,
        float currentOffsetA = 0f, int startRow = 0, float pressureKpa = 1000f, string board = DefaultBoard,
        INonVolatileStorage socFlash = null, int endRow = int.MaxValue, TextWriter trace = null)
    {
        var files = BoardFiles.Locate();
        var boardConfig = BoardConfig.Load(File.ReadAllText(files.BoardPath(board)), board + ".board");
        var profile = LimitProfile.Load(File.ReadAllText(files.ProfilePath(boardConfig.ProfileName)), boardConfig.ProfileName + ".profile");
        if (startRow < 1) startRow = 1; // row 0's current flowed before the record
        var rowTime = new double[log.Count]; // when the firmware is shown each row: at the time of the row before
        for (int k = 1; k < log.Count; k++) rowTime[k] = log.TimeS[k - 1];
        var replayLog = ReplayLog.Parse(new StringReader(AsReplayLog(log, rowTime, startRow, Math.Min(endRow, log.Count), currentOffsetA)), log.Name);
        var runner = new ReplayRunner(replayLog, boardConfig, profile, cell, pressureKpa);
        if (socFlash != null) runner.Controller.AttachSocMemory(new SocMemory(socFlash, runner.Board.CellCount, cell.CapacityAh));
        double sum = 0, max = 0, ccSum = 0, ccMax = 0, finalTruth = double.NaN;
        int n = 0, row = startRow - 1;
        runner.AfterTick = r =>
        {
            // The firmware's clock is the log's: row k's current flows from row k-1's time, as it did. The truth at a
            // tick's time lies between the rows recorded around that time.
            double t = r.TimeS;
            while (row + 1 < log.Count && log.TimeS[row + 1] <= t + 1e-6) row++;
            if (t < scoreFromS) return;
            double truthNow = truth[row];
            if (row + 1 < log.Count)
                truthNow += (truth[row + 1] - truth[row]) * (t - log.TimeS[row]) / (log.TimeS[row + 1] - log.TimeS[row]);
            var e = r.Controller.Estimator;
            double est = e.PackSoc, cc = e.CoulombCountSoc;
            if (double.IsNaN(est)) return;
            double err = 100 * (est - truthNow), ccErr = 100 * (cc - truthNow);
            sum += err * err; max = Math.Max(max, Math.Abs(err));
            ccSum += ccErr * ccErr; ccMax = Math.Max(ccMax, Math.Abs(ccErr));
            finalTruth = truthNow;
            n++;
            if (trace != null && n % TraceEvery == 1)
                trace.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0:0.0},{1:0.00000},{2:0.00000},{3:0.00000},{4:0.000},{5:0.0},{6:0.00000},{7:0.00},{8:0.0},{9:0.0}",
                    t, truthNow, est, cc, log.CurrentA[row], 1000 * log.VoltageV[row], e.CellSocSigma(0), e.CellInnovationMillivolts(0), e.CellHysteresisMillivolts(0), e.CellRcMillivolts(0)));
        };
        runner.Run(null, 1);
        return n == 0 ? new SocScore(double.NaN, double.NaN, double.NaN, double.NaN, 0, double.NaN)
            : new SocScore(Math.Sqrt(sum / n), max, Math.Sqrt(ccSum / n), ccMax, n, finalTruth);
    }

    /// <summary>Every this many scored ticks one trace row (1 s at 100 ms ticks).</summary>
    public static int TraceEvery = 10;

    /// <summary>The columns of a trace (one row per second of scored ticks).</summary>
    public const string TraceHeader = "time_s,truth_soc,soc,cc_soc,current_a,cell_mv,soc_sigma,innovation_mv,hysteresis_mv,rc_mv";

    /// <summary>The record in the replay log's columns (time_s,current_a,v1,t1), rows [startRow, endRow), with an offset on the current.</summary>
    private static string AsReplayLog(CyclerLog log, double[] rowTime, int startRow, int endRow, float currentOffsetA)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("time_s,current_a,v1,t1\n");
        for (int k = startRow; k < endRow; k++)
            sb.Append(rowTime[k].ToString("R", c)).Append(',').Append((log.CurrentA[k] + currentOffsetA).ToString("R", c)).Append(',')
              .Append(log.VoltageV[k].ToString("R", c)).Append(',').Append(log.TemperatureC[k].ToString("R", c)).Append('\n');
        return sb.ToString();
    }
}
