using System;

namespace SolidBms.CellFit;

/// <summary>
/// The linear part of the HPPC fit: for fixed time constants (and a fixed exchange current), the voltage left after the
/// OCV, y = V - OCV(SOC), is linear in the resistances:
///   y = -sum_j R0_j w_j I f0 - Rct I f0 g(|I|/2I0) - sum_j R1_j RC1(w_j f1 I) - sum_j R2_j RC2(w_j f2 I) + dOCV/dSOC dSOC
/// with w_j hat functions over SOC breakpoints (one constant function when there is no SOC axis), f0..f2 fixed SOC
/// multipliers (1 unless given), g = asinh(x)/x the Butler-Volmer ratio (no Rct column unless given) and RCk the
/// zero-order-hold response of an RC pair, plus a piecewise-linear correction of the OCV over SOC.
/// Unknowns: R0_j, R1_j, R2_j, [Rct], the OCV correction at <see cref="OcvCorrectionPoints"/>.
/// </summary>
public sealed class ImpedanceDesign
{
    public CyclerLog Log;
    public double[] Y, Soc;
    /// <summary>SOC breakpoints of the hat functions (null: one constant function).</summary>
    public double[] SocPoints;
    public double[] F0, F1, F2;
    /// <summary>Butler-Volmer ratio per sample (null: no charge-transfer column).</summary>
    public double[] Bv;

    public int Basis => SocPoints == null ? 1 : SocPoints.Length;
    /// <summary>
    /// Breakpoints of a correction to the C/20 OCV, fitted alongside (not written to the file): the HPPC's long rests pin
    /// the OCV at each SOC step, so an error in the averaged C/20 curve (largest at the steep ends) is not read as resistance.
    /// </summary>
    public static readonly double[] OcvCorrectionPoints = { 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1 };

    public int Unknowns => 3 * Basis + (Bv == null ? 0 : 1) + OcvCorrectionPoints.Length;
    public int RctIndex => 3 * Basis;
    private int OcvIndex => 3 * Basis + (Bv == null ? 0 : 1);

    public struct Fit
    {
        public double Tau1, Tau2, Sse;
        public int Samples;
        public double Rms => Samples > 0 ? Math.Sqrt(Sse / Samples) : double.NaN;
        public double[] Beta;
        public bool Valid => Beta != null && Sse < double.PositiveInfinity;
    }

    /// <summary>Least squares at fixed time constants; SSE infinite when a resistance comes out negative (or undetermined).</summary>
    public Fit Evaluate(double tau1, double tau2)
    {
        int nb = Basis, p = Unknowns;
        var ls = new LeastSquares(p);
        var x = new double[p];
        var v1 = new double[nb];
        var v2 = new double[nb];
        var w = new double[nb];
        double lastDt = double.NaN, a1 = 0, a2 = 0, lastLoadS = double.NegativeInfinity;
        var log = Log;
        for (int k = 0; k < log.Count; k++)
        {
            double i = log.CurrentA[k];
            Weights(Soc[k], w);
            double f0 = F0 == null ? 1 : F0[k], f1 = F1 == null ? 1 : F1[k], f2 = F2 == null ? 1 : F2[k];
            if (k > 0)
            {
                double dt = log.TimeS[k] - log.TimeS[k - 1];
                if (dt != lastDt) { a1 = Math.Exp(-dt / tau1); a2 = Math.Exp(-dt / tau2); lastDt = dt; }
                for (int j = 0; j < nb; j++)
                {
                    v1[j] = a1 * v1[j] + (1 - a1) * w[j] * f1 * i;
                    v2[j] = a2 * v2[j] + (1 - a2) * w[j] * f2 * i;
                }
            }
            for (int j = 0; j < nb; j++)
            {
                x[j] = -i * f0 * w[j];
                x[nb + j] = -v1[j];
                x[2 * nb + j] = -v2[j];
            }
            if (Bv != null) x[RctIndex] = -i * f0 * Bv[k];
            int oi = OcvIndex;
            for (int j = 0; j < OcvCorrectionPoints.Length; j++) x[oi + j] = 0;
            HatInto(OcvCorrectionPoints, Soc[k], x, oi);
            // Long rests add little after their first minute: every tenth sample there keeps the least squares cheap.
            if (i != 0 || k % 10 == 0 || log.TimeS[k] - lastLoadS < 60) ls.Add(x, Y[k]);
            if (i != 0) lastLoadS = log.TimeS[k];
        }
        var beta = ls.Solve(out double sse);
        for (int j = 0; j < 3 * nb; j++) if (!(beta[j] > 0)) sse = double.PositiveInfinity;
        if (Bv != null && !(beta[RctIndex] >= 0)) sse = double.PositiveInfinity;
        return new Fit { Tau1 = tau1, Tau2 = tau2, Sse = sse, Beta = beta, Samples = ls.Samples };
    }

