using System;
using SolidBms.Core.Measurement;
using SolidBms.Core.Safety;

namespace SolidBms.Tests;

/// <summary>
/// A tracker of several signals sampled together (one shared ring of times) against one single-signal tracker per
/// signal, each with its own ring: the same fastest rise and the same largest magnitude of rate, tick by tick, over
/// random values of both signs, invalid samples (a bad status or NaN) that restart one signal's window, and irregular
/// tick lengths.
/// </summary>
public class RateTrackerSignalsTests
{
    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 1)]
    [InlineData(3, 40)]
    public void Shared_ring_gives_the_rates_of_one_tracker_per_signal(int seed, int window)
    {
        const int signals = 4;
        var shared = new RateTracker(window, signals);
        var single = new RateTracker[signals];
        for (int s = 0; s < signals; s++) single[s] = new RateTracker(window);
        var values = new float[signals];
        var status = new SensorStatus[signals];
        var rng = new Random(seed);
        long now = 0;
        int known = 0;
        for (int tick = 0; tick < 3000; tick++)
        {
            now += rng.Next(15) == 0 ? rng.Next(0, 300) : 100; // now and then a clock that did not move
            for (int s = 0; s < signals; s++)
            {
                values[s] += (float)(rng.NextDouble() - 0.5) * (s + 1);
                int bad = rng.Next(300);
                status[s] = bad == 0 ? SensorStatus.Open : SensorStatus.Ok;
                if (bad == 1) values[s] = float.NaN;
                if (float.IsNaN(values[s]) && bad > 1) values[s] = 0f;
            }
            shared.Add(values, status, now);
            float fastest = float.NaN, largest = float.NaN;
            for (int s = 0; s < signals; s++)
            {
                single[s].Add(status[s] == SensorStatus.Ok ? values[s] : float.NaN, now);
                float r = single[s].RatePerSecond;
                if (float.IsNaN(r)) continue;
                if (float.IsNaN(fastest) || r > fastest) fastest = r;
                if (float.IsNaN(largest) || Math.Abs(r) > largest) largest = Math.Abs(r);
            }
            if (!float.IsNaN(largest)) known++;
            Assert.True(fastest.Equals(shared.FastestRisePerSecond), $"tick {tick}: fastest {shared.FastestRisePerSecond}, per signal {fastest}");
            Assert.True(largest.Equals(shared.LargestRatePerSecond), $"tick {tick}: largest {shared.LargestRatePerSecond}, per signal {largest}");
        }
        Assert.True(known > 1500, $"a rate was known on {known} ticks only");
    }

    /// <summary>
    /// Samples kept as 16-bit counts of a unit against the same samples kept exactly: every rise within half a count
    /// (plus float rounding), the same ticks with and without a rate, over temperatures that wander and jump, invalid
    /// samples, and a clock that stalls.
    /// </summary>
    [Theory]
    [InlineData(4, 300)]
    [InlineData(5, 7)]
    public void Counted_samples_give_rises_within_half_a_count_of_the_exact_ones(int seed, int window)
    {
        const int signals = 16;
        const float unit = SafetySupervisor.TemperatureRateUnitC;
        var counted = new RateTracker(window, signals, unit);
        var exact = new RateTracker(window, signals);
        var values = new float[signals];
        var status = new SensorStatus[signals];
        var rng = new Random(seed);
        for (int s = 0; s < signals; s++) values[s] = -30f + 100f * (float)rng.NextDouble();
        long now = 3_000_000_000L; // beyond 32 bits of ms: the times are kept as their low half
        float worstError = 0f;
        for (int tick = 0; tick < 4000; tick++)
        {
            now += rng.Next(25) == 0 ? rng.Next(0, 250) : 100;
            for (int s = 0; s < signals; s++)
            {
                values[s] += (float)(rng.NextDouble() - 0.5) * 0.3f + (rng.Next(500) == 0 ? 40f * (float)(rng.NextDouble() - 0.5) : 0f);
                status[s] = rng.Next(700) == 0 ? SensorStatus.Short : SensorStatus.Ok;
            }
            counted.Add(values, status, now);
            exact.Add(values, status, now);
            Assert.Equal(exact.WindowMs, counted.WindowMs);
            Assert.Equal(float.IsNaN(exact.FastestRisePerSecond), float.IsNaN(counted.FastestRisePerSecond));
            if (float.IsNaN(exact.FastestRisePerSecond)) continue;
            float errorPerSecond = Math.Abs(exact.FastestRisePerSecond - counted.FastestRisePerSecond);
            float allowed = (unit / 2f + 1e-4f) * 1000f / exact.WindowMs;
            Assert.True(errorPerSecond <= allowed, $"tick {tick}: {counted.FastestRisePerSecond}/s against {exact.FastestRisePerSecond}/s");
            Assert.True(Math.Abs(exact.LargestRatePerSecond - counted.LargestRatePerSecond) <= allowed, $"tick {tick}: largest");
            worstError = Math.Max(worstError, errorPerSecond * exact.WindowMs / 1000f);
        }
        Assert.True(worstError > 0f, "the counted samples never differed: the test did not reach the rounding");
    }

    [Fact]
    public void Counted_samples_keep_the_infinities_and_hold_values_beyond_their_range_at_its_edge()
    {
        var r = new RateTracker(1, 1, 0.01f);
        r.Add(float.PositiveInfinity, 0);
        Assert.False(r.Add(float.PositiveInfinity, 100)); // infinity less infinity: no rate, as with exact samples
        r.Add(1000f, 200); // held at 327.66
        Assert.True(r.Add(1000f, 300));
        Assert.True(r.Rise >= 0f, $"a steady value beyond the range rose by {r.Rise}: a rise from it may only look larger");
        r.Add(float.NegativeInfinity, 400);
        Assert.True(r.Add(20f, 500));
        Assert.Equal(float.PositiveInfinity, r.Rise);
        r.Add(-25.004f, 600);
        Assert.True(r.Add(-25f, 700));
        Assert.Equal(0f, r.Rise, 0.0051f);
    }
}
