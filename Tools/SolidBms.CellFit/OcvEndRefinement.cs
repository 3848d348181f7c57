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
    public static double Refine(IReadOnlyList<CyclerLog> logs, IReadOnlyList<OcvFit> ocv, SimCellParameters cell)
    {
        var points = OcvFit.SocPoints;
        var ends = new List<int>();
        for (int j = 0; j < points.Length; j++)
            if (points[j] <= LowEndSoc + 1e-6 || points[j] >= HighEndSoc - 1e-6) ends.Add(j);
        double largest = 0;
        for (int i = 0; i < logs.Count; i++)
        {
            double[] moves = EndMoves(logs[i], ocv[i].InitialSoc, cell, ends);
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
    private static double[] EndMoves(CyclerLog log, double initialSoc, SimCellParameters cell, List<int> ends)
    {
        var points = OcvFit.SocPoints;
        var column = new int[points.Length]; // table index -> end point (or -1: a middle point, held)
        Array.Fill(column, -1);
        for (int e = 0; e < ends.Count; e++) column[ends[e]] = e;
        // The replay does not depend on the table's values: one pass gathers each sample's interval and error.
        var samples = new List<(int Lo, double F, double ErrorMv)>();
        var weight = new double[ends.Count];
        ModelReplay.Run(log, cell, initialSoc, (k, ecm) =>
        {
            double soc = Math.Clamp(ecm.Soc - ecm.DiffusionSoc, 0, 1); // the OCV is read at the surface's SOC
            int lo = 0;
            while (lo < points.Length - 2 && soc > points[lo + 1]) lo++;
            double f = (soc - points[lo]) / (points[lo + 1] - points[lo]);
            if (column[lo] < 0 && column[lo + 1] < 0) return;
            if (column[lo] >= 0) weight[column[lo]] += 1 - f;
            if (column[lo + 1] >= 0) weight[column[lo + 1]] += f;
            samples.Add((lo, f, log.VoltageV[k] * 1000 - ecm.TerminalMillivolts));
        });
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
        var fit = new LeastSquares(unknowns);
        var x = new double[unknowns];
        foreach (var (lo, f, errorMv) in samples)
        {
            Array.Clear(x);
            int a = column[lo] >= 0 ? unknown[column[lo]] : -1, b = column[lo + 1] >= 0 ? unknown[column[lo + 1]] : -1;
            if (a >= 0) x[a] += 1 - f;
            if (b >= 0) x[b] += f;
            if (a < 0 && b < 0) continue;
            // A table value higher by d moves this sample's model voltage by its weight times d.
            fit.Add(x, errorMv);
        }
        double[] solved = fit.Solve(out _);
        for (int e = 0; e < ends.Count; e++)
            moves[e] = unknown[e] >= 0 && !double.IsNaN(solved[unknown[e]]) ? solved[unknown[e]] : 0;
        return moves;
    }
}
