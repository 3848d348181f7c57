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
public sealed record HppcFit
{
    /// <summary>A pulse: current on for at most this long after a rest of at least <see cref="PulseRestS"/>.</summary>
    public const double MaxPulseS = 120, PulseRestS = 5;
    public const int MinPulses = 2;
    /// <summary>
    /// Rest logged before the first load, s: its voltage gives the starting SOC. A shorter one (a log started a few
    /// seconds before the first pulse) is enough when it is flat: at least 2 samples over 1 s whose least-squares line
    /// moves less than 2 mV. A voltage still relaxing after a load moves far more (the fast pair: tens of mV with a
    /// time constant of seconds); 2 mV is twenty times the 0.1 mV cyclers record and, at a mid-SOC OCV slope of
    /// 5-10 mV per %, 0.2-0.4 % of SOC, which the fit's OCV correction takes up. The line, not max - min, so that
    /// noise over many samples is not read as movement.
    /// </summary>
    public const double MinStartRestS = 10, MinFlatStartRestS = 1, MaxStartRestMoveMv = 2;
    public const int MinFlatStartRestSamples = 2;
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
    /// <summary>R0, R1, R2 at <see cref="ImpedanceSocPoints"/> over their value at SOC 0.5 (null: no SOC dependence fitted).</summary>
    public double[] R0SocFactor { get; init; }
    public double[] R1SocFactor { get; init; }
    public double[] R2SocFactor { get; init; }
    /// <summary>Charge-transfer part of R0 at zero current, mOhm (0: linear), and its exchange current, A (NaN: none).</summary>
    public double ChargeTransferMilliOhm { get; init; }
    public double ExchangeCurrentA { get; init; }

