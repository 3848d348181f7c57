using System;
using System.Collections.Generic;
using SolidBms.Simulator.Physics;

namespace SolidBms.CellFit;

/// <summary>
/// The OCV table's ends (SOC up to <see cref="LowEndSoc"/> and from <see cref="HighEndSoc"/>) refined on each C/20
/// record once the impedance and hysteresis are fitted. In the middle the average of the two branches stands for the
/// OCV; at the ends it does not: near empty the discharge's cut-off lies deep in the knee and the rest after it has not
/// relaxed (on the A123 cell the voltage still rose 100 mV in the five minutes after a cut-off), and the charge starts
/// from there with its overpotential not yet built up. The model's voltage is linear in the table's values (the SOC,
/// the RC voltages and the hysteresis come from the current alone), so the values that make the replayed C/20 record
/// fit best are a small least-squares problem: each end point moves by what the record's samples near it (hat weights,
/// as the look-up interpolates) say on average, both branches and the rest together.
/// </summary>
public static class OcvEndRefinement
{
    public const double LowEndSoc = 0.05, HighEndSoc = 0.95;

    /// <summary>Weight (samples) an end point needs before the record moves it; one with less follows its neighbour's move.</summary>
    public const double MinWeight = 20;

    /// <summary>
    /// Moves the end points of every row of <paramref name="ocv"/> (in place) to fit its own record replayed through
    /// <paramref name="cell"/>, keeping the table increasing; returns the largest move, mV.
    /// </summary>
    public static double Refine(IReadOnlyList<CyclerLog> logs, IReadOnlyList<OcvFit> ocv, SimCellParameters cell,
        IReadOnlyList<(CyclerLog Log, double StartSoc)> dynamic = null)
    {
        var points = OcvFit.SocPoints;
        var ends = new List<int>();
        for (int j = 0; j < points.Length; j++)
            if (points[j] <= LowEndSoc + 1e-6 || points[j] >= HighEndSoc - 1e-6) ends.Add(j);
        double largest = 0;
        for (int i = 0; i < logs.Count; i++)
        {
            var records = new List<(CyclerLog Log, double StartSoc, bool LowEndOnly)> { (logs[i], ocv[i].InitialSoc, false) };
            if (dynamic != null)
                foreach (var (log, startSoc) in dynamic)
                    if (Math.Abs(log.MeanTemperatureC - ocv[i].TemperatureC) <= ImpedanceSocAxis.MatchTemperatureC) records.Add((log, startSoc, true));
            double[] moves = EndMoves(records, cell, ends);
            double[] table = ocv[i].OcvMillivolts;
            for (int e = 0; e < ends.Count; e++)
            {
                table[ends[e]] += moves[e];
                largest = Math.Max(largest, Math.Abs(moves[e]));
            }
            for (int j = 1; j < table.Length; j++)
                if (!(table[j] > table[j - 1] + 0.05)) table[j] = table[j - 1] + 0.1;
        }
        return largest;
    }