    /// <summary>Hat-function weights of an SOC (clamped to the end breakpoints): at most two non-zero, summing to 1.</summary>
    public void Weights(double soc, double[] w)
    {
        if (SocPoints == null) { w[0] = 1; return; }
        Array.Clear(w);
        var s = SocPoints;
        if (soc <= s[0]) { w[0] = 1; return; }
        if (soc >= s[^1]) { w[^1] = 1; return; }
        int j = 0;
        while (soc > s[j + 1]) j++;
        double f = (soc - s[j]) / (s[j + 1] - s[j]);
        w[j] = 1 - f;
        w[j + 1] = f;
    }

    private static void HatInto(double[] points, double soc, double[] x, int at)
    {
        if (soc <= points[0]) { x[at] = 1; return; }
        if (soc >= points[^1]) { x[at + points.Length - 1] = 1; return; }
        int j = 0;
        while (soc > points[j + 1]) j++;
        double f = (soc - points[j]) / (points[j + 1] - points[j]);
        x[at + j] = 1 - f;
        x[at + j + 1] = f;
    }

    /// <summary>Log-spaced grid search over both time constants (tau2 at least 3 tau1), then golden-section refinement of each.</summary>
    public Fit SearchTimeConstants()
    {
        var best = new Fit { Sse = double.PositiveInfinity };
        foreach (double t1 in LogGrid(0.2, 60, 14))
            foreach (double t2 in LogGrid(10, 6000, 14))
            {
                if (t2 < 3 * t1) continue;
                var f = Evaluate(t1, t2);
                if (f.Sse < best.Sse) best = f;
            }
        if (!best.Valid) return best;
        for (int round = 0; round < 2; round++)
        {
            double t2Fixed = best.Tau2;
            best = Better(best, Golden(Math.Log(best.Tau1) - 0.5, Math.Log(Math.Min(best.Tau1 * 1.65, t2Fixed / 3)), lt => Evaluate(Math.Exp(lt), t2Fixed)));
            double t1Fixed = best.Tau1;
            best = Better(best, Golden(Math.Log(Math.Max(best.Tau2 / 1.65, 3 * t1Fixed)), Math.Log(best.Tau2) + 0.5, lt => Evaluate(t1Fixed, Math.Exp(lt))));
        }
        return best;
    }

    public static Fit Better(Fit a, Fit b) => b.Sse < a.Sse ? b : a;

    /// <summary>Golden-section minimum of the SSE over [lo, hi].</summary>
    public static Fit Golden(double lo, double hi, Func<double, Fit> f)
    {
        const double g = 0.6180339887;
        if (!(hi > lo)) return f(lo);
        double a = lo, b = hi, c = b - g * (b - a), d = a + g * (b - a);
        Fit fc = f(c), fd = f(d);
        for (int i = 0; i < 18; i++)
        {
            if (fc.Sse < fd.Sse) { b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c); }
            else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d); }
        }
        return fc.Sse < fd.Sse ? fc : fd;
    }

    public static double[] LogGrid(double lo, double hi, int n)
    {
        var g = new double[n];
        for (int i = 0; i < n; i++) g[i] = lo * Math.Pow(hi / lo, i / (double)(n - 1));
        return g;
    }

    /// <summary>asinh(x)/x (1 at x = 0): the Butler-Volmer overpotential over its small-current value.</summary>
    public static double BvRatio(double x) => x < 1e-9 ? 1 : Math.Asinh(x) / x;
}
