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
/// as the look-up interpolates) say on average, both branches and the rest together. The hysteresis voltage's SOC
/// multipliers at the same ends (<see cref="HysteresisSocPoints"/>) are linear in it too (the hysteresis state comes from
/// the current alone): where the branches part further than M says near full, they are fitted alongside and kept when
/// they cut the C/20 record's mean squared error by <see cref="FactorGain"/>.
/// </summary>
public static class OcvEndRefinement
{
    public const double LowEndSoc = 0.05, HighEndSoc = 0.95;

    /// <summary>Weight (samples) an end point needs before the record moves it; one with less follows its neighbour's move.</summary>
    public const double MinWeight = 20;

    /// <summary>
    /// The hysteresis multipliers' SOC axis: the table's end points, anchored at 1 at SOC 0.1 and 0.9. Fitted at the top
    /// only (the low end stays 1): near empty the table's points and the multipliers at the same SOCs trade places under
    /// the knee's steep slope, and fitted together there they ran to their bounds (20, 0.05, 20 ...) on the A123 cell.
    /// </summary>
    public static readonly double[] HysteresisSocPoints = { 0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.1, 0.9, 0.95, 0.96, 0.97, 0.98, 0.99, 1 };

    /// <summary>Bounds of a fitted hysteresis multiplier (within the cell file's SOC-factor bounds).</summary>
    public const double MinHysteresisFactor = 0.05, MaxHysteresisFactor = 20;

    /// <summary>
    /// The fall of the C/20 record's mean squared error the multipliers must bring to be kept (a share; they touch no other
    /// record: they sit at the top, which only the C/20 record reaches among a row's records). Six more unknowns a row: a
    /// quarter, not the SOC axis's 10 %. On the A123 cell the -5 C record's fell by 44 %, the 5 C one's by 18 %: kept at
    /// 10 %, the 5 C row's multipliers (up to 10) made the estimator's doubt near full so large that its SOC left the top
    /// with 5.5 points of sigma, and one 8.5 A pulse later on the plateau moved it a point (the 5 C drive 0.48 / 1.27
    /// against its count's 0.44 / 0.78).
    /// </summary>
    public const double FactorGain = 0.25;

    /// <summary>Passes of the files' balancing in a row with more than one record.</summary>
    public const int BalancePasses = 12;

    /// <summary>
    /// Moves the end points of every row of <paramref name="ocv"/> (in place) to fit its own record replayed through
    /// <paramref name="cell"/> (which must carry no hysteresis multipliers: they are fitted here), and, at the low end, the
    /// <paramref name="dynamic"/> records of the row's temperature; keeps the table increasing and sets each row's
    /// <see cref="OcvFit.HysteresisSocFactor"/> (null where not kept). Returns the largest move, mV.
    /// </summary>
    public static double Refine(IReadOnlyList<CyclerLog> logs, IReadOnlyList<OcvFit> ocv, SimCellParameters cell,
        IReadOnlyList<(CyclerLog Log, double StartSoc)> dynamic = null)
    {
        var points = OcvFit.SocPoints;
        var ends = new List<int>();
        for (int j = 0; j < points.Length; j++)
            if (IsEnd(points[j], false)) ends.Add(j);
        double largest = 0;
        for (int i = 0; i < logs.Count; i++)
        {
            var records = new List<(CyclerLog Log, double StartSoc, bool LowEndOnly)> { (logs[i], ocv[i].InitialSoc, false) };
            if (dynamic != null)
                foreach (var (log, startSoc) in dynamic)
                    if (Math.Abs(log.MeanTemperatureC - ocv[i].TemperatureC) <= ImpedanceSocAxis.MatchTemperatureC) records.Add((log, startSoc, true));
            var (moves, factors) = EndMoves(records, cell, ends);
            double[] table = ocv[i].OcvMillivolts;
            for (int e = 0; e < ends.Count; e++)
            {
                table[ends[e]] += moves[e];
                largest = Math.Max(largest, Math.Abs(moves[e]));
            }
            for (int j = 1; j < table.Length; j++)
                if (!(table[j] > table[j - 1] + 0.05)) table[j] = table[j - 1] + 0.1;
            ocv[i].HysteresisSocFactor = factors;
        }
        return largest;
    }

    private static bool IsEnd(double soc, bool lowOnly) => soc <= LowEndSoc + 1e-6 || (!lowOnly && soc >= HighEndSoc - 1e-6);

    /// <summary>The interval of <paramref name="axis"/> holding <paramref name="x"/> (clamped) and the fraction within it.</summary>
    private static int Interval(double[] axis, double x, out double f)
    {
        int lo = 0;
        while (lo < axis.Length - 2 && x > axis[lo + 1]) lo++;
        f = Math.Clamp((x - axis[lo]) / (axis[lo + 1] - axis[lo]), 0, 1);
        return lo;
    }

