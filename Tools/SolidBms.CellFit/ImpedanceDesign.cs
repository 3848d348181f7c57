using System;
using SolidBms.Core.Config;
using SolidBms.Simulator.Physics;

namespace SolidBms.CellFit;

/// <summary>
/// The linear part of the HPPC fit: for fixed time constants (and a fixed exchange current), the voltage left after the
/// OCV, y = V - OCV(SOC), is linear in the resistances:
///   y = -sum_j R0_j w_j I f0 - Rct I f0 g(|I|/2I0) - sum_j R1_j RC1(w_j f1 I) - sum_j R2_j RC2(w_j f2 I) + dOCV/dSOC dSOC
/// with w_j hat functions over SOC breakpoints (one constant function when there is no SOC axis), f0..f2 fixed SOC
/// multipliers (1 unless given), g = asinh(x)/x the Butler-Volmer ratio (no Rct column unless given) and RCk the
/// zero-order-hold response of an RC pair, plus a piecewise-linear correction of the OCV over SOC.
/// With a hysteresis rate gamma given, two more columns: M h_k and M0 s_k, the dynamic and instantaneous hysteresis of
/// the cell model (<see cref="CellModel.StepHysteresis"/>), linear in M and M0 for a fixed gamma.
/// Unknowns: R0_j, R1_j, R2_j, [Rct], [M, M0], the OCV correction at <see cref="OcvCorrectionPoints"/>.
/// The samples may come from several records (files) one after another: the RC and hysteresis states start afresh at
/// each record's first sample.
/// </summary>
public sealed class ImpedanceDesign
{
    public FitSamples Data;
    public double[] Y => Data.Y;
    public double[] Soc => Data.Soc;
    /// <summary>Gamma of the hysteresis columns (NaN: no hysteresis columns).</summary>
    public double HysteresisRate = double.NaN;
    /// <summary>
    /// The diffusion shift's time constant, s (NaN: no diffusion, and the knee samples stay out) and its steady SOC shift
    /// per C (<see cref="CellModel.StepDiffusion"/>): the voltage left is then V - OCV(SOC - d), the knee samples count.
    /// </summary>
    public double DiffusionTauS = double.NaN, DiffusionShiftPerC;
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

