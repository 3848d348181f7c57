using SolidBms.Core.Measurement;
using SolidBms.Drivers.Ina228;

namespace SolidBms.Tests;

/// <summary>The INA228 driver: datasheet calibration numbers, conversion through the model, faults and recovery.</summary>
public class Ina228DriverTests
{
    [Fact]
    public void ShuntCalMatchesTheDatasheetFormulaWorkedByHand()
    {
        // devkitc-i2c-3: 20 A over 2 mOhm. CURRENT_LSB = 20 / 2^19 = 38.147 uA;
        // SHUNT_CAL = 13107.2e6 x 38.147e-6 x 0.002 = 1000.0.
        Assert.Equal(38.147e-6, Ina228Monitor.CurrentLsb(20), 9);
        Assert.Equal(1000, Ina228Monitor.ShuntCalibration(20, 0.002, 0));
        // 3.2768 A over 50 mOhm: LSB 6.25 uA, SHUNT_CAL = 13107.2e6 x 6.25e-6 x 0.05 = 4096.
        Assert.Equal(4096, Ina228Monitor.ShuntCalibration(3.2768, 0.05, 0));
        // ADCRANGE = 1 (+-40.96 mV): 0.8192 A over 50 mOhm, LSB 1.5625 uA, x4 -> 4096.
        Assert.Equal(4096, Ina228Monitor.ShuntCalibration(0.8192, 0.05, 1));
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x00, 0x10 }, 1)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xF0 }, -1)]
    [InlineData(new byte[] { 0x7F, 0xFF, 0xF0 }, 524287)]
    [InlineData(new byte[] { 0x80, 0x00, 0x00 }, -524288)]
    [InlineData(new byte[] { 0x20, 0x00, 0x0F }, 131072)] // the low nibble is reserved and ignored
    public void TwentyBitResultsSitInBits23To4(byte[] raw, int expected)
    {
        Assert.Equal(expected, Ina228Monitor.Signed20(raw, 0));
    }

    [Fact]
    public void FortyBitChargeIsTwosComplement()
    {
        Assert.Equal(-1L, Ina228Monitor.Signed40(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 0));
        Assert.Equal(0x7FFFFFFFFFL, Ina228Monitor.Signed40(new byte[] { 0x7F, 0xFF, 0xFF, 0xFF, 0xFF }, 0));
        Assert.Equal(1_310_720L, Ina228Monitor.Signed40(new byte[] { 0x00, 0x00, 0x14, 0x00, 0x00 }, 0));
    }

    [Fact]
    public void ReadsCurrentAndItsChargeAccumulatorAgreesWithCurrentTimesTime()
    {
        var (rig, ina, chip) = I2cTestRig.Ina();
        chip.CurrentA = 5.0; // 5 A / 38.147 uA = 131072 counts: exactly representable
        rig.Run(200, ina.Update);
        Assert.Equal(SensorStatus.Ok, ina.CurrentStatus);
        Assert.Equal(5.0f, ina.CurrentA, 4);
        Assert.Equal(1000, chip.ShuntCalRegister);
        double before = ina.ChargeCoulomb;
        rig.Run(10000, ina.Update);
        // 10 s at 5 A = 50 C, give or take one conversion period (50.5 ms = 0.25 C) at either end.
        Assert.InRange(ina.ChargeCoulomb - before, 49.5, 50.5);
    }

    [Fact]
    public void NegativeCurrentIsCharge()
    {
        var (rig, ina, chip) = I2cTestRig.Ina();
        chip.CurrentA = -0.9;
        rig.Run(200, ina.Update);
        Assert.Equal(-0.9f, ina.CurrentA, 3);
    }

    [Fact]
    public void AChipThatResetsLosesItsShuntCalAndIsConfiguredAgain()
    {
        var (rig, ina, chip) = I2cTestRig.Ina();
        chip.CurrentA = 2;
        rig.Run(200, ina.Update);
        chip.PowerOnReset(); // brown-out: SHUNT_CAL back to its reset value
        rig.Run(100, ina.Update);
        Assert.Equal(SensorStatus.ReadFailed, ina.CurrentStatus);
        Assert.True(float.IsNaN(ina.CurrentA));
        rig.Run(200, ina.Update);
        Assert.Equal(SensorStatus.Ok, ina.CurrentStatus);
        Assert.Equal(2f, ina.CurrentA, 3);
        Assert.Equal(2, ina.ChargeEpoch);
    }

    [Fact]
    public void StuckChipGoesStaleAndNackedChipReadFailed()
    {
        var (rig, ina, chip) = I2cTestRig.Ina();
        chip.CurrentA = 1;
        rig.Run(200, ina.Update);
        chip.Stuck = true;
        rig.Run(700, ina.Update);
        Assert.Equal(SensorStatus.Stale, ina.CurrentStatus);
        Assert.True(float.IsNaN(ina.CurrentA));
        chip.Stuck = false;
        rig.Run(200, ina.Update);
        Assert.Equal(SensorStatus.Ok, ina.CurrentStatus);
        chip.NackProbability = 1;
        rig.Run(100, ina.Update);
        Assert.Equal(SensorStatus.ReadFailed, ina.CurrentStatus);
        Assert.True(ina.Health.Nacks >= 3);
        Assert.True(ina.Health.RecoveryAttempts >= 1);
        chip.NackProbability = 0;
        rig.Run(300, ina.Update);
        Assert.Equal(1f, ina.CurrentA, 3);
    }

    [Theory]
    [InlineData(30.0, 20f)]   // 60 mV across 2 mOhm: inside the ADC range, CURRENT clips at 2^19 - 1 = the 20 A rating
    [InlineData(-45.0, -20f)]
    public void ClippedCurrentIsOverRangeWithTheSignedLimit(double amps, float limit)
    {
        var (rig, ina, chip) = I2cTestRig.Ina();
        chip.CurrentA = amps;
        rig.Run(200, ina.Update);
        Assert.Equal(SensorStatus.OverRange, ina.CurrentStatus);
        Assert.Equal(limit, ina.CurrentA, 3); // a lower bound on the magnitude, for the short-circuit check
        Assert.True(ina.Health.OutOfRangeValues > 0);
    }

    [Fact]
    public void AuxiliaryBusVoltageAndDieTemperature()
    {
        var (rig, ina, chip) = I2cTestRig.Ina();
        chip.BusMillivolts = 11100; // 11.1 V / 195.3125 uV = 56832 counts
        chip.DieTemperatureC = 31.25; // 4000 x 7.8125 m°C
        rig.Run(200, ina.Update);
        Assert.True(ina.ReadAuxiliary());
        Assert.Equal(11100f, ina.BusMillivolts, 1);
        Assert.Equal(31.25f, ina.DieTemperatureC, 3);
    }
}