    private readonly record struct Sample(int Lo, double F, int HLo, double HF, double HystMv, double ErrorMv, int Record);

    /// <summary>
    /// The least-squares moves of the end points (mV, one per entry of <paramref name="ends"/>) and the hysteresis
    /// multipliers over <see cref="HysteresisSocPoints"/> (null: not kept) for one row's records.
    /// </summary>
    private static (double[] Moves, double[] Factors) EndMoves(List<(CyclerLog Log, double StartSoc, bool LowEndOnly)> records, SimCellParameters cell, List<int> ends)
    {
        double[] points = Array.ConvertAll(OcvFit.SocPoints, v => (double)v);
        var hp = HysteresisSocPoints;
        int nt = ends.Count;
        var factorPoints = new List<int>();
        for (int j = 0; j < hp.Length; j++) if (hp[j] >= HighEndSoc - 1e-6) factorPoints.Add(j);
        var column = new int[points.Length + hp.Length]; // table index, then factor index -> unknown column (or -1: held)
        // The replay does not depend on the table's values or the multipliers: one pass a record gathers each sample's
        // intervals (the table's at the surface's SOC, the multipliers' at the counted SOC), hysteresis voltage and error.
        var samples = new List<Sample>();
        var weight = new double[nt + factorPoints.Count];
        var heldSse = new double[records.Count]; // each record's squared error where nothing fitted here reaches
        for (int r = 0; r < records.Count; r++)
        {
            var (log, initialSoc, lowEndOnly) = records[r];
            int record = r;
            Array.Fill(column, -1);
            for (int e = 0; e < nt; e++) if (IsEnd(points[ends[e]], lowEndOnly)) column[ends[e]] = e;
            for (int q = 0; q < factorPoints.Count; q++) if (IsEnd(hp[factorPoints[q]], lowEndOnly)) column[points.Length + factorPoints[q]] = nt + q;
            ModelReplay.Run(log, cell, initialSoc, (k, ecm) =>
            {
                int lo = Interval(points, ecm.Soc - ecm.DiffusionSoc, out double f); // the OCV is read at the surface's SOC
                int hlo = Interval(hp, ecm.Soc, out double hf);
                double errorMv = log.VoltageV[k] * 1000 - ecm.TerminalMillivolts, hystMv = ecm.HysteresisMillivolts;
                bool table = column[lo] >= 0 || column[lo + 1] >= 0;
                bool hyst = hystMv != 0 && (column[points.Length + hlo] >= 0 || column[points.Length + hlo + 1] >= 0);
                if (!table && !hyst) { heldSse[record] += errorMv * errorMv; return; }
                if (table)
                {
                    if (column[lo] >= 0) weight[column[lo]] += 1 - f;
                    if (column[lo + 1] >= 0) weight[column[lo + 1]] += f;
                }
                if (hyst)
                {
                    if (column[points.Length + hlo] >= 0) weight[column[points.Length + hlo]] += 1 - hf;
                    if (column[points.Length + hlo + 1] >= 0) weight[column[points.Length + hlo + 1]] += hf;
                }
                samples.Add(new Sample(table ? lo : -1, f, hyst ? hlo : -1, hf, hystMv, errorMv, record));
            });
        }
        Array.Fill(column, -1);
        for (int e = 0; e < nt; e++) column[ends[e]] = e;
        for (int q = 0; q < factorPoints.Count; q++) column[points.Length + factorPoints[q]] = nt + q;
        // An end point the records hardly reached (a cold discharge ends above SOC 0) moves with its nearest well-reached
        // neighbour on the same end, towards the middle (the knee's extrapolated slope is kept); with none, it stays. A
        // multiplier hardly reached stays 1.
        var unknown = new int[weight.Length];
        int tableUnknowns = 0;
        for (int e = 0; e < nt; e++) unknown[e] = weight[e] >= MinWeight ? tableUnknowns++ : -1;
        for (int e = 0; e < nt; e++)
        {
            if (unknown[e] >= 0 || weight[e] >= MinWeight) continue;
            bool low = IsEnd(points[ends[e]], true);
            for (int n = low ? e + 1 : e - 1; n >= 0 && n < nt && IsEnd(points[ends[n]], true) == low; n += low ? 1 : -1)
                if (weight[n] >= MinWeight) { unknown[e] = unknown[n]; break; }
        }
        int allUnknowns = tableUnknowns;
        for (int q = nt; q < weight.Length; q++) unknown[q] = weight[q] >= MinWeight ? allUnknowns++ : -1;

        var moves = new double[nt];
        if (allUnknowns == 0) return (moves, null);
        var plain = Solve(records, samples, heldSse, column, unknown, points.Length, tableUnknowns, out double[] plainMse);
        double[] solved = plain;
        double[] factors = null;
        if (allUnknowns > tableUnknowns)
        {
            var withFactors = Solve(records, samples, heldSse, column, unknown, points.Length, allUnknowns, out double[] factorMse);
            if (factorMse[0] < (1 - FactorGain) * plainMse[0])
            {
                solved = withFactors;
                factors = new double[hp.Length];
                Array.Fill(factors, 1.0);
                for (int q = 0; q < factorPoints.Count; q++)
                {
                    int u = unknown[nt + q];
                    if (u >= 0 && !double.IsNaN(solved[u])) factors[factorPoints[q]] = Math.Clamp(1 + solved[u], MinHysteresisFactor, MaxHysteresisFactor);
                }
            }
        }
        for (int e = 0; e < nt; e++)
            moves[e] = unknown[e] >= 0 && !double.IsNaN(solved[unknown[e]]) ? solved[unknown[e]] : 0;
        return (moves, factors);
    }