    private bool WithHysteresis => !double.IsNaN(HysteresisRate);
    public int Unknowns => HysteresisIndex + (WithHysteresis ? 2 : 0) + OcvCorrectionPoints.Length;
    public int RctIndex => 3 * Basis;
    /// <summary>Index of M (M0 follows) in the coefficients, when the hysteresis columns are in.</summary>
    public int HysteresisIndex => 3 * Basis + (Bv == null ? 0 : 1);
    private int OcvIndex => HysteresisIndex + (WithHysteresis ? 2 : 0);

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
        float h = 0, sign = 0, socPerAs = (float)(1 / (3600 * Data.CapacityAh)), rate = (float)HysteresisRate;
        var d = Data;
        bool withDiffusion = !double.IsNaN(DiffusionTauS), shifting = withDiffusion && DiffusionShiftPerC > 0;
        float shift = 0, aShift = 0, shiftPerC = (float)DiffusionShiftPerC;
        for (int k = 0; k < d.Count; k++)
        {
            double i = d.CurrentA[k];
            Weights(Soc[k], w);
            double f0 = F0 == null ? 1 : F0[k], f1 = F1 == null ? 1 : F1[k], f2 = F2 == null ? 1 : F2[k];
            if (d.RecordStart[k])
            {
                Array.Clear(v1);
                Array.Clear(v2);
                h = 0; sign = 0; shift = 0; // each record's history before its first sample is unknown
                lastLoadS = double.NegativeInfinity;
            }
            else
            {
                double dt = d.TimeS[k] - d.TimeS[k - 1];
                if (dt != lastDt)
                {
                    a1 = Math.Exp(-dt / tau1); a2 = Math.Exp(-dt / tau2); lastDt = dt;
                    if (withDiffusion) aShift = (float)Math.Exp(-dt / DiffusionTauS);
                }
                if (shifting) shift = CellModel.StepDiffusion(shift, (float)i, socPerAs, shiftPerC, aShift);
                for (int j = 0; j < nb; j++)
                {
                    v1[j] = a1 * v1[j] + (1 - a1) * w[j] * f1 * i;
                    v2[j] = a2 * v2[j] + (1 - a2) * w[j] * f2 * i;
                }
                if (WithHysteresis)
                {
                    h = CellModel.StepHysteresis(h, (float)i, (float)dt, socPerAs, rate);
                    sign = CellModel.StepHysteresisSign(sign, (float)i, socPerAs);
                }
            }
            for (int j = 0; j < nb; j++)
            {
                x[j] = -i * f0 * w[j];
                x[nb + j] = -v1[j];
                x[2 * nb + j] = -v2[j];
            }
            if (Bv != null) x[RctIndex] = -i * f0 * Bv[k];
            if (WithHysteresis) { x[HysteresisIndex] = h; x[HysteresisIndex + 1] = sign; }
            int oi = OcvIndex;
            for (int j = 0; j < OcvCorrectionPoints.Length; j++) x[oi + j] = 0;
            HatInto(OcvCorrectionPoints, Soc[k], x, oi);
            // Long rests add little after their first minute: every tenth sample there keeps the least squares cheap.
            double y = Y[k];
            if (shift != 0)
            {
                float t = d.TemperatureC[k];
                y += d.OcvModel.OcvMillivoltsAt((float)Soc[k], t) - EcmCell.OcvBeyondTable(d.OcvModel, Soc[k] - shift, t);
            }
            bool counts = d.Used[k] || (withDiffusion && d.Knee[k]);
            if (counts && (i != 0 || k % 10 == 0 || d.TimeS[k] - lastLoadS < 60)) ls.Add(x, y);
            if (i != 0) lastLoadS = d.TimeS[k];
        }
        var beta = ls.Solve(out double sse);
        for (int j = 0; j < 3 * nb; j++) if (!(beta[j] > 0)) sse = double.PositiveInfinity;
        if (Bv != null && !(beta[RctIndex] >= 0)) sse = double.PositiveInfinity;
        if (WithHysteresis && !(beta[HysteresisIndex] >= 0 && beta[HysteresisIndex + 1] >= 0)) sse = double.PositiveInfinity;
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
            foreach (double t2 in LogGrid(10, MaxTau2S, 14))
            {
                if (t2 < 3 * t1) continue;
                var f = Evaluate(t1, t2);
                if (f.Sse < best.Sse) best = f;
            }
        return best.Valid ? Better(best, Refine(best.Tau1, best.Tau2)) : best;
    }

    /// <summary>
    /// Golden-section refinement of each time constant in turn around (tau1, tau2), twice round: within +-width in log
    /// space, tau1 below factor x itself and tau2 / 3, tau2 above tau2 / factor and 3 tau1.
    /// </summary>
    public Fit Refine(double tau1, double tau2, double width = 0.5, double factor = 1.65)
    {
        var best = Evaluate(tau1, tau2);
        if (!best.Valid) return best;
        for (int round = 0; round < 2; round++)
        {
            double t2Fixed = best.Tau2;
            best = Better(best, Golden(Math.Log(best.Tau1) - width, Math.Log(Math.Min(best.Tau1 * factor, t2Fixed / 3)), lt => Evaluate(Math.Exp(lt), t2Fixed)));
            double t1Fixed = best.Tau1;
            best = Better(best, Golden(Math.Log(Math.Max(best.Tau2 / factor, 3 * t1Fixed)), Math.Min(Math.Log(best.Tau2) + width, Math.Log(MaxTau2S)), lt => Evaluate(t1Fixed, Math.Exp(lt))));
        }
        return best;
    }

    /// <summary>
    /// The slow pair's longest time constant, s. Beyond it an RC pair charged at C/20 for hours looks like an offset that
    /// follows the current's direction, the signature of hysteresis; the rests tell the two apart only within hours.
    /// </summary>
    public const double MaxTau2S = 6000;

    public static Fit Better(Fit a, Fit b) => b.Sse < a.Sse ? b : a;

    /// <summary>
    /// One more nonlinear parameter of the design (the hysteresis rate, the exchange current), searched on a log scale
    /// together with the time constants: a grid at (tau1, tau2), then <paramref name="rounds"/> times a golden section
    /// within +-<paramref name="halfWidth"/> of the best and the time constants again at it (a fresh grid search in the
    /// rounds <paramref name="searchAfresh"/> names, a local refinement in the others), since the two trade off.
    /// <paramref name="set"/> puts a log-value into the design. Returns the best fit (its Tau1/Tau2 the time constants)
    /// and the log-value; the design is left set to it.
    /// </summary>
    public (Fit Best, double LogValue) SearchWithTimeConstants(Action<double> set, double[] grid, double halfWidth, int rounds,
        double tau1, double tau2, Func<int, bool> searchAfresh)
    {
        Fit At(double lv) { set(lv); return Evaluate(tau1, tau2); }
        var best = new Fit { Sse = double.PositiveInfinity };
        double logValue = Math.Log(grid[0]);
        foreach (double v in grid)
        {
            var f = At(Math.Log(v));
            if (f.Sse < best.Sse) { best = f; logValue = Math.Log(v); }
        }
        for (int round = 0; round < rounds && best.Valid; round++)
        {
            double from = logValue;
            var g = Golden(from - halfWidth, from + halfWidth, lv => { var f = At(lv); f.Tau1 = lv; return f; });
            if (g.Sse < best.Sse) { logValue = g.Tau1; best = g; }
            set(logValue);
            var ft = searchAfresh(round) ? SearchTimeConstants() : Refine(tau1, tau2);
            if (ft.Sse < best.Sse) { tau1 = ft.Tau1; tau2 = ft.Tau2; best = ft; }
        }
        set(logValue);
        if (best.Valid) best = Evaluate(tau1, tau2);
        return (best, logValue);
    }

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
