using System;
using SolidBms.Core.Hal;
using SolidBms.Simulator.Physics;

namespace SolidBms.Simulator.Hardware;

/// <summary>
/// One ADC input of the simulated rig: holds the true input as (fractional) counts and returns quantised,
/// noisy, clamped conversions, as a 12-bit SAR converter does. Can be made to stop answering (dropout).
/// </summary>
public sealed class SimAdcChannel : IAdcChannel
{
    private readonly NoiseRng _rng;

    public SimAdcChannel(int maxCounts, NoiseRng rng)
    {
        MaxCounts = maxCounts;
        _rng = rng;
    }

    public int MaxCounts { get; }
    /// <summary>The converter's noiseless result for the present input.</summary>
    public double TrueCounts { get; set; }
    /// <summary>Standard deviation of conversion noise, counts.</summary>
    public double NoiseCounts { get; set; }
    public bool Dropout { get; set; }
    /// <summary>When set, every conversion returns this count (an input stuck at a rail: broken wire, shorted divider).</summary>
    public int? ForcedCounts { get; set; }
    public long Conversions { get; private set; }

    public bool TryReadCounts(out int counts)
    {
        Conversions++;
        if (Dropout) { counts = 0; return false; }
        if (ForcedCounts is int forced) { counts = forced; return true; }
        double v = TrueCounts;
        if (NoiseCounts > 0) v += NoiseCounts * Gaussian.Next(_rng);
        counts = (int)Math.Clamp(Math.Round(v), 0, MaxCounts);
        return true;
    }
}
