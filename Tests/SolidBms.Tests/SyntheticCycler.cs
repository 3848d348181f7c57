using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace SolidBms.Tests;

/// <summary>
/// Cycler logs of a cell with known equivalent-circuit parameters, written here independently of the fitter and the
/// simulator: an analytic OCV curve, R0, two RC pairs (exact zero-order hold), optional hysteresis, a
/// Butler-Volmer charge-transfer overpotential in series, and voltage noise. The fitter must recover what went in.
/// </summary>
public sealed class SyntheticCycler
{
    public double CapacityAh = 3.0;
    public double TemperatureC = 25;
    public double R0MilliOhm = 15, R1MilliOhm = 20, Tau1S = 2, R2MilliOhm = 20, Tau2S = 300;
    /// <summary>Half the OCV gap between charge and discharge, mV (0: none): switches with the current's sign (instantaneous).</summary>
    public double HysteresisMv;
    /// <summary>
    /// Dynamic hysteresis (Plett's one-state model, written here from its equation): M h with h moving towards -1 on
    /// discharge and +1 on charge, dh = -(|I| dt gamma / 3600 Q) (h + sign I); 0: none. It starts at <see cref="HysteresisStart"/>.
    /// </summary>
    public double DynamicHysteresisMv, HysteresisRate = 30, HysteresisStart;
    /// <summary>Both hysteresis terms' multiplier at SOC 1, falling linearly to 1 at SOC 0.9 (1: the same size at every SOC).</summary>
    public double HysteresisFactorAtFull = 1;
    /// <summary>Charge-transfer resistance at zero current (mOhm) and exchange current (A); 0: linear cell.</summary>
    public double ChargeTransferMilliOhm, ExchangeCurrentA = 1;
    /// <summary>R0 multiplier at SOC 0 (falls linearly to 1 at SOC 0.5 and above): 1 means no SOC dependence.</summary>
    public double R0FactorAtEmpty = 1;
    /// <summary>R2 multiplier at SOC 0, falling linearly to 1 at <see cref="R2KneeSoc"/> (a diffusion-limited knee near empty): 1 means none.</summary>
    public double R2FactorAtEmpty = 1, R2KneeSoc = 0.05;
    /// <summary>
    /// Solid diffusion: the voltage follows OCV(SOC - d), d lagging DiffusionShiftPerC |I| / Q with DiffusionTauS (written
    /// here from that equation, exact exponential per row); 0: none.
    /// </summary>
    public double DiffusionShiftPerC, DiffusionTauS = 600;
    /// <summary>The shift per C grows by 1 + DiffusionKneeGain r below SOC 0.1, r from 0 there to 1 at SOC 0.</summary>
    public double DiffusionKneeGain;
    /// <summary>Where the C/20 discharge stops, SOC (above 0: a cold cell reaching its cut-off early).</summary>
    public double C20EndSoc;
    public double NoiseMv;
    public int Seed = 1;

    public static double OcvMv(double soc)
    {
        soc = Math.Clamp(soc, 0, 1);
        // NMC-like: steep knee at empty, gentle middle, shoulder at full.
        return 3450 + 600 * soc + 120 * Math.Tanh((soc - 0.6) * 6) * 0.5 - 90 * Math.Exp(-soc / 0.04);
    }

    private readonly List<(double T, double I)> _steps = new();

    /// <summary>Current i (A, + = discharge) for seconds s, sampled every dt.</summary>
    public SyntheticCycler Hold(double i, double s, double dt)
    {
        int n = (int)Math.Round(s / dt);
        for (int k = 0; k < n; k++) _steps.Add((dt, i));
        return this;
    }

    /// <summary>C/20 test from full: rest, discharge to empty, rest, charge to full, rest (SOC runs exactly 1 -> C20EndSoc -> 1).</summary>
    public static SyntheticCycler C20(SyntheticCycler c, double dt = 10)
    {
        double i = c.CapacityAh / 20, s = 20 * 3600 * (1 - c.C20EndSoc);
        return c.Hold(0, 600, dt).Hold(i, s, dt).Hold(0, 1800, dt).Hold(-i, s, dt).Hold(0, 600, dt);
    }

    /// <summary>HPPC from full: at SOC 1.0, 0.9 .. 0.1: rest, 1C discharge 10 s, rest 40 s, 0.75C charge 10 s, rest, then C/2 down 10 %.</summary>
    public static SyntheticCycler Hppc(SyntheticCycler c, double restS = 1500, double dt = 1, double[] pulseCRates = null)
    {
        pulseCRates ??= new[] { 1.0 };
        double q = c.CapacityAh;
        for (int level = 0; level < 10; level++)
        {
            c.Hold(0, restS, dt);
            foreach (double rate in pulseCRates)
                c.Hold(rate * q, 10, dt).Hold(0, 40, dt).Hold(-0.75 * rate * q, 10, dt).Hold(0, 40, dt);
            if (level < 9) c.Hold(0.5 * q, 720, dt);
        }
        return c.Hold(0, restS, dt);
    }

