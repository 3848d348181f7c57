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
    public bool Dropout { get => _dropout; set { _dropout = value; _special = _dropout || _forced.HasValue; } }
    /// <summary>When set, every conversion returns this count (an input stuck at a rail: broken wire, shorted divider).</summary>
    public int? ForcedCounts { get => _forced; set { _forced = value; _special = _dropout || _forced.HasValue; } }
    public long Conversions { get; private set; }

    private bool _dropout, _special; // _special: a dropout or a forced count (one test per conversion instead of two)
    private int? _forced;

    public bool TryReadCounts(out int counts)
    {
        Conversions++;
        if (_special)
        {
            if (_dropout) { counts = 0; return false; }
            counts = _forced.Value;
            return true;
        }
        double v = TrueCounts;
        if (NoiseCounts > 0) v += NoiseCounts * Gaussian.Next(_rng);
        double rounded = Math.Round(v);
        counts = rounded >= MaxCounts ? MaxCounts : rounded > 0 ? (int)rounded : 0; // clamped to the converter's range
        return true;
    }
}
