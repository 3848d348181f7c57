using SolidBms.Core.Measurement;
using SolidBms.Drivers.Bq76952;

namespace SolidBms.Tests;

/// <summary>
/// Issue 24, item 3: the BQ76952 driver's paths the other driver tests do not take (pin names, a board without
/// thermistor pins, a chip that stops answering a subcommand or the fuse request), each asserted for what it does.
/// </summary>
public class Bq76952PathTests
{
    [Theory]
    [InlineData("CFETOFF", 0x6A)]
    [InlineData("DFETOFF", 0x6C)]
    [InlineData("ALERT", 0x6E)]
    [InlineData("TS1", 0x70)]
    [InlineData("TS2", 0x72)]
    [InlineData("TS3", 0x74)]
    [InlineData("HDQ", 0x76)]
    [InlineData("DCHG", 0x78)]
    [InlineData("DDSG", 0x7A)]
    [InlineData("TS4", 0)]      // the names' lengths, but no such pin
    [InlineData("ts1", 0)]      // names are the datasheet's, in capitals
    [InlineData("DCHX", 0)]
    [InlineData("ALERX", 0)]
    [InlineData("CFETOFX", 0)]
    [InlineData("", 0)]
    [InlineData("VC1", 0)]
    public void EachThermistorPinHasItsDirectCommandAndAnyOtherNameNone(string pin, int command)
    {
        Assert.Equal(command, Bq76952Monitor.PinCommand(pin));
    }

    [Fact]
    public void ABoardWithoutThermistorPinsReadsItsCellsAndNoTemperature()
    {
        var rig = new I2cTestRig { Board = I2cTestRig.LoadBoard("bq76952-16s") };
        var s = rig.Board.Bq76952;
        s.ThermistorPins = null;
        s.CellThermistors = null;
        var chip = new Simulator.Chips.Bq76952Model(s.Address, s.Crc, rig.Clock, new System.Random(1));
        rig.Bus.Attach(chip);
        for (int i = 0; i < 16; i++) chip.InputMillivolts[i] = 3700 + i;
        var bq = new Bq76952Monitor(rig.Link(s.Address, "bq76952"), s, rig.Board.I2c.StaleAfterMs);
        Assert.Empty(bq.PinTemperatureC);
        Assert.Empty(bq.PinStatus);
        rig.Run(200, bq.Update);
        Assert.Equal(SensorStatus.Ok, bq.CellStatus[15]);
        Assert.Equal(3715f, bq.CellMillivolts[15]);
    }

    [Fact]
    public void BalancingTimeIsMinusOneWhenTheChipDoesNotAnswer()
    {
        var (rig, bq, chip) = I2cTestRig.Bq();
        rig.Run(200, bq.Update);
        Assert.Equal(0, bq.ReadBalancingSeconds());
        chip.Dropout = true;
        Assert.Equal(-1, bq.ReadBalancingSeconds());
    }

    [Fact]
    public void TheFuseIsDrivenOnceAndNotBeforeTheChipAnswers()
    {
        var (rig, bq, chip) = I2cTestRig.Bq();
        rig.Run(200, bq.Update);
        chip.Dropout = true;
        Assert.False(bq.DriveFuse()); // Battery Status unread: nothing is asked of the pin
        Assert.False(chip.FuseDriven);
        chip.Dropout = false;
        Assert.True(bq.DriveFuse());
        Assert.True(chip.FuseDriven);
        chip.Dropout = true;
        Assert.True(bq.DriveFuse()); // once driven it is never asked again (a second toggle would release it)
    }
}
