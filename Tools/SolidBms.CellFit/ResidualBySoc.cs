using System;
using System.Linq;

namespace SolidBms.CellFit;

/// <summary>
/// The written file's voltage error over SOC, gathered while its inputs are replayed (<see cref="ModelReplay"/>): the RMS
/// error near each SOC point (hat weights) of each record, and at each point the worst record's, kept apart for the slow
/// C/20 records and the loaded (HPPC, dynamic) ones: pooled, the records a fit serves well (many, long) would hide the
/// one temperature it serves worst, where the estimator must trust the voltage less. The
/// cell file's [fit] row is, at each point, the larger of the two; where no loaded record reached a point, the largest
/// loaded error seen anywhere stands in (the model's error under load there is unknown, not small), and no point claims
/// less than the loaded records' typical (median) error over SOC (an in-sample residual flatters the model where it was fitted: on the A123
/// bench, 2.3 mV at SOC 0.7 at the fit's edge, against 5 mV met just past it). The estimator trusts
/// the voltage no further than this (docs/estimation.md, "How far the voltage is trusted").
/// </summary>
public sealed class ResidualBySoc
{
    public static readonly double[] SocPoints = { 0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1 };
    /// <summary>Weight (samples) a point needs before its own error counts.</summary>
    public const double MinWeight = 30;

    // The record being added, and the worst record's RMS so far per point (NaN: no record reached it), slow and loaded.
    private readonly double[] _sum = new double[SocPoints.Length], _weight = new double[SocPoints.Length];
    private readonly double[] _slowSum = new double[SocPoints.Length], _slowWeight = new double[SocPoints.Length];
    private readonly double[] _loadedWorst = Enumerable.Repeat(double.NaN, SocPoints.Length).ToArray();

    /// <summary>One sample of the record being added (<see cref="EndRecord"/> closes it).</summary>
    public void Add(double soc, double errorMv)
    {
        soc = Math.Clamp(soc, 0, 1);
        int j = 0;
        while (j < SocPoints.Length - 2 && soc > SocPoints[j + 1]) j++;
        double f = (soc - SocPoints[j]) / (SocPoints[j + 1] - SocPoints[j]);
        _sum[j] += (1 - f) * errorMv * errorMv; _weight[j] += 1 - f;
        _sum[j + 1] += f * errorMv * errorMv; _weight[j + 1] += f;
    }

    /// <summary>
    /// Closes the record being added. A loaded record's RMS near each point it reached counts where it is the worst so far;
    /// the C/20 records are pooled (their error is the OCV table's, one table for every temperature's branches).
    /// </summary>
    public void EndRecord(bool loaded)
    {
        for (int j = 0; j < SocPoints.Length; j++)
        {
            if (loaded)
            {
                if (_weight[j] >= MinWeight)
                {
                    double rms = Math.Sqrt(_sum[j] / _weight[j]);
                    if (double.IsNaN(_loadedWorst[j]) || rms > _loadedWorst[j]) _loadedWorst[j] = rms;
                }
            }
            else
            {
                _slowSum[j] += _sum[j];
                _slowWeight[j] += _weight[j];
            }
            _sum[j] = 0;
            _weight[j] = 0;
        }
    }

    /// <summary>The [fit] row, mV per <see cref="SocPoints"/> (null when nothing was added).</summary>
    public double[] Row()
    {
        int n = SocPoints.Length;
        var loaded = _loadedWorst;
        var slow = Enumerable.Range(0, n).Select(j => _slowWeight[j] >= MinWeight ? Math.Sqrt(_slowSum[j] / _slowWeight[j]) : double.NaN).ToArray();
        double worstLoaded = loaded.Where(x => !double.IsNaN(x)).DefaultIfEmpty(double.NaN).Max();
        // Above the knee an uncovered point takes the worst loaded error above the knee: the knee's hundreds of mV say
        // nothing of the plateau's model.
        double worstLoadedAboveKnee = Enumerable.Range(0, n).Where(j => SocPoints[j] >= ModelReplay.KneeSoc && !double.IsNaN(loaded[j]))
            .Select(j => loaded[j]).DefaultIfEmpty(worstLoaded).Max();
        double worstSlow = slow.Where(x => !double.IsNaN(x)).DefaultIfEmpty(double.NaN).Max();
        if (double.IsNaN(worstLoaded) && double.IsNaN(worstSlow)) return null;
        var covered = loaded.Where(x => !double.IsNaN(x)).OrderBy(x => x).ToArray();
        double typicalLoaded = covered.Length > 0 ? covered[covered.Length / 2] : 0; // the median: the knee's hundreds of mV stay at the knee
        var row = new double[n];
        for (int j = 0; j < n; j++)
        {
            double l = double.IsNaN(loaded[j]) ? (SocPoints[j] >= ModelReplay.KneeSoc ? worstLoadedAboveKnee : worstLoaded) : loaded[j];
            double s = double.IsNaN(slow[j]) ? worstSlow : slow[j];
            row[j] = Math.Max(typicalLoaded, Math.Max(double.IsNaN(l) ? 0 : l, double.IsNaN(s) ? 0 : s));
        }
        return row;
    }
}