    /// <summary>
    /// A drive-like dynamic test from a rested start: blocks of 1C discharge, rest, 0.4C regeneration and C/2 discharge,
    /// with a 0.3C charge and a 20 min rest every fourth block (so the hysteresis is crossed both ways and told from the RC pairs), down by <paramref name="depth"/> of
    /// the capacity, then a rest.
    /// </summary>
    public static SyntheticCycler Drive(SyntheticCycler c, double depth = 0.6, double dt = 1)
    {
        double q = c.CapacityAh, moved = 0;
        c.Hold(0, 60, dt);
        for (int block = 0; moved < depth * q; block++)
        {
            c.Hold(q, 30, dt).Hold(0, 20, dt).Hold(-0.4 * q, 15, dt).Hold(0.5 * q, 90, dt).Hold(0, 30, dt);
            moved += (30 * q - 6 * q + 45 * q) / 3600;
            // a charge and a long rest every fourth block: the RC pairs relax with time, the hysteresis does not
            if (block % 4 == 3) { c.Hold(-0.3 * q, 300, dt).Hold(0, 1200, dt); moved -= 90 * q / 3600; }
        }
        return c.Hold(0, 600, dt);
    }

    /// <summary>R0 (ohmic and charge transfer alike) over its value at SOC 0.5 and above: linear from R0FactorAtEmpty at 0.</summary>
    public double R0Factor(double soc) => soc < 0.5 ? 1 + (R0FactorAtEmpty - 1) * (0.5 - Math.Max(soc, 0)) / 0.5 : 1;

    public double R2Factor(double soc) => soc < R2KneeSoc ? 1 + (R2FactorAtEmpty - 1) * (R2KneeSoc - Math.Max(soc, 0)) / R2KneeSoc : 1;

    public double Overpotential(double i)
    {
        if (ChargeTransferMilliOhm <= 0) return 0;
        double x = i / (2 * ExchangeCurrentA);
        return ChargeTransferMilliOhm * 2 * ExchangeCurrentA * Math.Log(x + Math.Sqrt(x * x + 1)); // R_ct * 2 I0 asinh(I / 2 I0)
    }

    /// <summary>Writes the log (SolidBms columns, or Arbin's with charge-positive current) starting at SOC soc0.</summary>
    public string Write(string path, double soc0 = 1.0, bool arbin = false)
    {
        var rng = new Random(Seed);
        var sb = new StringBuilder(arbin ? "Data_Point,Test_Time(s),Step_Index,Current(A),Voltage(V),Aux_Temperature_1(C)\n" : "time_s,current_a,voltage_v,temperature_c,step\n");
        double t = 0, soc = soc0, v1 = 0, v2 = 0, hyst = HysteresisMv, h = HysteresisStart, d = 0;
        int row = 0;
        foreach (var (dt, i) in Prepend())
        {
            if (row > 0)
            {
                t += dt;
                soc -= i * dt / 3600 / CapacityAh;
                double a1 = Math.Exp(-dt / Tau1S), a2 = Math.Exp(-dt / Tau2S);
                v1 = a1 * v1 + (1 - a1) * R1MilliOhm * i;
                v2 = a2 * v2 + (1 - a2) * R2MilliOhm * R2Factor(soc) * i;
                if (i > 0) hyst = -HysteresisMv; else if (i < 0) hyst = HysteresisMv;
                double decay = Math.Exp(-Math.Abs(i) * dt * HysteresisRate / (3600 * CapacityAh));
                h = decay * h - (1 - decay) * Math.Sign(i);
                double ad = Math.Exp(-dt / DiffusionTauS);
                double r = Math.Clamp((0.1 - soc) / 0.1, 0, 1);
                d = ad * d + (1 - ad) * DiffusionShiftPerC * (1 + DiffusionKneeGain * r) * Math.Abs(i) / CapacityAh;
            }
            double f0 = R0Factor(soc);
            double noise = NoiseMv > 0 ? NoiseMv * Gaussian(rng) : 0;
            double hystFactor = 1 + (HysteresisFactorAtFull - 1) * Math.Clamp((soc - 0.9) / 0.1, 0, 1);
            double mv = OcvMv(soc - d) + (hyst + DynamicHysteresisMv * h) * hystFactor - f0 * (R0MilliOhm * i + Overpotential(i)) - v1 - v2 + noise;
            var c = CultureInfo.InvariantCulture;
            if (arbin) sb.Append(row + 1).Append(',').Append(t.ToString("0.###", c)).Append(",1,").Append((-i).ToString("0.#####", c)).Append(',')
                         .Append((mv / 1000).ToString("0.######", c)).Append(',').Append(TemperatureC.ToString("0.##", c)).Append('\n');
            else sb.Append(t.ToString("0.###", c)).Append(',').Append(i.ToString("0.#####", c)).Append(',').Append((mv / 1000).ToString("0.######", c))
                   .Append(',').Append(TemperatureC.ToString("0.##", c)).Append(",x\n");
            row++;
        }
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    private IEnumerable<(double, double)> Prepend()
    {
        yield return (0, 0);
        foreach (var s in _steps) yield return s;
    }

    private static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}
