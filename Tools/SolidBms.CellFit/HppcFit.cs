using System;
using System.Collections.Generic;
using System.Linq;
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

    /// <summary>Hysteresis found by the fit: M and M0 (mV) and the rate gamma (NaN: none fitted).</summary>
    public double HysteresisMillivolts { get; init; }
    public double InstantHysteresisMillivolts { get; init; }
    public double HysteresisRate { get; init; } = double.NaN;
    /// <summary>The diffusion shift found by the fit: its steady SOC shift per C and time constant, s (NaN: none fitted).</summary>
    public double DiffusionSocShiftPerC { get; init; } = double.NaN;
    public double DiffusionTauSeconds { get; init; } = double.NaN;
    /// <summary>How much the shift per C grows towards empty (<see cref="CellModel.DiffusionKneeGain"/>; 0: not at all), fitted on the replay (CellFitter).</summary>
    public double DiffusionKneeGain { get; init; }
    /// <summary>Dynamic records in the fit.</summary>
    public int DynamicFiles { get; init; }

    /// <summary>One HPPC file alone (no dynamic or C/20 record).</summary>
    public static HppcFit FromLog(CyclerLog log, CellModel ocvModel, double capacityAh)
        => FromLogs(new[] { log }, Array.Empty<CyclerLog>(), Array.Empty<(CyclerLog, OcvFit)>(), ocvModel, capacityAh);

    /// <summary>
    /// R0, the RC pairs, their SOC factors, the charge-transfer term and the hysteresis at one temperature, by least squares
    /// on the voltage of every HPPC and dynamic file there together (and, with a dynamic file, of the C/20 files' middle,
    /// SOC 0.1..0.9, where the charge and discharge branches pin the hysteresis). At least one HPPC or dynamic file.
    /// </summary>
    public static HppcFit FromLogs(IReadOnlyList<CyclerLog> hppc, IReadOnlyList<CyclerLog> dynamic, IReadOnlyList<(CyclerLog Log, OcvFit Ocv)> c20,
        CellModel ocvModel, double capacityAh)
    {
        if (hppc.Count + dynamic.Count == 0) throw new CellFitException("no HPPC or dynamic file: the impedance needs one per temperature");
        var data = new FitSamples { CapacityAh = capacityAh };
        int pulses = 0;
        double initialSoc = double.NaN;
        foreach (var log in hppc)
        {
            double idle = Idle(log, capacityAh, "no pulses: no current flows");
            int startRest = RequireStartRest(log, idle, "HPPC");
            var (n, restS) = CountPulses(log, idle, startRest);
            if (n < MinPulses) throw new CellFitException($"{log.Name}: no pulses: {n} current pulse(s) of at most {MaxPulseS} s after a {PulseRestS} s rest, {MinPulses} needed");
            if (restS < MinRestS) throw new CellFitException($"{log.Name}: no rest: {restS.ToString("0", CultureInfo.InvariantCulture)} s at rest after the first load, {MinRestS} s needed to see the relaxation");
            pulses += n;
            initialSoc = AddFromRest(data, log, ocvModel, initialSoc);
        }
        foreach (var log in dynamic)
        {
            RequireStartRest(log, Idle(log, capacityAh, "no current flows: not a dynamic test"), "dynamic test");
            initialSoc = AddFromRest(data, log, ocvModel, initialSoc, soc => soc >= ImpedanceSocPoints[0], soc => soc < ImpedanceSocPoints[0]);
        }
        // With a dynamic record, the C/20 branches join: where the drive flips between them, they pin how big the
        // hysteresis is. A pulse-only fit keeps to its pulses (hours of C/20 would outweigh them in the squares).
        if (dynamic.Count > 0)
            foreach (var (log, ocv) in c20)
                data.Add(log, ocvModel, ocv.InitialSoc, soc => soc >= 0.1 && soc <= 0.9);
        var first = hppc.Count > 0 ? hppc[0] : dynamic[0];
        string source = string.Join(", ", hppc.Concat(dynamic).Select(l => l.Name));

        // A: one R0, R1, R2 for all records (and the OCV correction, which also absorbs a start-SOC error).
        var a = new ImpedanceDesign { Data = data };
        var best = a.SearchTimeConstants();
        if (!best.Valid)
            throw new CellFitException($"{source}: the records do not fit R0 with two RC pairs (no fit with positive resistances)");

        // H: the hysteresis, when the records show it (the rate by a grid and golden section, the time constants again
        // with it: the slow pair and the hysteresis both hold a voltage that follows the charge's direction, and the pair
        // found without the hysteresis has taken some of it, so they are searched afresh once, then refined).
        double rate = double.NaN;
        var h = new ImpedanceDesign { Data = data };
        var (bestH, logRate) = h.SearchWithTimeConstants(lg => h.HysteresisRate = Math.Exp(lg),
            ImpedanceDesign.LogGrid(MinHysteresisRate, MaxHysteresisRate, 12), 0.5, 3, best.Tau1, best.Tau2, round => round == 0);
        if (bestH.Valid && bestH.Sse < HysteresisGainRequired * best.Sse
            && bestH.Beta[h.HysteresisIndex] + bestH.Beta[h.HysteresisIndex + 1] >= MinHysteresisMv)
        {
            best = bestH;
            rate = Math.Exp(logRate);
        }
        int hi = h.HysteresisIndex; // the same position in every design without an SOC axis or Rct column

        // D: the diffusion shift, when the dynamic records run into the knee near empty (its samples join the squares).
        var (diffusion, diffusionTauS, diffusionShift) = FitDiffusion(data, rate, best.Tau1, best.Tau2, capacityAh);
        if (diffusion.Valid) best = diffusion;

        var fit = new HppcFit
        {
            Source = source, TemperatureC = (int)Math.Round(first.MeanTemperatureC), InitialSoc = initialSoc, Pulses = pulses, DynamicFiles = dynamic.Count,
            R0MilliOhm = best.Beta[0], R1MilliOhm = best.Beta[1], Tau1Seconds = best.Tau1, R2MilliOhm = best.Beta[2], Tau2Seconds = best.Tau2,
            RmsMillivolts = best.Rms, ExchangeCurrentA = double.NaN, HysteresisRate = rate,
            DiffusionTauSeconds = diffusionTauS, DiffusionSocShiftPerC = diffusionShift,
            HysteresisMillivolts = double.IsNaN(rate) ? 0 : best.Beta[hi], InstantHysteresisMillivolts = double.IsNaN(rate) ? 0 : best.Beta[hi + 1],
        };
        ImpedanceDesign Design(double[] socPoints = null) => new()
        {
            Data = data, SocPoints = socPoints, HysteresisRate = rate,
            DiffusionTauS = diffusionTauS, DiffusionShiftPerC = double.IsNaN(diffusionShift) ? 0 : diffusionShift,
        };

        // B: the resistances over SOC, where the records reach every breakpoint and the fit gains from it.
        var b = Design(SocPointsD());
        if (Excites(b, capacityAh))
        {
            var fb = b.Evaluate(fit.Tau1Seconds, fit.Tau2Seconds);
            if (fb.Valid) fb = ImpedanceDesign.Better(fb, b.Refine(fb.Tau1, fb.Tau2, 0.4, 1.5));
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
                        HysteresisMillivolts = double.IsNaN(rate) ? 0 : fb.Beta[b.HysteresisIndex],
                        InstantHysteresisMillivolts = double.IsNaN(rate) ? 0 : fb.Beta[b.HysteresisIndex + 1],
                    };
                }
            }
        }

        // C: a Butler-Volmer charge-transfer part of R0, when pulses of clearly different size show it.
        if (PulseCurrentSpan(hppc.Concat(dynamic), capacityAh) >= MinCurrentSpan)
        {
            var c = Design();
            if (fit.R0SocFactor != null) SampleFactors(c, b, fit);
            var linear = c.Evaluate(fit.Tau1Seconds, fit.Tau2Seconds);
            // The exchange current, alternating with the time constants three times round: the charge-transfer term and
            // the fast RC pair trade off, so neither is fixed from the linear fit.
            void SetI0(double li)
            {
                double half = 0.5 / Math.Exp(li);
                c.Bv ??= new double[data.Count];
                for (int k = 0; k < data.Count; k++) c.Bv[k] = ImpedanceDesign.BvRatio(Math.Abs(data.CurrentA[k]) * half);
            }
            var (bestBv, logI0) = c.SearchWithTimeConstants(SetI0, ImpedanceDesign.LogGrid(0.01 * capacityAh, 10 * capacityAh, 16), 0.7, 3,
                fit.Tau1Seconds, fit.Tau2Seconds, round => dynamic.Count == 0);
            double tau1 = bestBv.Tau1, tau2 = bestBv.Tau2;
            if (bestBv.Valid)
            {
                double rct = bestBv.Beta[c.RctIndex], r0 = bestBv.Beta[0] + rct;
                if (linear.Valid && rct > MinChargeTransferShare * r0 && bestBv.Sse < BvGainRequired * linear.Sse)
                    fit = fit with
                    {
                        R0MilliOhm = r0, ChargeTransferMilliOhm = rct, ExchangeCurrentA = Math.Exp(logI0), Tau1Seconds = tau1, Tau2Seconds = tau2,
                        R1MilliOhm = bestBv.Beta[1], R2MilliOhm = bestBv.Beta[2], RmsMillivolts = bestBv.Rms,
                        HysteresisMillivolts = double.IsNaN(rate) ? 0 : bestBv.Beta[c.HysteresisIndex],
                        InstantHysteresisMillivolts = double.IsNaN(rate) ? 0 : bestBv.Beta[c.HysteresisIndex + 1],
                    };
            }
        }
        return fit;
    }

    /// <summary>The diffusion's search range: steady SOC shift per C, and time constant, s.</summary>
    public const double MinDiffusionShiftPerC = 0.002, MaxDiffusionShiftPerC = 1, MinDiffusionTauS = 30, MaxDiffusionTauS = 20000;
    /// <summary>
    /// The diffusion is fitted where the dynamic records put at least this much charge through the knee (SOC below the
    /// impedance axis' first point), in units of the capacity, and kept when it lowers the squared residual there and
    /// elsewhere by 10 %.
    /// </summary>
    public const double MinKneeChargeShare = 0.01, DiffusionGainRequired = 0.9;

    /// <summary>
    /// Stage D: the diffusion's time constant by a log grid and the shift per C by golden sections at each, both refined
    /// once more around the best, the RC time constants again with them. Returns no fit (and NaN) when the records do not
    /// reach the knee or the shift does not pay; the comparison is on the same samples (the knee in, no shift).
    /// </summary>
    private static (ImpedanceDesign.Fit Fit, double TauS, double ShiftPerC) FitDiffusion(FitSamples data, double rate, double tau1, double tau2, double capacityAh)
    {
        var none = (new ImpedanceDesign.Fit { Sse = double.PositiveInfinity }, double.NaN, double.NaN);
        double kneeAh = 0;
        for (int k = 1; k < data.Count; k++)
            if (data.Knee[k] && !data.RecordStart[k]) kneeAh += Math.Abs(data.CurrentA[k]) * (data.TimeS[k] - data.TimeS[k - 1]) / 3600;
        if (kneeAh < MinKneeChargeShare * capacityAh) return none;
        var d = new ImpedanceDesign { Data = data, HysteresisRate = rate, DiffusionTauS = MinDiffusionTauS, DiffusionShiftPerC = 0 };
        var without = d.Evaluate(tau1, tau2);
        if (!without.Valid) return none;
        ImpedanceDesign.Fit AtShift(double logShift) { d.DiffusionShiftPerC = Math.Exp(logShift); var f = d.Evaluate(tau1, tau2); f.Tau1 = logShift; return f; }
        ImpedanceDesign.Fit AtTau(double logTau) { d.DiffusionTauS = Math.Exp(logTau); var f = d.Evaluate(tau1, tau2); f.Tau1 = logTau; return f; }
        double bestTau = double.NaN, bestShift = double.NaN, bestSse = double.PositiveInfinity;
        foreach (double tau in ImpedanceDesign.LogGrid(MinDiffusionTauS, MaxDiffusionTauS, 7))
        {
            d.DiffusionTauS = tau;
            var g = ImpedanceDesign.Golden(Math.Log(MinDiffusionShiftPerC), Math.Log(MaxDiffusionShiftPerC), AtShift);
            if (g.Sse < bestSse) { bestSse = g.Sse; bestTau = tau; bestShift = Math.Exp(g.Tau1); }
        }
        if (double.IsNaN(bestTau)) return none;
        d.DiffusionShiftPerC = bestShift;
        var gt = ImpedanceDesign.Golden(Math.Log(bestTau) - 0.6, Math.Min(Math.Log(bestTau) + 0.6, Math.Log(MaxDiffusionTauS)), AtTau);
        if (gt.Sse < bestSse) { bestSse = gt.Sse; bestTau = Math.Exp(gt.Tau1); }
        d.DiffusionTauS = bestTau;
        var gs = ImpedanceDesign.Golden(Math.Log(bestShift) - 0.5, Math.Min(Math.Log(bestShift) + 0.5, Math.Log(MaxDiffusionShiftPerC)), AtShift);
        if (gs.Sse < bestSse) bestShift = Math.Exp(gs.Tau1);
        d.DiffusionShiftPerC = bestShift;
        var fit = d.Refine(tau1, tau2);
        if (!fit.Valid || !(fit.Sse < DiffusionGainRequired * without.Sse)) return none;
        return (fit, bestTau, bestShift);
    }

    /// <summary>The current below which a record counts as at rest, A; refuses a record in which nothing flows.</summary>
    private static double Idle(CyclerLog log, double capacityAh, string none)
    {
        double maxAbs = 0;
        foreach (double i in log.CurrentA) maxAbs = Math.Max(maxAbs, Math.Abs(i));
        double idle = Math.Max(0.005 * capacityAh, 0.02 * maxAbs);
        if (maxAbs <= idle) throw new CellFitException($"{log.Name}: {none}");
        return idle;
    }

    /// <summary>The first loaded sample after the rest a record must start with (its starting SOC is read from the rested voltage).</summary>
    private static int RequireStartRest(CyclerLog log, double idle, string kind)
    {
        int startRest = 0;
        while (startRest < log.Count && Math.Abs(log.CurrentA[startRest]) < idle) startRest++;
        double startRestS = startRest > 0 ? log.TimeS[startRest - 1] - log.TimeS[0] : 0;
        if (startRest < MinFlatStartRestSamples || startRest == log.Count || startRestS < MinFlatStartRestS)
            throw new CellFitException($"{log.Name}: no rest at the start: the {kind}'s starting SOC is read from the rested voltage");
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
                    "{0}: no rest at the start: the voltage still moves {1:0.0} mV over the {2:0.0} s before the first load (a start rest under {3} s must hold within {4} mV): the {5}'s starting SOC is read from the rested voltage",
                    log.Name, moveMv, startRestS, MinStartRestS, MaxStartRestMoveMv, kind));
        }
        return startRest;
    }

    /// <summary>Adds a record from the SOC its rested first voltage reads on the OCV table; returns the first record's.</summary>
    private static double AddFromRest(FitSamples data, CyclerLog log, CellModel ocvModel, double firstSoc, Func<double, bool> use = null, Func<double, bool> knee = null)
    {
        double soc0 = ocvModel.SocFromOcv((float)(log.VoltageV[0] * 1000), (float)log.MeanTemperatureC);
        data.Add(log, ocvModel, soc0, use, knee);
        return double.IsNaN(firstSoc) ? soc0 : firstSoc;
    }

    /// <summary>Gamma's search range (unitless; the hysteresis closes 63 % of its gap over 1/gamma of the capacity).</summary>
    public const double MinHysteresisRate = 2, MaxHysteresisRate = 2000;
    /// <summary>The hysteresis is kept when it lowers the squared residual by 5 % and M + M0 is at least 1 mV.</summary>
    public const double HysteresisGainRequired = 0.95, MinHysteresisMv = 1;

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

    /// <summary>Every SOC breakpoint sees current (charge through its hat function of at least 1 % of the capacity).</summary>
    private static bool Excites(ImpedanceDesign d, double capacityAh)
    {
        var w = new double[d.Basis];
        var ah = new double[d.Basis];
        var data = d.Data;
        for (int k = 1; k < data.Count; k++)
        {
            if (data.RecordStart[k] || !data.Used[k]) continue;
            d.Weights(d.Soc[k], w);
            double dq = Math.Abs(data.CurrentA[k]) * (data.TimeS[k] - data.TimeS[k - 1]) / 3600;
            for (int j = 0; j < w.Length; j++) ah[j] += w[j] * dq;
        }
        foreach (double x in ah) if (x < 0.01 * capacityAh) return false;
        return true;
    }

    private static void SampleFactors(ImpedanceDesign into, ImpedanceDesign axis, HppcFit fit)
    {
        int n = into.Data.Count;
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

    /// <summary>Largest over smallest current magnitude under load (1 when they are all alike).</summary>
    private static double PulseCurrentSpan(IEnumerable<CyclerLog> logs, double capacityAh)
    {
        double lo = double.MaxValue, hi = 0, idle = 0.02 * capacityAh;
        foreach (double i in logs.SelectMany(l => l.CurrentA))
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
