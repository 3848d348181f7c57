using System;

namespace SolidBms.Simulator.Physics;

/// <summary>
/// exp(-x) for the RC states' zero-order-hold step, where x = dt / tau is small (a 0.1 s tick over time constants of
/// seconds to hours). Up to x = 1/16 a Taylor polynomial to x^9 (evaluated by Estrin's scheme: four short independent
/// chains instead of one long one) leaves a truncation error below x^10 / 10! = 2.5e-19, far under an ulp of the
/// result: it agrees with Math.Exp to within two ulp (SimulatorFastPathTests). Other arguments go to Math.Exp.
/// Why: the 24 h runs make two such calls per cell per tick, and libm's exp was 4 % of a simulated tick.
/// </summary>
public static class Decay
{
    public const double SeriesLimit = 0.0625;

    private const double C2 = 1.0 / 2, C3 = -1.0 / 6, C4 = 1.0 / 24, C5 = -1.0 / 120, C6 = 1.0 / 720,
        C7 = -1.0 / 5040, C8 = 1.0 / 40320, C9 = -1.0 / 362880;

    /// <summary>exp(-x).</summary>
    public static double Exp(double x)
    {
        if (!(x >= 0 && x <= SeriesLimit)) return Math.Exp(-x); // NaN, negative and larger arguments: the library
        double x2 = x * x, x4 = x2 * x2;
        double low = (1.0 - x) + x2 * (C2 + C3 * x);
        double mid = (C4 + C5 * x) + x2 * (C6 + C7 * x);
        double high = C8 + C9 * x;
        return low + x4 * (mid + x4 * high);
    }
}
