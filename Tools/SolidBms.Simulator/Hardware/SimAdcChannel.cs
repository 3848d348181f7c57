using System;
using SolidBms.Core.Hal;
using SolidBms.Simulator.Physics;

namespace SolidBms.Simulator.Hardware;

/// <summary>
/// One ADC input of the simulated rig: holds the true input as (fractional) counts and returns quantised,
/// noisy, clamped conversions, as a 12-bit SAR converter does. Can be made to stop answering (dropout).
/// The noise of the conversions the firmware makes in a tick is drawn when the rig sets the input (<see cref="Set"/>),
/// with the physics: a conversion inside the firmware's tick then costs what the converter costs the firmware, a
/// register read, and the tick's measured cost is the firmware's. A tick that converts more often draws the rest then.
/// </summary>
public sealed class SimAdcChannel : IAdcChannel
{
    private readonly NoiseRng _rng;
    private readonly double[] _drawn; // standard normal samples for this tick's conversions
    private int _drawnCount, _next;

    /// <param name="conversionsPerTick">How many conversions the firmware makes of this input per tick (the board's oversampling).</param>
    public SimAdcChannel(int maxCounts, NoiseRng rng, int conversionsPerTick = 1)
    {
        MaxCounts = maxCounts;
        _rng = rng;
        _drawn = new double[Math.Max(1, conversionsPerTick)];
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

    /// <summary>The input for the coming tick (the rig's step), and the noise of that tick's conversions drawn now.</summary>
    public void Set(double trueCounts, double noiseCounts)
    {
        TrueCounts = trueCounts;
        NoiseCounts = noiseCounts;
        _next = 0;
        _drawnCount = noiseCounts > 0 ? _drawn.Length : 0;
        for (int k = 0; k < _drawnCount; k++) _drawn[k] = Gaussian.Next(_rng);
    }

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
        if (NoiseCounts > 0) v += NoiseCounts * (_next < _drawnCount ? _drawn[_next++] : Gaussian.Next(_rng));
        double rounded = Math.Round(v);
        counts = rounded >= MaxCounts ? MaxCounts : rounded > 0 ? (int)rounded : 0; // clamped to the converter's range
        return true;
    }
}
