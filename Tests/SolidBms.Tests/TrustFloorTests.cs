using System;
using SolidBms.Core.Estimation;
using SolidBms.Core.Measurement;

namespace SolidBms.Tests;

/// <summary>The Kalman update's trust floor and step doubt (CellEkf.Correct), and the start from a voltage under load.</summary>
public sealed class TrustFloorTests
{
    private static CellEkf Filter(float soc, float socSigma)
    {
        var f = new CellEkf();
        f.Reset(soc, socSigma, 1f);
        return f;
    }

    [Fact]
    public void An_innovation_inside_the_bias_band_moves_nothing_and_one_beyond_it_moves_by_the_excess_only()
    {
        const float slope = 500f, noise = 4f, band = 6f;
        var inside = Filter(0.5f, 0.05f);
        Assert.False(inside.Correct(3705f, 3700f, slope, 20f, 0f, noise, 0f, band));
        Assert.Equal(0.5f, inside.Soc);
        Assert.Equal(0.05f * 0.05f, inside.SocVariance, 1e-9f);
        Assert.Equal(5f, inside.LastInnovationMillivolts, 1e-3f);

        // 16 mV beyond a 6 mV band is the same update as 10 mV without one, on either side.
        var banded = Filter(0.5f, 0.05f);
        var plain = Filter(0.5f, 0.05f);
        Assert.True(banded.Correct(3716f, 3700f, slope, 20f, 0f, noise, 0f, band));
        Assert.True(plain.Correct(3710f, 3700f, slope, 20f, 0f, noise, 0f, 0f));
        Assert.Equal(plain.Soc, banded.Soc, 1e-6f);
        Assert.Equal(plain.SocVariance, banded.SocVariance, 1e-9f);
        var below = Filter(0.5f, 0.05f);
        Assert.True(below.Correct(3684f, 3700f, slope, 20f, 0f, noise, 0f, band));
        Assert.Equal(0.5f - (plain.Soc - 0.5f), below.Soc, 1e-6f);
    }

    [Fact]
    public void At_the_floor_the_voltage_moves_nothing_and_above_it_the_update_stops_at_the_floor()
    {
        const float slope = 500f, noise = 4f;
        // 10 mV above the model: the voltage says the SOC is 0.02 higher.
        var atFloor = Filter(0.5f, 0.01f);
        Assert.False(atFloor.Correct(3710f, 3700f, slope, 20f, 0f, noise, 0.01f * 0.01f));
        Assert.Equal(0.5f, atFloor.Soc);
        Assert.Equal(0.01f * 0.01f, atFloor.SocVariance, 6);

        var above = Filter(0.5f, 0.05f);
        float floor = 0.02f * 0.02f;
        Assert.True(above.Correct(3710f, 3700f, slope, 20f, 0f, noise, floor));
        Assert.True(above.Soc > 0.5f, "the update moved the SOC towards the voltage");
        Assert.True(above.SocVariance >= floor * 0.999f, $"variance {above.SocVariance} below the floor {floor}");
        // Without a floor the same update leaves it far lower: the floor is what held it.
        var free = Filter(0.5f, 0.05f);
        free.Correct(3710f, 3700f, slope, 20f, 0f, noise, 0f);
        Assert.True(free.SocVariance < floor * 0.5f, $"free variance {free.SocVariance}");
    }

    [Fact]
    public void A_large_step_keeps_a_quarter_of_its_square_as_doubt_but_never_more_than_before()
    {
        // A 30-point wrong start (sigma 0.3) corrected in one update: the filter keeps (0.5 step)^2 of doubt.
        var f = Filter(0.5f, 0.3f);
        float before = f.SocVariance;
        Assert.True(f.Correct(3700f + 0.3f * 600f, 3700f, 600f, 20f, 0f, 4f, 0f));
        float step = f.Soc - 0.5f;
        Assert.True(step > 0.25f, $"step {step}");
        Assert.InRange(f.SocVariance, 0.25f * step * step * 0.999f, before);
        // A spike at the 3-sigma gate on a confident filter (S = 600^2 1e-4 + 1 = 37 mV^2, 3 sqrt(S) = 18 mV) moves the
        // SOC by about 2.9 sigma: its step doubt, (1.45 sigma)^2, must not leave the filter less sure than before.
        var g = Filter(0.5f, 0.01f);
        float confident = g.SocVariance;
        Assert.True(g.Correct(3700f + 18f, 3700f, 600f, 20f, 0f, 1f, 0f));
        Assert.True(g.Soc - 0.5f > 0.02f, $"step {g.Soc - 0.5f}");
        Assert.True(g.SocVariance <= confident, $"{g.SocVariance} > {confident}");
    }

    [Fact]
    public void A_start_under_load_adds_the_ohmic_drop_back_and_starts_unsure()
    {
        var model = Repo.AssbCell();
        float r0 = model.R0MilliOhmAt(25f), i = 2f;
        var m = new PackMeasurement(1, 1);
        m.Invalidate();
        m.CellMillivolts[0] = model.OcvMillivoltsAt(0.6f, 25f) - r0 * i; m.CellVoltageStatus[0] = SensorStatus.Ok;
        m.CellTemperatureC[0] = 25f; m.CellTemperatureStatus[0] = SensorStatus.Ok;
        m.StackPressureKpa[0] = 1000f; m.StackPressureStatus[0] = SensorStatus.Ok;
        m.PackCurrentA = i; m.PackCurrentStatus = SensorStatus.Ok;
        var est = new StateEstimator(model, 1);
        est.Update(m, 100);
        Assert.InRange(est.CellSoc(0), 0.595f, 0.605f);
        Assert.Equal(StateEstimator.LoadedStartSigma, est.Filter(0).SocSigma, 3);
        // At rest the same voltage is read as it is, with the rested doubt.
        m.CellMillivolts[0] = model.OcvMillivoltsAt(0.6f, 25f); m.PackCurrentA = 0f;
        var rested = new StateEstimator(model, 1);
        rested.Update(m, 100);
        Assert.InRange(rested.CellSoc(0), 0.595f, 0.605f);
        Assert.Equal(StateEstimator.OcvStartSigma, rested.Filter(0).SocSigma, 3);
    }
}
