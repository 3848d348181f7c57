using System;
using SolidBms.Core.Config;

namespace SolidBms.Simulator.Physics;

/// <summary>
/// One cell as an equivalent circuit: OCV(SOC, T) behind R0 and two RC pairs, all temperature dependent (and, where
/// the cell file has them, SOC dependent, with R0's charge-transfer part falling with |I| by Butler-Volmer),
/// with an optional soft internal short in parallel. The RC states advance with the exact zero-order-hold
/// solution, so the model is stable at any tick length.
/// Current positive = discharge.
/// </summary>
public sealed class EcmCell : ISimCell
{
    private readonly SimCellParameters _p;
    private readonly float _socPerAmpSecond; // 1 / (3600 Q), as the hysteresis and diffusion steps take it

    public EcmCell(SimCellParameters parameters, double capacityAh, double resistanceScale, double initialSoc, double temperatureC)
    {
        _p = parameters;
        CapacityAh = capacityAh;
        _socPerAmpSecond = (float)(1.0 / (3600.0 * capacityAh));
        ResistanceScale = resistanceScale;
        Soc = initialSoc;
        TemperatureC = temperatureC;
        InternalShortOhm = double.PositiveInfinity;
        TerminalMillivolts = OcvMillivolts;
    }

    public double CapacityAh { get; }
    public double ResistanceScale { get; set; }
    /// <summary>True state of charge. Not clamped: a cell driven past full or empty shows it.</summary>
    public double Soc { get; private set; }
    public double TemperatureC { get; set; }
    public double V1Millivolts { get; private set; }
    public double V2Millivolts { get; private set; }
    public double TerminalMillivolts { get; private set; }
    public double InternalShortOhm { get; set; }
    /// <summary>Heat generated in the last step, W.</summary>
    public double HeatWatts { get; private set; }
    /// <summary>Charge moved through the terminals, Ah (absolute, both directions).</summary>
    public double ThroughputAh { get; private set; }
    public double R0MilliOhm { get; private set; }
    /// <summary>Dynamic hysteresis state h (-1..1) and the instantaneous term's sign (see <see cref="CellModel.StepHysteresis"/>); 0 for a cell without.</summary>
    public double Hysteresis { get; set; }
    public double HysteresisSign { get; set; }
    /// <summary>The hysteresis voltage's SOC multiplier at the last step (<see cref="CellModel.HysteresisSocFactorAt"/>; 1 without).</summary>
    public double HysteresisSocFactor { get; private set; } = 1;
    /// <summary>The hysteresis voltage (M h + M0 s) times its SOC multiplier at the last step, mV.</summary>
    public double HysteresisMillivolts { get; private set; }

    public double OcvMillivolts => OcvAt(Soc);
    /// <summary>The diffusion's SOC shift d (<see cref="CellModel.StepDiffusion"/>; 0 for a cell without): the voltage follows OCV(Soc - d).</summary>
    public double DiffusionSoc { get; set; }

    private double OcvAt(double soc)
    {
        float t = (float)TemperatureC;
        if (soc > 1.0 || soc < 0.0) return OcvBeyondTable(_p.Model, soc, t);
        return _p.Model.OcvMillivoltsAt((float)soc, t, ref _ocvSocHint);
    }

    /// <summary>
    /// The OCV at any SOC: the table within 0..1; beyond it the curve continues with four times its end slope (an
    /// overcharged cell keeps rising, an overdischarged one keeps falling). The fitter reads a surface SOC below 0 the same way.
    /// </summary>
    public static double OcvBeyondTable(CellModel m, double soc, float temperatureC)
    {
        if (soc > 1.0) return m.OcvMillivoltsAt(1f, temperatureC) + (soc - 1.0) * m.OcvSlopeMillivoltsPerSoc(0.99f, temperatureC) * 4.0;
        if (soc < 0.0) return m.OcvMillivoltsAt(0f, temperatureC) + soc * m.OcvSlopeMillivoltsPerSoc(0.01f, temperatureC) * 4.0;
        return m.OcvMillivoltsAt((float)soc, temperatureC);
    }

    /// <summary>
    /// How far the cell's temperature moves before its temperature-dependent parameters are looked up again, C (0: every
    /// step). A cell warms by under a millikelvin a tick, and the tables change R by a few percent per kelvin: the values
    /// used are within 1e-4 of their own (relative), and four table look-ups and two exponentials a step become one per
    /// several ticks.
    /// </summary>
    public double LookupStepC { get; init; } = 0.002;

