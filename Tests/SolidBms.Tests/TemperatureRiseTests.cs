using System;
using SolidBms.Core.Measurement;
using SolidBms.Core.Safety;

namespace SolidBms.Tests;

/// <summary>
/// The supervisor's fastest cell temperature rise compares the cells' rises and divides once. Held here to the rate of
/// every cell worked out one by one (a tracker per cell, each rate divided out), over random temperatures with invalid
/// readings that restart a cell's window, a hot cell that comes and goes, and irregular tick lengths: it checks which
/// cell is chosen. (Every tracker takes a sample at every evaluation, so their windows span the same time and the
/// supervisor's branch for windows of different lengths is not reached here.)
/// </summary>
public class TemperatureRiseTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Fastest_rise_equals_the_largest_of_the_per_cell_rates(int seed)
    {
        const int cells = 8, tickMs = 100;
        var profile = Repo.AssbProfile();
        var supervisor = new SafetySupervisor(profile, cells, 1, tickMs);
        int window = Math.Max(1, profile.TemperatureRateWindowMs / tickMs);
        var reference = new RateTracker[cells];
        for (int c = 0; c < cells; c++) reference[c] = new RateTracker(window, 1, SafetySupervisor.TemperatureRateUnitC);
        var m = new PackMeasurement(cells, 1);
        var rng = new Random(seed);
        var temperature = new float[cells];
        for (int c = 0; c < cells; c++) temperature[c] = 25f + (float)rng.NextDouble();
        long now = 0;
        int known = 0;
        for (int tick = 0; tick < 6000; tick++)
        {
            now += rng.Next(20) == 0 ? rng.Next(50, 400) : tickMs;
            m.Invalidate();
            m.TimestampMs = now;
            for (int c = 0; c < cells; c++)
            {
                // drift, noise, and now and then one cell heating fast
                temperature[c] += (float)(rng.NextDouble() - 0.5) * 0.05f + (tick / 700 % cells == c ? 0.02f : 0f);
                bool bad = rng.Next(400) == 0;
                m.CellTemperatureC[c] = bad ? float.NaN : temperature[c];
                m.CellTemperatureStatus[c] = bad ? SensorStatus.Open : SensorStatus.Ok;
                m.CellMillivolts[c] = 3700f;
                m.CellVoltageStatus[c] = SensorStatus.Ok;
            }
            m.PackCurrentA = 0f;
            m.PackCurrentStatus = SensorStatus.Ok;
            m.StackPressureKpa[0] = 1000f;
            m.StackPressureStatus[0] = SensorStatus.Ok;
            supervisor.Evaluate(m, now, 0f, float.NaN);

            float expected = float.NaN;
            for (int c = 0; c < cells; c++)
            {
                reference[c].Add(m.CellTemperatureStatus[c] == SensorStatus.Ok ? m.CellTemperatureC[c] : float.NaN, now);
                float r = reference[c].RatePerSecond * 60f;
                if (!float.IsNaN(r) && (float.IsNaN(expected) || r > expected)) expected = r;
            }
            if (!float.IsNaN(expected)) known++;
            Assert.True(expected.Equals(supervisor.TemperatureRiseCPerMin), $"tick {tick}: {supervisor.TemperatureRiseCPerMin} C/min, per-cell rates say {expected}");
        }
        Assert.True(known > 4000, $"a rate was known on {known} ticks only");
    }
}
