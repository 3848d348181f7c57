using System;
using SolidBms.Core.Hal;
using SolidBms.Simulator.Physics;

namespace SolidBms.Simulator.Hardware;

/// <summary>
/// One ADC input of the simulated rig: holds the true input as (fractional) counts and returns quantised,
/// noisy, clamped conversions, as a 12-bit SAR converter does. Can be made to stop answering (dropout).
/// The conversions the firmware makes in a tick are worked out (noise drawn, quantised, clamped) when the rig sets the
/// input (<see cref="Set"/>), with the physics: a conversion inside the firmware's tick then costs what the converter
/// costs the firmware, a register read, and the tick's measured cost is the firmware's. A tick that converts more often
/// than the board's oversampling gets the rest converted then.
/// </summary>
public sealed class SimAdcChannel : IAdcChannel
{
    private readonly NoiseRng _rng;
    private readonly int[] _converted; // this tick's conversions, worked out when the input was set
    private int _next;

    /// <param name="conversionsPerTick">How many conversions the firmware makes of this input per tick (the board's oversampling).</param>
    public SimAdcChannel(int maxCounts, NoiseRng rng, int conversionsPerTick = 1)
    {
        MaxCounts = maxCounts;
        _rng = rng;
        _converted = new int[Math.Max(1, conversionsPerTick)];
        _next = _converted.Length; // nothing set yet: convert on demand
    }

    public int MaxCounts { get; }
    /// <summary>The converter's noiseless result for the present input.</summary>
    public double TrueCounts { get; private set; }
    /// <summary>Standard deviation of conversion noise, counts.</summary>
    public double NoiseCounts { get; private set; }
    public bool Dropout { get => _dropout; set { _dropout = value; _special = _dropout || _forced.HasValue; } }
    /// <summary>When set, every conversion returns this count (an input stuck at a rail: broken wire, shorted divider).</summary>
    public int? ForcedCounts { get => _forced; set { _forced = value; _special = _dropout || _forced.HasValue; } }
    public long Conversions { get; private set; }

    private bool _dropout, _special; // _special: a dropout or a forced count (one test per conversion instead of two)
    private int? _forced;

    /// <summary>The input for the coming tick (the rig's step), and that tick's conversions worked out now.</summary>
    public void Set(double trueCounts, double noiseCounts)
    {
        TrueCounts = trueCounts;
        NoiseCounts = noiseCounts;
        for (int k = 0; k < _converted.Length; k++) _converted[k] = Convert();
        _next = 0;
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
        counts = _next < _converted.Length ? _converted[_next++] : Convert();
        return true;
    }

    public bool TryReadSum(int conversions, out int sumCounts)
    {
        int sum = 0;
        for (int i = 0; i < conversions; i++)
        {
            if (!TryReadCounts(out int counts) || counts < 0 || counts > MaxCounts) { sumCounts = 0; return false; }
            sum += counts;
        }
        sumCounts = sum;
        return true;
    }

    /// <summary>One conversion of the present input: noisy, quantised, clamped to the converter's range.</summary>
    private int Convert()
    {
        double v = TrueCounts;
        if (NoiseCounts > 0) v += NoiseCounts * Gaussian.Next(_rng);
        double rounded = Math.Round(v);
        return rounded >= MaxCounts ? MaxCounts : rounded > 0 ? (int)rounded : 0;
    }
}
