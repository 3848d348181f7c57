using System;
using System.Globalization;
using SolidBms.Core.Config;

namespace SolidBms.CellFit;

/// <summary>
/// R0 and two RC pairs at one temperature from an HPPC test (pulses between rests at SOC steps). The SOC follows by
/// coulomb counting from the first rested voltage read through the fitted OCV; the voltage left after the OCV is
/// fitted to -R0 I - V1 - V2 with Vk the zero-order-hold response of an RC pair (the firmware's and simulator's
/// equations). For fixed time constants that is linear in the resistances (least squares); the time constants are
/// found by a log-spaced grid and a golden-section refinement.
/// </summary>
public sealed class HppcFit
{
    /// <summary>A pulse: current on for at most this long after a rest of at least <see cref="PulseRestS"/>.</summary>
    public const double MaxPulseS = 120, PulseRestS = 5;
    public const int MinPulses = 2;
    /// <summary>Rest logged before the first load, s: its voltage gives the starting SOC.</summary>
    public const double MinStartRestS = 10;
    /// <summary>Rest needed in the file (after the first load) to separate the slow RC pair from the OCV, s.</summary>
    public const double MinRestS = 60;

    public string Source { get; init; }
    public int TemperatureC { get; init; }
    public double R0MilliOhm { get; init; }
    public double R1MilliOhm { get; init; }
    public double Tau1Seconds { get; init; }
    public double R2MilliOhm { get; init; }
    public double Tau2Seconds { get; init; }
    public double InitialSoc { get; init; }
    public int Pulses { get; init; }
    /// <summary>RMS of the fit's own residual, mV.</summary>
    public double RmsMillivolts { get; init; }

    public static HppcFit FromLog(CyclerLog log, CellModel ocvModel, double capacityAh)
    {
        double maxAbs = 0;
        foreach (double i in log.CurrentA) maxAbs = Math.Max(maxAbs, Math.Abs(i));
        double idle = Math.Max(0.005 * capacityAh, 0.02 * maxAbs);
        if (maxAbs <= idle) throw new CellFitException($"{log.Name}: no pulses: no current flows");
        int startRest = 0;
        while (startRest < log.Count && Math.Abs(log.CurrentA[startRest]) < idle) startRest++;
        if (startRest == 0 || startRest == log.Count || log.TimeS[startRest - 1] - log.TimeS[0] < MinStartRestS)
            throw new CellFitException($"{log.Name}: no rest at the start: the HPPC's starting SOC is read from the rested voltage");
        var (pulses, restS) = CountPulses(log, idle, startRest);
        if (pulses < MinPulses) throw new CellFitException($"{log.Name}: no pulses: {pulses} current pulse(s) of at most {MaxPulseS} s after a {PulseRestS} s rest, {MinPulses} needed");
        if (restS < MinRestS) throw new CellFitException($"{log.Name}: no rest: {restS.ToString("0", CultureInfo.InvariantCulture)} s at rest after the first load, {MinRestS} s needed to see the relaxation");

        float temperature = (float)log.MeanTemperatureC;
        var q = Segments.DischargedAh(log);
        double soc0 = ocvModel.SocFromOcv((float)(log.VoltageV[0] * 1000), temperature);
        Fit best = default;
        for (int iteration = 0; iteration < 4; iteration++)
        {
            var y = new double[log.Count];
            var slope = new double[log.Count];
            for (int k = 0; k < log.Count; k++)
            {
                float soc = (float)Math.Clamp(soc0 - q[k] / capacityAh, 0, 1);
                y[k] = log.VoltageV[k] * 1000 - ocvModel.OcvMillivoltsAt(soc, temperature);
                slope[k] = ocvModel.OcvSlopeMillivoltsPerSoc(soc, temperature);
            }
            best = SearchTimeConstants(log, y, slope);
            // The SOC offset is the fit's fourth unknown, linearised through the OCV slope: move the start and refit.
            double shift = best.Beta[3];
            if (double.IsNaN(shift) || Math.Abs(shift) < 0.001) break;
            soc0 = Math.Clamp(soc0 + Math.Clamp(shift, -0.05, 0.05), 0, 1);
        }
        if (best.Beta == null || !(best.Sse < double.PositiveInfinity))
            throw new CellFitException($"{log.Name}: the pulses do not fit R0 with two RC pairs (no fit with positive resistances)");
        return new HppcFit
        {
            Source = log.Name, TemperatureC = (int)Math.Round(log.MeanTemperatureC), InitialSoc = soc0, Pulses = pulses,
            R0MilliOhm = best.Beta[0], R1MilliOhm = best.Beta[1], Tau1Seconds = best.Tau1, R2MilliOhm = best.Beta[2], Tau2Seconds = best.Tau2,
            RmsMillivolts = Math.Sqrt(best.Sse / log.Count),
        };
    }