    private double _lookupC = double.NaN, _lookupDtS = double.NaN;
    private float _r0At, _r1At, _r2At, _ctFraction, _halfInvI0, _hystMv, _hystInstantMv, _hystRate, _diffusionShiftPerC, _diffusionKneeGain;
    private double _a1, _a2, _aDiffusion; // exp(-dt / tau) of the two pairs and of the diffusion at the looked-up temperature and tick
    private int _ocvSocHint = -1, _factorSocHint = -1; // SOC intervals of the OCV and the impedance factor tables

    private void LookUpTemperatureDependents(float t, double dtSeconds)
    {
        var m = _p.Model;
        m.ImpedanceAt(t, out _r0At, out _r1At, out float tau1At, out _r2At, out float tau2At);
        m.ChargeTransferAt(t, out _ctFraction, out _halfInvI0);
        m.HysteresisAt(t, out _hystMv, out _hystInstantMv, out _hystRate);
        _a1 = Decay.Exp(dtSeconds / tau1At);
        _a2 = Decay.Exp(dtSeconds / tau2At);
        m.DiffusionAt(t, out _diffusionShiftPerC, out float diffusionTauS, out _diffusionKneeGain);
        _aDiffusion = Decay.Exp(dtSeconds / diffusionTauS);
        _lookupC = TemperatureC;
        _lookupDtS = dtSeconds;
    }

    public void Step(double currentA, double dtSeconds, double stackPressureKpa)
    {
        var m = _p.Model;
        float t = (float)TemperatureC;
        // (the first step looks up: _lookupC starts as NaN)
        if (!(Math.Abs(TemperatureC - _lookupC) < LookupStepC) || dtSeconds != _lookupDtS) LookUpTemperatureDependents(t, dtSeconds);
        double scale = ResistanceScale * _p.R0PressureFactor(stackPressureKpa);
        // The five impedance values and the charge transfer at the temperature (above), then the cell file's SOC
        // multipliers and the current-dependent charge transfer (1 for a file without them).
        float soc = (float)Math.Clamp(Soc, 0.0, 1.0);
        m.SocFactorsAt(soc, t, ref _factorSocHint, out float f0, out float f1, out float f2); // each axis located once: the same numbers
        double r0 = _r0At * f0 * m.R0CurrentFactor((float)currentA, _ctFraction, _halfInvI0) * scale / 1000.0;
        double r1 = _r1At * f1 * scale / 1000.0;
        double r2 = _r2At * f2 * ResistanceScale / 1000.0;
        R0MilliOhm = r0 * 1000.0;

        double shortA = double.IsInfinity(InternalShortOhm) ? 0.0 : OcvMillivolts / 1000.0 / InternalShortOhm;
        Soc -= (currentA + shortA) * dtSeconds / (3600.0 * CapacityAh);
        ThroughputAh += Math.Abs(currentA) * dtSeconds / 3600.0;

        double a1 = _a1, a2 = _a2;
        V1Millivolts = V1Millivolts * a1 + r1 * (1 - a1) * currentA * 1000.0;
        V2Millivolts = V2Millivolts * a2 + r2 * (1 - a2) * currentA * 1000.0;
        if (_hystRate > 0 || _hystInstantMv > 0)
        {
            float socPerAs = _socPerAmpSecond;
            Hysteresis = CellModel.StepHysteresis((float)Hysteresis, (float)currentA, (float)dtSeconds, socPerAs, _hystRate);
            HysteresisSign = CellModel.StepHysteresisSign((float)HysteresisSign, (float)currentA, socPerAs);
            if (m.HasHysteresisSocFactor) HysteresisSocFactor = m.HysteresisSocFactorAt((float)Math.Clamp(Soc, 0.0, 1.0), t);
            HysteresisMillivolts = (_hystMv * Hysteresis + _hystInstantMv * HysteresisSign) * HysteresisSocFactor;
        }
        if (_diffusionShiftPerC > 0)
            DiffusionSoc = CellModel.StepDiffusion((float)DiffusionSoc, (float)currentA, _socPerAmpSecond,
                CellModel.DiffusionShiftPerCAt((float)Soc, _diffusionShiftPerC, _diffusionKneeGain), (float)_aDiffusion);
        TerminalMillivolts = OcvAt(Soc - DiffusionSoc) + HysteresisMillivolts - currentA * r0 * 1000.0 - V1Millivolts - V2Millivolts;

        double v1 = V1Millivolts / 1000.0, v2 = V2Millivolts / 1000.0;
        HeatWatts = currentA * currentA * r0 + v1 * v1 / r1 + v2 * v2 / r2 + (shortA == 0 ? 0 : shortA * shortA * InternalShortOhm);
    }
}