    public static HppcFit FromLog(CyclerLog log, CellModel ocvModel, double capacityAh)
    {
        double maxAbs = 0;
        foreach (double i in log.CurrentA) maxAbs = Math.Max(maxAbs, Math.Abs(i));
        double idle = Math.Max(0.005 * capacityAh, 0.02 * maxAbs);
        if (maxAbs <= idle) throw new CellFitException($"{log.Name}: no pulses: no current flows");
        int startRest = 0;
        while (startRest < log.Count && Math.Abs(log.CurrentA[startRest]) < idle) startRest++;
        double startRestS = startRest > 0 ? log.TimeS[startRest - 1] - log.TimeS[0] : 0;
        if (startRest < MinFlatStartRestSamples || startRest == log.Count || startRestS < MinFlatStartRestS)
            throw new CellFitException($"{log.Name}: no rest at the start: the HPPC's starting SOC is read from the rested voltage");
        if (startRestS < MinStartRestS)
        {
            // The movement of the rest's least-squares line over the rest.
            double mt = 0, mv = 0, stv = 0, stt = 0;
            for (int k = 0; k < startRest; k++) { mt += log.TimeS[k]; mv += log.VoltageV[k]; }
            mt /= startRest; mv /= startRest;
            for (int k = 0; k < startRest; k++) { stv += (log.TimeS[k] - mt) * (log.VoltageV[k] - mv); stt += (log.TimeS[k] - mt) * (log.TimeS[k] - mt); }
            double moveMv = Math.Abs(stv / stt) * startRestS * 1000;
            if (moveMv >= MaxStartRestMoveMv)
                throw new CellFitException(string.Format(CultureInfo.InvariantCulture,
                    "{0}: no rest at the start: the voltage still moves {1:0.0} mV over the {2:0.0} s before the first load (a start rest under {3} s must hold within {4} mV): the HPPC's starting SOC is read from the rested voltage",
                    log.Name, moveMv, startRestS, MinStartRestS, MaxStartRestMoveMv));
        }
        var (pulses, restS) = CountPulses(log, idle, startRest);
        if (pulses < MinPulses) throw new CellFitException($"{log.Name}: no pulses: {pulses} current pulse(s) of at most {MaxPulseS} s after a {PulseRestS} s rest, {MinPulses} needed");
        if (restS < MinRestS) throw new CellFitException($"{log.Name}: no rest: {restS.ToString("0", CultureInfo.InvariantCulture)} s at rest after the first load, {MinRestS} s needed to see the relaxation");

        float temperature = (float)log.MeanTemperatureC;
        var q = Segments.DischargedAh(log);
        double soc0 = ocvModel.SocFromOcv((float)(log.VoltageV[0] * 1000), temperature);

        // A: one R0, R1, R2 for the whole file (and the OCV correction, which also absorbs a start-SOC error).
        var a = new ImpedanceDesign { Log = log };
        Prepare(a, ocvModel, temperature, q, soc0, capacityAh);
        var best = a.SearchTimeConstants();
        if (!best.Valid)
            throw new CellFitException($"{log.Name}: the pulses do not fit R0 with two RC pairs (no fit with positive resistances)");
        var fit = new HppcFit
        {
            Source = log.Name, TemperatureC = (int)Math.Round(log.MeanTemperatureC), InitialSoc = soc0, Pulses = pulses,
            R0MilliOhm = best.Beta[0], R1MilliOhm = best.Beta[1], Tau1Seconds = best.Tau1, R2MilliOhm = best.Beta[2], Tau2Seconds = best.Tau2,
            RmsMillivolts = best.Rms, ExchangeCurrentA = double.NaN,
        };

        // B: the resistances over SOC, where the pulses reach every breakpoint and the fit gains from it.
        var b = new ImpedanceDesign { Log = log, Y = a.Y, Soc = a.Soc, SocPoints = SocPointsD() };
        if (Excites(b, capacityAh))
        {
            var fb = b.Evaluate(best.Tau1, best.Tau2);
            for (int round = 0; round < 2 && fb.Valid; round++)
            {
                double t2 = fb.Tau2;
                fb = ImpedanceDesign.Better(fb, ImpedanceDesign.Golden(Math.Log(fb.Tau1) - 0.4, Math.Log(Math.Min(fb.Tau1 * 1.5, t2 / 3)), lt => b.Evaluate(Math.Exp(lt), t2)));
                double t1 = fb.Tau1;
                fb = ImpedanceDesign.Better(fb, ImpedanceDesign.Golden(Math.Log(Math.Max(fb.Tau2 / 1.5, 3 * t1)), Math.Log(fb.Tau2) + 0.4, lt => b.Evaluate(t1, Math.Exp(lt))));
            }
            if (fb.Valid && fb.Sse < SocGainRequired * best.Sse)
            {
                int nb = b.Basis, r = ReferenceSocIndex;
                var f0 = new double[nb]; var f1 = new double[nb]; var f2 = new double[nb];
                double spread = 0, r0Spread = 0;
                for (int j = 0; j < nb; j++)
                {
                    f0[j] = fb.Beta[j] / fb.Beta[r]; f1[j] = fb.Beta[nb + j] / fb.Beta[nb + r]; f2[j] = fb.Beta[2 * nb + j] / fb.Beta[2 * nb + r];
                    r0Spread = Math.Max(r0Spread, Math.Abs(f0[j] - 1));
                    spread = Math.Max(spread, Math.Max(Math.Abs(f1[j] - 1), Math.Abs(f2[j] - 1)));
                }
                if (r0Spread > MinSocFactorSpread || spread > MinRcSocFactorSpread)
                {
                    best = fb;
                    fit = fit with
                    {
                        R0MilliOhm = fb.Beta[r], R1MilliOhm = fb.Beta[nb + r], R2MilliOhm = fb.Beta[2 * nb + r], Tau1Seconds = fb.Tau1, Tau2Seconds = fb.Tau2,
                        R0SocFactor = f0, R1SocFactor = f1, R2SocFactor = f2, RmsMillivolts = fb.Rms,
                    };
                }
            }
        }

        // C: a Butler-Volmer charge-transfer part of R0, when pulses of clearly different size show it.
        if (PulseCurrentSpan(log, idle) >= MinCurrentSpan)
        {
            var c = new ImpedanceDesign { Log = log, Y = a.Y, Soc = a.Soc };
            if (fit.R0SocFactor != null) SampleFactors(c, b, fit);
            var linear = c.Evaluate(fit.Tau1Seconds, fit.Tau2Seconds);
            double tau1 = fit.Tau1Seconds, tau2 = fit.Tau2Seconds, logI0 = 0;
            void SetI0(double li)
            {
                double half = 0.5 / Math.Exp(li);
                c.Bv ??= new double[log.Count];
                for (int k = 0; k < log.Count; k++) c.Bv[k] = ImpedanceDesign.BvRatio(Math.Abs(log.CurrentA[k]) * half);
            }
            ImpedanceDesign.Fit AtI0(double li) { SetI0(li); return c.Evaluate(tau1, tau2); }
            // The exchange current by a grid and golden section, then the time constants again with it, twice round:
            // the charge-transfer term and the fast RC pair trade off, so neither is fixed from the linear fit.
            var bestBv = new ImpedanceDesign.Fit { Sse = double.PositiveInfinity };
            foreach (double i0 in ImpedanceDesign.LogGrid(0.01 * capacityAh, 10 * capacityAh, 16))
            {
                var f = AtI0(Math.Log(i0));
                if (f.Sse < bestBv.Sse) { bestBv = f; logI0 = Math.Log(i0); }
            }
            for (int round = 0; round < 3 && bestBv.Valid; round++)
            {
                double from = logI0;
                var g = ImpedanceDesign.Golden(from - 0.7, from + 0.7, li => { var f = AtI0(li); f.Tau1 = li; return f; });
                if (g.Sse < bestBv.Sse) { logI0 = g.Tau1; bestBv = g; }
                SetI0(logI0);
                var ft = c.SearchTimeConstants();
                if (ft.Sse < bestBv.Sse) { tau1 = ft.Tau1; tau2 = ft.Tau2; bestBv = ft; }
            }
            if (bestBv.Valid)
            {
                SetI0(logI0);
                bestBv = c.Evaluate(tau1, tau2);
                double rct = bestBv.Beta[c.RctIndex], r0 = bestBv.Beta[0] + rct;
                if (linear.Valid && rct > MinChargeTransferShare * r0 && bestBv.Sse < BvGainRequired * linear.Sse)
                    fit = fit with
                    {
                        R0MilliOhm = r0, ChargeTransferMilliOhm = rct, ExchangeCurrentA = Math.Exp(logI0), Tau1Seconds = tau1, Tau2Seconds = tau2,
                        R1MilliOhm = bestBv.Beta[1], R2MilliOhm = bestBv.Beta[2], RmsMillivolts = bestBv.Rms,
                    };
            }
        }
        return fit;
    }

