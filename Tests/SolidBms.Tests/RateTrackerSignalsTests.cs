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
    /// Samples kept as one-byte steps in counts of a unit against the same samples kept exactly: every rise within half
    /// a count (plus float rounding) while no sample steps more than 127 counts, the same ticks with and without a rate,
    /// over temperatures that wander, invalid samples that restart a signal's run, and a clock that stalls.
    /// </summary>
    [Theory]
    [InlineData(4, 300)]
    [InlineData(5, 7)]
    [InlineData(6, 1)]
    public void Counted_steps_give_rises_within_half_a_count_of_the_exact_ones(int seed, int window)
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
        int known = 0;
        for (int tick = 0; tick < 4000; tick++)
        {
            now += rng.Next(25) == 0 ? rng.Next(0, 250) : 100;
            for (int s = 0; s < signals; s++)
            {
                // up to 1.2 degC a sample (under 127 counts), now and then a new level after an invalid sample
                values[s] += (float)(rng.NextDouble() - 0.5) * (rng.Next(50) == 0 ? 2.4f : 0.3f);
                bool bad = rng.Next(700) == 0;
                status[s] = bad ? SensorStatus.Short : SensorStatus.Ok;
                if (bad) values[s] = -30f + 100f * (float)rng.NextDouble();
            }
            counted.Add(values, status, now);
            exact.Add(values, status, now);
            Assert.Equal(exact.WindowMs, counted.WindowMs);
            Assert.Equal(float.IsNaN(exact.FastestRisePerSecond), float.IsNaN(counted.FastestRisePerSecond));
            if (float.IsNaN(exact.FastestRisePerSecond)) continue;
            known++;
            float errorPerSecond = Math.Abs(exact.FastestRisePerSecond - counted.FastestRisePerSecond);
            float allowed = (unit / 2f + 1e-4f) * 1000f / exact.WindowMs;
            Assert.True(errorPerSecond <= allowed, $"tick {tick}: {counted.FastestRisePerSecond}/s against {exact.FastestRisePerSecond}/s");
            Assert.True(Math.Abs(exact.LargestRatePerSecond - counted.LargestRatePerSecond) <= allowed, $"tick {tick}: largest");
            worstError = Math.Max(worstError, errorPerSecond * exact.WindowMs / 1000f);
        }
        Assert.True(known > 2000, $"a rate was known on {known} ticks only");
        Assert.True(worstError > 0f, "the counted samples never differed: the test did not reach the rounding");
    }

    /// <summary>
    /// A jump of more than 127 counts in one sample is kept as steps of 127: until the window has passed it, the value
    /// a window ago lags the jump, so a rise across a jump up looks larger than the exact one (never smaller), and the
    /// kept history catches up with the signal.
    /// </summary>
    [Fact]
    public void A_jump_beyond_a_byte_of_steps_makes_a_rise_look_larger_never_smaller()
    {
        const int window = 20;
        var counted = new RateTracker(window, 1, 0.01f);
        var exact = new RateTracker(window);
        float t = 25f;
        for (int tick = 0; tick < 200; tick++)
        {
            if (tick == 30) t += 5f;   // 500 counts in one sample
            if (tick == 90) t += 40f;  // and 4,000
            t += 0.01f;
            counted.Add(t, tick * 100L);
            exact.Add(t, tick * 100L);
            if (!exact.HasRate) continue;
            Assert.True(counted.Rise >= exact.Rise - 0.0051f, $"tick {tick}: {counted.Rise} against {exact.Rise}");
            if (tick == 33 + window || tick == 145) Assert.Equal(exact.Rise, counted.Rise, 0.0051f); // caught up
        }
    }

    [Fact]
    public void Counted_steps_hold_an_infinity_at_the_edge_of_their_range()
    {
        var r = new RateTracker(1, 1, 0.01f);
        r.Add(20f, 0);
        Assert.True(r.Add(float.PositiveInfinity, 100));
        Assert.Equal(float.PositiveInfinity, r.Rise);
        r.Add(-25.004f, 200); // a new level: the steps from the edge take it to the value no faster than 127 counts a sample
        r.Add(-25.004f, 300);
        Assert.True(r.Rise < 0f);
        var fresh = new RateTracker(1, 1, 0.01f);
        fresh.Add(-25.004f, 600);
        Assert.True(fresh.Add(-25f, 700));
        Assert.Equal(0f, fresh.Rise, 0.0051f);
    }

    /// <summary>
    /// A drop of more than 127 counts is kept as steps of -127: the value a window ago then lags the drop on its way down,
    /// so a rise across it looks lower (more negative) than the exact one, never higher, and the kept history catches up.
    /// </summary>
    [Fact]
    public void A_drop_beyond_a_byte_of_steps_makes_a_rise_look_lower_never_higher()
    {
        const int window = 20;
        var counted = new RateTracker(window, 1, 0.01f);
        var exact = new RateTracker(window);
        float t = 60f;
        for (int tick = 0; tick < 200; tick++)
        {
            if (tick == 30) t -= 5f;   // 500 counts in one sample
            if (tick == 90) t -= 40f;  // and 4,000
            t -= 0.01f;
            counted.Add(t, tick * 100L);
            exact.Add(t, tick * 100L);
            if (!exact.HasRate) continue;
            Assert.True(counted.Rise <= exact.Rise + 0.0051f, $"tick {tick}: {counted.Rise} against {exact.Rise}");
            if (tick == 33 + window || tick == 145) Assert.Equal(exact.Rise, counted.Rise, 0.0051f); // caught up
        }
    }

    [Fact]
    public void Counted_steps_hold_a_negative_infinity_at_the_lower_edge_of_their_range()
    {
        var r = new RateTracker(1, 1, 0.01f);
        r.Add(20f, 0);
        Assert.True(r.Add(float.NegativeInfinity, 100));
        Assert.Equal(float.NegativeInfinity, r.Rise);
        // The kept value moved down from 20 by one step of 127 counts towards the range's lower edge: a window later
        // the value a window ago is 18.73.
        Assert.True(r.Add(-25f, 200));
        Assert.Equal(-25f - 18.73f, r.Rise, 0.0051f);
    }

    [Fact]
    public void A_signal_without_a_rate_leaves_the_fastest_and_largest_to_the_others()
    {
        // The second signal is infinite at both ends of its window (infinity less infinity: no rate); the first rises
        // 1 unit over the 1 s window.
        var r = new RateTracker(10, 2);
        var values = new float[2];
        var status = new[] { SensorStatus.Ok, SensorStatus.Ok };
        for (int tick = 0; tick <= 10; tick++)
        {
            values[0] = 0.1f * tick;
            values[1] = float.PositiveInfinity;
            r.Add(values, status, tick * 100L);
        }
        Assert.Equal(1f, r.FastestRisePerSecond, 0.001f);
        Assert.Equal(1f, r.LargestRatePerSecond, 0.001f);
    }

    [Fact]
    public void A_new_tracker_has_no_rate_before_its_first_sample()
    {
        foreach (var r in new[] { new RateTracker(10), new RateTracker(10, 3), new RateTracker(10, 3, 0.01f) })
        {
            Assert.False(r.HasRate);
            Assert.True(float.IsNaN(r.Rise));
            Assert.True(float.IsNaN(r.RatePerSecond));
        }
    }
}
