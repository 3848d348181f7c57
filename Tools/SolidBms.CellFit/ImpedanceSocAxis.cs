using System;
using System.Collections.Generic;
using System.Linq;

namespace SolidBms.CellFit;

/// <summary>
/// The impedance's SOC axis as the cell file gets it: one row of R0, R1 and R2 multipliers per impedance temperature.
/// Between the HPPC's first and last SOC steps the multipliers are the pulses' own (<see cref="HppcFit"/>). Below the
/// first step the pulses say nothing, but the C/20 test does: near empty its charge and discharge curves split far
/// more than the HPPC resistances explain (on a diffusion-limited cathode the surface saturates first, and the steep
/// OCV there turns a small concentration gradient into tens of mV). At C/20 the cell is close to steady state, so the
/// discharge's drop below the fitted OCV (half the charge/discharge gap where the table is their average) over the
/// current is the whole series resistance; the slow RC pair, which stands for diffusion, takes what R0 and the fast
/// pair do not. At and below the discharge's end the drop below the relaxed voltage is used. Method and figures: docs/estimation.md, "Fitting a cell".
/// </summary>
public sealed class ImpedanceSocAxis
{
    /// <summary>A C/20 file stands for an impedance temperature this close to it, C.</summary>
    public const int MatchTemperatureC = 2;

    public double[] SocPoints { get; init; }
    /// <summary>The impedance temperature of each row, C.</summary>
    public int[] TemperaturesC { get; init; }
    /// <summary>Multipliers per impedance temperature (ascending, as the file's temperaturesC), then per SOC point.</summary>
    public double[][] R0Factor { get; init; }
    public double[][] R1Factor { get; init; }
    public double[][] R2Factor { get; init; }
    /// <summary>The HPPC files whose pulses gave the multipliers from the first HPPC step up.</summary>
    public IReadOnlyList<string> PulseSources { get; init; }
    /// <summary>The C/20 files that gave the knee below it.</summary>
    public IReadOnlyList<string> KneeSources { get; init; }

    /// <summary>The axis for impedance rows in <paramref name="impedance"/>'s order (ascending temperature); null when neither test shows an SOC dependence.</summary>
    public static ImpedanceSocAxis Build(IReadOnlyList<HppcFit> impedance, IReadOnlyList<OcvFit> ocv)
    {
        var withPulses = impedance.Where(h => h.R0SocFactor != null).ToList();
        int nh = HppcFit.ImpedanceSocPoints.Length;
        // A temperature whose pulses did not span the SOC range takes the others' mean (1 where none did).
        double[] Mean(Func<HppcFit, double[]> pick) =>
            Enumerable.Range(0, nh).Select(j => withPulses.Count == 0 ? 1.0 : withPulses.Average(h => pick(h)[j])).ToArray();
        double[] mean0 = Mean(h => h.R0SocFactor), mean1 = Mean(h => h.R1SocFactor), mean2 = Mean(h => h.R2SocFactor);

        double firstPulseSoc = HppcFit.ImpedanceSocPoints[0];
        double[] knee = OcvFit.SocPoints.Where(s => s < firstPulseSoc - 1e-6).Select(s => (double)s).ToArray();
        var points = knee.Concat(HppcFit.ImpedanceSocPoints.Select(s => (double)s)).ToArray();
        int nk = knee.Length;
        var f0 = new double[impedance.Count][];
        var f1 = new double[impedance.Count][];
        var f2 = new double[impedance.Count][];
        var kneeSources = new List<string>();
        for (int t = 0; t < impedance.Count; t++)
        {
            var h = impedance[t];
            double[] p0 = h.R0SocFactor ?? mean0, p1 = h.R1SocFactor ?? mean1, p2 = h.R2SocFactor ?? mean2;
            f0[t] = new double[points.Length]; f1[t] = new double[points.Length]; f2[t] = new double[points.Length];
            for (int j = 0; j < points.Length; j++)
            {
                int from = Math.Max(0, j - nk); // below the first pulse step the step's own values hold, as the look-up clamps
                f0[t][j] = p0[from]; f1[t][j] = p1[from]; f2[t][j] = p2[from];
            }
            var c20 = ocv.Where(o => Math.Abs(o.TemperatureC - h.TemperatureC) <= MatchTemperatureC)
                         .OrderBy(o => Math.Abs(o.TemperatureC - h.TemperatureC)).FirstOrDefault();
            if (c20 == null || !(c20.CurrentA > 0)) continue;
            bool raised = false;
            for (int j = 0; j < nk; j++)
            {
                int k = j; // the knee points are the OCV table's first nk breakpoints
                // At and below the discharge's end only the discharge's drop below its relaxed voltage is known.
                bool atEnd = knee[j] <= c20.EndSoc + 1e-6;
                if (atEnd && double.IsNaN(c20.RelaxedEndMillivolts)) continue;
                double overpotentialMv = (atEnd ? c20.RelaxedEndMillivolts : c20.OcvMillivolts[k]) - c20.DischargeMillivolts[k];
                double seriesMilliOhm = overpotentialMv / c20.CurrentA;
                double slowMilliOhm = seriesMilliOhm - h.R0MilliOhm * f0[t][j] - h.R1MilliOhm * f1[t][j];
                double factor = slowMilliOhm / h.R2MilliOhm;
                if (factor > f2[t][j] * (1 + HppcFit.MinRcSocFactorSpread))
                {
                    f2[t][j] = Math.Min(factor, SolidBms.Core.Config.CellModel.MaxSocFactor);
                    raised = true;
                }
            }
            if (raised) kneeSources.Add(c20.Source);
        }
        if (withPulses.Count == 0 && kneeSources.Count == 0) return null;
        return new ImpedanceSocAxis
        {
            SocPoints = points, TemperaturesC = impedance.Select(h => h.TemperatureC).ToArray(), R0Factor = f0, R1Factor = f1, R2Factor = f2,
            PulseSources = withPulses.Select(h => h.Source).ToList(), KneeSources = kneeSources,
        };
    }
}