    /// <summary>SOC breakpoints of the impedance's SOC axis (the reference, factor 1, is the middle one).</summary>
    public static readonly float[] ImpedanceSocPoints = { 0.1f, 0.3f, 0.5f, 0.7f, 0.9f };
    public const int ReferenceSocIndex = 2;
    /// <summary>
    /// The SOC axis is kept when it lowers the squared residual by 10 % and an R0 factor is 5 % off 1 (or an R1/R2 factor
    /// 15 %: the RC factors also soak up OCV-table error at the steep ends, so they need more evidence).
    /// </summary>
    public const double SocGainRequired = 0.9, MinSocFactorSpread = 0.05, MinRcSocFactorSpread = 0.15;
    /// <summary>The charge-transfer term needs pulses 2x apart in size, a 5 % share of R0 and a 5 % lower squared residual.</summary>
    public const double MinCurrentSpan = 2, MinChargeTransferShare = 0.05, BvGainRequired = 0.95;

    private static double[] SocPointsD() => Array.ConvertAll(ImpedanceSocPoints, x => (double)x);

    private static void Prepare(ImpedanceDesign d, CellModel ocvModel, float temperature, double[] q, double soc0, double capacityAh)
    {
        int n = d.Log.Count;
        d.Y = new double[n]; d.Soc = new double[n];
        for (int k = 0; k < n; k++)
        {
            float soc = (float)Math.Clamp(soc0 - q[k] / capacityAh, 0, 1);
            d.Soc[k] = soc;
            d.Y[k] = d.Log.VoltageV[k] * 1000 - ocvModel.OcvMillivoltsAt(soc, temperature);
        }
    }

    /// <summary>Every SOC breakpoint sees current (charge through its hat function of at least 1 % of the capacity).</summary>
    private static bool Excites(ImpedanceDesign d, double capacityAh)
    {
        var w = new double[d.Basis];
        var ah = new double[d.Basis];
        for (int k = 1; k < d.Log.Count; k++)
        {
            d.Weights(d.Soc[k], w);
            double dq = Math.Abs(d.Log.CurrentA[k]) * (d.Log.TimeS[k] - d.Log.TimeS[k - 1]) / 3600;
            for (int j = 0; j < w.Length; j++) ah[j] += w[j] * dq;
        }
        foreach (double x in ah) if (x < 0.01 * capacityAh) return false;
        return true;
    }

    private static void SampleFactors(ImpedanceDesign into, ImpedanceDesign axis, HppcFit fit)
    {
        int n = into.Log.Count;
        into.F0 = new double[n]; into.F1 = new double[n]; into.F2 = new double[n];
        var w = new double[axis.Basis];
        for (int k = 0; k < n; k++)
        {
            axis.Weights(into.Soc[k], w);
            for (int j = 0; j < w.Length; j++)
            {
                into.F0[k] += w[j] * fit.R0SocFactor[j];
                into.F1[k] += w[j] * fit.R1SocFactor[j];
                into.F2[k] += w[j] * fit.R2SocFactor[j];
            }
        }
    }

    /// <summary>Largest over smallest current magnitude among the pulses (1 when they are all alike).</summary>
    private static double PulseCurrentSpan(CyclerLog log, double idle)
    {
        double lo = double.MaxValue, hi = 0;
        foreach (double i in log.CurrentA)
        {
            double m = Math.Abs(i);
            if (m < idle) continue;
            lo = Math.Min(lo, m);
            hi = Math.Max(hi, m);
        }
        return hi > 0 ? hi / lo : 1;
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
}
