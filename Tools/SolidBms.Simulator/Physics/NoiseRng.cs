using System;

namespace SolidBms.Simulator.Physics;

/// <summary>
/// The simulator's per-conversion uniform source: SplitMix64 (Steele, Lea and Flood, "Fast Splittable Pseudorandom
/// Number Generators", OOPSLA 2014; the seeding generator of xoshiro), one add and a 64-bit mix per draw. A seeded
/// <see cref="Random"/> costs two range-reduced calls per normal sample, and the analog rig draws one sample per
/// ADC conversion (136 a 16-cell tick). Seeded from the scenario's generator, so runs still repeat exactly.
/// </summary>
public sealed class NoiseRng
{
    private ulong _state;

    public NoiseRng(Random seedFrom) : this((ulong)seedFrom.NextInt64()) { }

    public NoiseRng(ulong seed) { _state = seed; }

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);
}