    private static (int Pulses, double RestS) CountPulses(CyclerLog log, double idle, int firstLoad)
    {
        int pulses = 0;
        double restS = 0, restRun = PulseRestS, onStart = double.NaN;
        for (int k = firstLoad; k < log.Count; k++)
        {
            double dt = log.TimeS[k] - log.TimeS[k - 1];
            bool on = Math.Abs(log.CurrentA[k]) >= idle;
            if (on)
            {
                if (double.IsNaN(onStart)) onStart = restRun >= PulseRestS ? log.TimeS[k - 1] : double.NegativeInfinity;
                restRun = 0;
            }
            else
            {
                if (!double.IsNaN(onStart) && log.TimeS[k - 1] - onStart <= MaxPulseS) pulses++;
                onStart = double.NaN;
                restRun += dt;
                restS += dt;
            }
        }
        return (pulses, restS);
    }

    private struct Fit
    {
        public double Tau1, Tau2, Sse;
        public double[] Beta;
    }

    private static Fit SearchTimeConstants(CyclerLog log, double[] y, double[] slope)
    {
        var best = new Fit { Sse = double.PositiveInfinity };
        double[] tau1Grid = LogGrid(0.2, 60, 14), tau2Grid = LogGrid(10, 6000, 14);
        foreach (double t1 in tau1Grid)
            foreach (double t2 in tau2Grid)
            {
                if (t2 < 3 * t1) continue;
                var f = Evaluate(log, y, slope, t1, t2);
                if (f.Sse < best.Sse) best = f;
            }
        if (best.Beta == null) return best;
        // Golden-section refinement in log tau, one constant at a time, twice round.
        for (int round = 0; round < 2; round++)
        {
            double t2Fixed = best.Tau2;
            best = Better(best, Golden(Math.Log(best.Tau1) - 0.5, Math.Log(Math.Min(best.Tau1 * 1.65, t2Fixed / 3)), lt => Evaluate(log, y, slope, Math.Exp(lt), t2Fixed)));
            double t1Fixed = best.Tau1;
            best = Better(best, Golden(Math.Log(Math.Max(best.Tau2 / 1.65, 3 * t1Fixed)), Math.Log(best.Tau2) + 0.5, lt => Evaluate(log, y, slope, t1Fixed, Math.Exp(lt))));
        }
        return best;
    }

    private static Fit Better(Fit a, Fit b) => b.Sse < a.Sse ? b : a;

    private static Fit Golden(double lo, double hi, Func<double, Fit> f)
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

    /// <summary>Least squares for R0, R1, R2 and an SOC offset at fixed time constants; SSE infinite if a resistance comes out negative.</summary>
    private static Fit Evaluate(CyclerLog log, double[] y, double[] slope, double tau1, double tau2)
    {
        var ls = new LeastSquares(4);
        var x = new double[4];
        double v1 = 0, v2 = 0, lastDt = double.NaN, a1 = 0, a2 = 0;
        for (int k = 0; k < log.Count; k++)
        {
            double i = log.CurrentA[k];
            if (k > 0)
            {
                double dt = log.TimeS[k] - log.TimeS[k - 1];
                if (dt != lastDt) { a1 = Math.Exp(-dt / tau1); a2 = Math.Exp(-dt / tau2); lastDt = dt; }
                v1 = a1 * v1 + (1 - a1) * i;
                v2 = a2 * v2 + (1 - a2) * i;
            }
            x[0] = -i; x[1] = -v1; x[2] = -v2; x[3] = slope[k];
            ls.Add(x, y[k]);
        }
        var beta = ls.Solve(out double sse);
        for (int j = 0; j < 3; j++) if (!(beta[j] > 0)) sse = double.PositiveInfinity;
        return new Fit { Tau1 = tau1, Tau2 = tau2, Sse = sse, Beta = beta };
    }

    private static double[] LogGrid(double lo, double hi, int n)
    {
        var g = new double[n];
        for (int i = 0; i < n; i++) g[i] = lo * Math.Pow(hi / lo, i / (double)(n - 1));
        return g;
    }
}
