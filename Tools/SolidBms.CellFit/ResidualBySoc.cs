using System;
using System.Linq;

namespace SolidBms.CellFit;

/// <summary>
/// The written file's voltage error over SOC, gathered while its inputs are replayed (<see cref="ModelReplay"/>): the RMS
/// error near each SOC point (hat weights), kept apart for the slow C/20 records and the loaded (HPPC, dynamic) ones. The
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

    private readonly double[] _slowSum = new double[SocPoints.Length], _slowWeight = new double[SocPoints.Length];
    private readonly double[] _loadedSum = new double[SocPoints.Length], _loadedWeight = new double[SocPoints.Length];

    public void Add(double soc, double errorMv, bool loaded)
    {
        soc = Math.Clamp(soc, 0, 1);
        int j = 0;
        while (j < SocPoints.Length - 2 && soc > SocPoints[j + 1]) j++;
        double f = (soc - SocPoints[j]) / (SocPoints[j + 1] - SocPoints[j]);
        var sum = loaded ? _loadedSum : _slowSum;
        var weight = loaded ? _loadedWeight : _slowWeight;
        sum[j] += (1 - f) * errorMv * errorMv; weight[j] += 1 - f;
        sum[j + 1] += f * errorMv * errorMv; weight[j + 1] += f;
    }

    /// <summary>The [fit] row, mV per <see cref="SocPoints"/> (null when nothing was added).</summary>
    public double[] Row()
    {
        int n = SocPoints.Length;
        double Rms(double[] sum, double[] weight, int j) => weight[j] >= MinWeight ? Math.Sqrt(sum[j] / weight[j]) : double.NaN;
        var loaded = Enumerable.Range(0, n).Select(j => Rms(_loadedSum, _loadedWeight, j)).ToArray();
        var slow = Enumerable.Range(0, n).Select(j => Rms(_slowSum, _slowWeight, j)).ToArray();
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