    /// <summary>
    /// The least squares over the first <paramref name="unknowns"/> unknowns (the table's, then the multipliers'), the
    /// records balanced by their error; <paramref name="mse"/> is each record's mean squared error after it. Records
    /// sharing a row are judged file by file, so the row's points are the ones whose worst file is best: a sample's square
    /// weighs 1 / its record's samples times the record's weight, and the weights move by multiplicative updates (each
    /// times its record's mean squared error over the records' mean, <see cref="BalancePasses"/> times; the worse file
    /// gets more of the table's say), the pass with the smallest worst file kept. Equal weights are the first pass, so the
    /// result is never worse in its worst file than they are.
    /// </summary>
    private static double[] Solve(List<(CyclerLog Log, double StartSoc, bool LowEndOnly)> records, List<Sample> samples, double[] heldSse,
        int[] column, int[] unknown, int factorOffset, int unknowns, out double[] mse)
    {
        int n = records.Count;
        var weight = new double[n];
        Array.Fill(weight, 1.0);
        var scale = new double[n];
        var x = new double[unknowns];
        var sse = new double[n];
        double[] best = null;
        mse = null;
        double bestWorst = double.PositiveInfinity;
        for (int pass = 0; pass < (n == 1 ? 1 : BalancePasses); pass++)
        {
            for (int r = 0; r < n; r++) scale[r] = Math.Sqrt(weight[r] / records[r].Log.Count);
            var fit = new LeastSquares(unknowns);
            foreach (var s in samples)
            {
                if (!Row(s, column, unknown, factorOffset, x)) continue;
                for (int i = 0; i < unknowns; i++) x[i] *= scale[s.Record];
                // A table value higher by d moves this sample's model voltage by its hat weight times d; a multiplier
                // higher by d by its hat weight times the hysteresis voltage times d.
                fit.Add(x, s.ErrorMv * scale[s.Record]);
            }
            double[] solved = fit.Solve(out _);
            Array.Copy(heldSse, sse, n);
            foreach (var s in samples)
            {
                double e = s.ErrorMv;
                if (Row(s, column, unknown, factorOffset, x))
                    for (int i = 0; i < unknowns; i++) if (!double.IsNaN(solved[i])) e -= x[i] * solved[i];
                sse[s.Record] += e * e;
            }
            var passMse = new double[n];
            double worst = 0, mean = 0;
            for (int r = 0; r < n; r++)
            {
                passMse[r] = sse[r] / records[r].Log.Count;
                worst = Math.Max(worst, passMse[r]);
                mean += passMse[r] / n;
            }
            if (worst < bestWorst) { bestWorst = worst; best = solved; mse = passMse; }
            for (int r = 0; r < n; r++) weight[r] *= mean > 0 ? passMse[r] / mean : 1;
        }
        return best;
    }

    /// <summary>A sample's row of the least squares (x's length: the unknowns solved for); false when it touches none.</summary>
    private static bool Row(Sample s, int[] column, int[] unknown, int factorOffset, double[] x)
    {
        Array.Clear(x);
        bool any = false;
        void Put(int col, double w)
        {
            if (col < 0 || w == 0) return;
            int u = unknown[col];
            if (u < 0 || u >= x.Length) return;
            x[u] += w;
            any = true;
        }
        if (s.Lo >= 0) { Put(column[s.Lo], 1 - s.F); Put(column[s.Lo + 1], s.F); }
        if (s.HLo >= 0) { Put(column[factorOffset + s.HLo], (1 - s.HF) * s.HystMv); Put(column[factorOffset + s.HLo + 1], s.HF * s.HystMv); }
        return any;
    }
}
