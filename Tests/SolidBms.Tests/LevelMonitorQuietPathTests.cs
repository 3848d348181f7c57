using System;
using SolidBms.Core.Config;
using SolidBms.Core.Safety;

namespace SolidBms.Tests;

/// <summary>
/// <see cref="LevelMonitor"/> skips its per-level loop while no level is active or qualifying and the value exceeds
/// no threshold. These tests hold it to the rule written out level by level (the model below, no shortcut), over
/// random sequences: values around the thresholds, NaN and infinities, the limit not applicable, disabled,
/// thresholds changed in place (even out of order), profile swaps, clears and resets.
/// </summary>
public class LevelMonitorQuietPathTests
{
    /// <summary>The monitor's rule, every level every call.</summary>
    private sealed class Model
    {
        public readonly long[] Since = { -1, -1, -1, -1 };
        public readonly bool[] Active = new bool[4];
        public int Level;
        public bool Latched;
        public long RaisedAt = -1;

        public void Update(LevelLimit limit, float value, bool applicable, long now)
        {
            if (!limit.Enabled || !applicable)
            {
                for (int l = 1; l <= 3; l++) { Active[l] = false; Since[l] = -1; }
                Level = 0;
                return;
            }
            if (float.IsNaN(value)) return;
            int level = 0;
            for (int l = 1; l <= 3; l++)
            {
                float threshold = limit.Threshold(l);
                if (Active[l])
                {
                    if (limit.Released(value, threshold)) { Active[l] = false; Since[l] = -1; }
                }
                else if (limit.Exceeds(value, threshold))
                {
                    if (Since[l] < 0) Since[l] = now;
                    if (now - Since[l] >= (l == 3 ? limit.TripQualifyMs : limit.QualifyMs)) Active[l] = true;
                }
                else Since[l] = -1;
                if (Active[l]) level = l;
            }
            Level = level;
            if (Active[3] && !Latched) { Latched = true; RaisedAt = now; }
        }

        public bool TryClear()
        {
            if (!Latched) return true;
            if (Active[3]) return false;
            Latched = false;
            return true;
        }

        public void CarryOver()
        {
            if (Latched) Active[3] = true; // as LevelMonitor.CopyStateFrom: a latched trip counts as present
        }

        public void Reset()
        {
            for (int l = 1; l <= 3; l++) { Active[l] = false; Since[l] = -1; }
            Level = 0;
            Latched = false;
            RaisedAt = -1;
        }
    }

    private static LevelLimit Limit(bool above) => new LevelLimit("x", "u", above)
    {
        Enabled = true,
        Warning = above ? 10f : -10f,
        Alarm = above ? 12f : -12f,
        Trip = above ? 14f : -14f,
        QualifyMs = 300,
        TripQualifyMs = 200,
        Hysteresis = 1f,
    };

    private static float Value(Random rng, bool above)
    {
        int pick = rng.Next(40);
        if (pick == 0) return float.NaN;
        if (pick == 1) return above ? float.PositiveInfinity : float.NegativeInfinity;
        if (pick == 2) return above ? float.NegativeInfinity : float.PositiveInfinity;
        float v = 6f + (float)rng.NextDouble() * 11f; // 6..17: below warning to past trip, through every band
        return above ? v : -v;
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    [InlineData(true, 3)]
    [InlineData(false, 4)]
    public void Matches_the_level_by_level_rule_on_random_sequences(bool above, int seed)
    {
        var rng = new Random(seed);
        LevelLimit limit = Limit(above);
        var monitor = new LevelMonitor(limit);
        var model = new Model();
        long now = 0;
        int quietSteps = 0, busySteps = 0;
        for (int step = 0; step < 20_000; step++)
        {
            now += rng.Next(10) == 0 ? rng.Next(0, 400) : 100;
            int action = rng.Next(200);
            if (action == 0)
            {
                // thresholds moved in place, sometimes out of order (the monitor must not rely on the loader's check)
                limit.Warning = (above ? 1 : -1) * (8f + (float)rng.NextDouble() * 8f);
                limit.Alarm = (above ? 1 : -1) * (8f + (float)rng.NextDouble() * 8f);
                limit.Trip = (above ? 1 : -1) * (8f + (float)rng.NextDouble() * 8f);
            }
            else if (action == 1) limit.Enabled = !limit.Enabled;
            else if (action == 2)
            {
                var next = new LevelMonitor(limit); // a profile swap carries the state over
                next.CopyStateFrom(monitor);
                monitor = next;
                model.CarryOver();
            }
            else if (action == 3) Assert.Equal(model.TryClear(), monitor.TryClearTrip());
            else if (action == 4) { monitor.Reset(); model.Reset(); }

            bool applicable = rng.Next(30) != 0;
            float value = Value(rng, above);
            bool wasQuiet = Array.TrueForAll(model.Active, a => !a) && Array.TrueForAll(model.Since, s => s < 0);
            if (wasQuiet) quietSteps++; else busySteps++;
            monitor.Update(value, applicable, now);
            model.Update(limit, value, applicable, now);
            Assert.True(model.Level == monitor.Level, $"step {step}: level {monitor.Level}, rule says {model.Level} (value {value})");
            Assert.Equal(model.Latched, monitor.TripLatched);
            if (model.Latched) Assert.Equal(model.RaisedAt, monitor.TripRaisedAtMs);
            Assert.Equal(!model.Latched || !model.Active[3], monitor.CanClearTrip());
        }
        // Both paths were exercised at length.
        Assert.True(quietSteps > 2000 && busySteps > 2000, $"quiet {quietSteps}, busy {busySteps}");
    }
}