    /// <summary>The least-squares moves of the end points (mV, one per entry of <paramref name="ends"/>) for one record.</summary>
    private static double[] EndMoves(List<(CyclerLog Log, double StartSoc, bool LowEndOnly)> records, SimCellParameters cell, List<int> ends)
    {
        var points = OcvFit.SocPoints;
        var column = new int[points.Length]; // table index -> end point (or -1: a middle point, held)
        // The replay does not depend on the table's values: one pass a record gathers each sample's interval and error.
        var samples = new List<(int Lo, double F, double ErrorMv, int Record)>();
        var weight = new double[ends.Count];
        var heldSse = new double[records.Count]; // each record's squared error where no end point reaches
        for (int r = 0; r < records.Count; r++)
        {
            var (log, initialSoc, lowEndOnly) = records[r];
            int record = r;
            Array.Fill(column, -1);
            for (int e = 0; e < ends.Count; e++)
                if (!lowEndOnly || points[ends[e]] <= LowEndSoc + 1e-6) column[ends[e]] = e;
            ModelReplay.Run(log, cell, initialSoc, (k, ecm) =>
            {
                double soc = Math.Clamp(ecm.Soc - ecm.DiffusionSoc, 0, 1); // the OCV is read at the surface's SOC
                int lo = 0;
                while (lo < points.Length - 2 && soc > points[lo + 1]) lo++;
                double f = (soc - points[lo]) / (points[lo + 1] - points[lo]);
                double errorMv = log.VoltageV[k] * 1000 - ecm.TerminalMillivolts;
                if (column[lo] < 0 && column[lo + 1] < 0) { heldSse[record] += errorMv * errorMv; return; }
                if (column[lo] >= 0) weight[column[lo]] += 1 - f;
                if (column[lo + 1] >= 0) weight[column[lo + 1]] += f;
                samples.Add((lo, f, errorMv, record));
            });
        }
        Array.Fill(column, -1);
        for (int e = 0; e < ends.Count; e++) column[ends[e]] = e;
        // An end point the record hardly reached (a cold discharge ends above SOC 0) moves with its nearest well-reached
        // neighbour on the same end, towards the middle (the knee's extrapolated slope is kept); with none, it stays.
        var unknown = new int[ends.Count];
        int unknowns = 0;
        for (int e = 0; e < ends.Count; e++) unknown[e] = weight[e] >= MinWeight ? unknowns++ : -1;
        for (int e = 0; e < ends.Count; e++)
        {
            if (unknown[e] >= 0 || weight[e] >= MinWeight) continue;
            bool low = points[ends[e]] <= LowEndSoc + 1e-6;
            for (int n = low ? e + 1 : e - 1; n >= 0 && n < ends.Count && (points[ends[n]] <= LowEndSoc + 1e-6) == low; n += low ? 1 : -1)
                if (weight[n] >= MinWeight) { unknown[e] = unknown[n]; break; }
        }
        var moves = new double[ends.Count];
        if (unknowns == 0) return moves;
        // Records sharing a row are judged file by file: a sample's square weighs 1 / its record's samples, times that
        // record's mean squared error after the previous solve (first 1), so that the worse file of a row gets more of the
        // table's say; a few passes bring the files' errors towards each other rather than the longest file's down alone.
        var scale = new double[records.Count];
        for (int r = 0; r < records.Count; r++) scale[r] = 1 / Math.Sqrt(records[r].Log.Count);
        double[] solved = null;
        var x = new double[unknowns];
        for (int pass = 0; pass < BalancePasses; pass++)
        {
            var fit = new LeastSquares(unknowns);
            foreach (var (lo, f, errorMv, r) in samples)
            {
                if (!Row(lo, f, column, unknown, x)) continue;
                for (int i = 0; i < unknowns; i++) x[i] *= scale[r];
                // A table value higher by d moves this sample's model voltage by its weight times d.
                fit.Add(x, errorMv * scale[r]);
            }
            solved = fit.Solve(out _);
            if (records.Count == 1) break;
            var sse = (double[])heldSse.Clone();
            foreach (var (lo, f, errorMv, r) in samples)
            {
                double e = errorMv;
                if (Row(lo, f, column, unknown, x))
                    for (int i = 0; i < unknowns; i++) if (!double.IsNaN(solved[i])) e -= x[i] * solved[i];
                sse[r] += e * e;
            }
            for (int r = 0; r < records.Count; r++) scale[r] = Math.Sqrt(Math.Pow(sse[r] / records[r].Log.Count, BalancePower) / records[r].Log.Count);
        }
        for (int e = 0; e < ends.Count; e++)
            moves[e] = unknown[e] >= 0 && !double.IsNaN(solved[unknown[e]]) ? solved[unknown[e]] : 0;
        return moves;
    }

    /// <summary>Passes of the files' balancing in a row with more than one record.</summary>
    public const int BalancePasses = 8;
    /// <summary>The power of a file's mean squared error in its weight (1: weights follow the errors; higher: nearer the worst file alone).</summary>
    public const double BalancePower = 3;

    /// <summary>A sample's row of the end points' least squares (its hat weights); false when it touches none.</summary>
    private static bool Row(int lo, double f, int[] column, int[] unknown, double[] x)
    {
        Array.Clear(x);
        int a = column[lo] >= 0 ? unknown[column[lo]] : -1, b = column[lo + 1] >= 0 ? unknown[column[lo + 1]] : -1;
        if (a >= 0) x[a] += 1 - f;
        if (b >= 0) x[b] += f;
        return a >= 0 || b >= 0;
    }
}
