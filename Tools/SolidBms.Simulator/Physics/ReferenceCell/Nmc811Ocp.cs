using System;

namespace SolidBms.Simulator.Physics.ReferenceCell;

/// <summary>
/// NMC811 open-circuit potential against Li, V, as a function of the lithium stoichiometry x in Li_x(NiMnCo)O2.
/// The published fit of Chen et al. 2020 (J. Electrochem. Soc. 167, 080534; the LG M50 cathode, GITT on coin
/// half cells), as implemented in PyBaMM's Chen2020 parameter set and BattMo's computeOCP_nmc111_Chen.m (the two
/// agree to the last digit). That fit flattens out near full lithiation (3.49 V at x = 1), where a real NMC811
/// electrode falls steeply; a small exponential knee beyond the fit's data range (x above about 0.9) supplies it:
/// 5 mV at x = 0.908, 0.3 V at x = 0.95 (engineering estimate, so a C/20 discharge ends at 3.0 V as a lab's does).
/// </summary>
public static class Nmc811Ocp
{
    public const double KneeVolts = 0.005, KneeStoichiometry = 0.9084, KneeWidth = 0.01;

    /// <summary>Chen et al. 2020's fit alone (no knee), V.</summary>
    public static double Chen2020Volts(double x) =>
        -0.8090 * x + 4.4875
        - 0.0428 * Math.Tanh(18.5138 * (x - 0.5542))
        - 17.7326 * Math.Tanh(15.7890 * (x - 0.3117))
        + 17.5842 * Math.Tanh(15.9308 * (x - 0.3120));

    public static double Volts(double x) => Chen2020Volts(x) - KneeVolts * Math.Exp((x - KneeStoichiometry) / KneeWidth);

    /// <summary>The stoichiometry at which the OCP equals <paramref name="volts"/> (bisection; the OCP falls with x).</summary>
    public static double StoichiometryAt(double volts)
    {
        double lo = 0.05, hi = 0.999;
        for (int k = 0; k < 60; k++)
        {
            double mid = 0.5 * (lo + hi);
            if (Volts(mid) > volts) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }
}
