using SolidBms.Core.Measurement;
using SolidBms.Drivers.AnalogFrontEnd;
using SolidBms.Drivers.Nau7802;

namespace SolidBms.Tests;

/// <summary>The NAU7802 load-cell driver: ratiometric conversion worked by hand, calibration, faults, recovery.</summary>
public class Nau7802DriverTests
{
    [Fact]
    public void ConversionFromCountsWorkedByHand()
    {
        // 10 kN, 2 mV/V cell at gain 128: 1 kN gives 0.1 x 2 mV/V = 0.2 mV/V; x128 x 2^23 = 214748.4 counts.
        Assert.Equal(1000f, Nau7802LoadCell.NewtonFromCounts(214748, 0, 128, 2.0f, 10000, 1), 1);
        // With a tare of 5000 counts the same force reads 5000 counts higher.
        Assert.Equal(1000f, Nau7802LoadCell.NewtonFromCounts(219748, 5000, 128, 2.0f, 10000, 1), 1);
        // 1 kN on 100 cm2 is 100 kPa.
        Assert.Equal(100f, AnalogPackSensors.KpaFromNewton(1000, 100), 3);
        Assert.Equal(7, Nau7802LoadCell.GainCode(128));
        Assert.Equal(3, Nau7802LoadCell.RateCode(80));
    }

    [Fact]
    public void InitialisesCalibratesOffsetAndReadsForce()
    {
        var (rig, nau, chip) = I2cTestRig.Nau();
        chip.ForceNewton = 1000;
        rig.Run(500, nau.Update);
        Assert.Equal(128, chip.Gain);
        Assert.Equal(80, chip.SamplesPerSecond);
        Assert.Equal(SensorStatus.Ok, nau.Status);
        // The chip's 4000-count offset (18.6 N) is gone after the internal calibration.
        Assert.Equal(1000f, nau.ForceNewton, 0);
        Assert.InRange(nau.LastCounts, 214740, 214756);
    }

    [Fact]
    public void TareAndSpanCalibration()
    {
        var (rig, nau, chip) = I2cTestRig.Nau();
        chip.ZeroOffsetCounts = 12345; // fixture weight and bridge imbalance
        chip.ForceNewton = 0;
        rig.Run(500, nau.Update);
        nau.TareHere();
        Assert.InRange(nau.TareCounts, 12335, 12355);
        chip.ForceNewton = 2000 / 1.02; // a cell 2 % less sensitive than its datasheet
        rig.Run(200, nau.Update);
        Assert.True(nau.SpanHere(2000));
        Assert.Equal(1.02f, nau.SpanFactor, 2);
        chip.ForceNewton = 4000 / 1.02;
        rig.Run(200, nau.Update);
        Assert.Equal(4000f, nau.ForceNewton, 0);
    }

    [Fact]
    public void SaturatedHighIsOverRangeAndSaturatedLowImplausible()
    {
        var (rig, nau, chip) = I2cTestRig.Nau();
        chip.ForceNewton = 50000; // 5x rated: beyond the ADC's range at gain 128 (full scale = 1 / (2 mV/V x 128) x 10 kN = 39 kN)
        rig.Run(500, nau.Update);
        Assert.Equal(SensorStatus.OverRange, nau.Status);
        Assert.InRange(nau.ForceNewton, 39000f, 39100f); // the lower bound the saturated reading gives
        chip.ForceNewton = -50000; // a bridge wired backwards or broken
        rig.Run(200, nau.Update);
        Assert.Equal(SensorStatus.Implausible, nau.Status);
        Assert.True(float.IsNaN(nau.ForceNewton));
    }

    [Fact]
    public void StuckDroppedAndNackedChips()
    {
        var (rig, nau, chip) = I2cTestRig.Nau();
        chip.ForceNewton = 800;
        rig.Run(500, nau.Update);
        chip.Stuck = true;
        rig.Run(700, nau.Update);
        Assert.Equal(SensorStatus.Stale, nau.Status);
        Assert.True(float.IsNaN(nau.ForceNewton));
        chip.Stuck = false;
        rig.Run(300, nau.Update);
        Assert.Equal(SensorStatus.Ok, nau.Status);

        chip.Dropout = true;
        rig.Run(400, nau.Update);
        Assert.Equal(SensorStatus.ReadFailed, nau.Status);
        chip.Dropout = false; // back with registers reset: powered down
        rig.Run(600, nau.Update);
        Assert.Equal(SensorStatus.Ok, nau.Status);
        Assert.Equal(800f, nau.ForceNewton, 0);
        Assert.True(nau.Health.Initialisations >= 2);

        chip.NackProbability = 1;
        rig.Run(100, nau.Update);
        Assert.Equal(SensorStatus.ReadFailed, nau.Status);
        Assert.True(nau.Health.Nacks >= 3);
    }
}
