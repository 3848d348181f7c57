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
}
