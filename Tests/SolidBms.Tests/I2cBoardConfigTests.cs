using System.Linq;
using SolidBms.Core.Config;

namespace SolidBms.Tests;

/// <summary>Board files with I2C chips: the shipped ones load, and mistakes are refused naming the file and line.</summary>
public class I2cBoardConfigTests
{
    [Fact]
    public void ShippedI2cBoardsLoad()
    {
        var bq = I2cTestRig.LoadBoard("bq76952-16s");
        Assert.Equal(SensorSource.Bq76952, bq.CellSource);
        Assert.Equal(SensorSource.Bq76952, bq.ThermistorSource);
        Assert.Equal(SensorSource.Bq76952, bq.CurrentSource);
        Assert.Equal(SensorSource.Nau7802, bq.PressureSource);
        Assert.Equal(0x08, bq.Bq76952.Address);
        Assert.Equal(0x2A, bq.Nau7802.Address);
        Assert.Equal(16, bq.Bq76952.CellInputs.Length);
        Assert.Equal(5, bq.Bq76952.CellThermistors[15]); // 1-based 6 in the file
        Assert.False(bq.UsesAdc);
        Assert.Equal(1, bq.StackCount);

        var dev = I2cTestRig.LoadBoard("devkitc-i2c-3");
        Assert.Equal(SensorSource.Adc, dev.CellSource);
        Assert.Equal(SensorSource.Ina228, dev.CurrentSource);
        Assert.Equal(0x40, dev.Ina228.Address);
        Assert.Equal(2f, dev.Ina228.ShuntMilliOhm);
        Assert.Equal(21, dev.I2c.SdaPin);
        Assert.Equal(22, dev.I2c.SclPin);
    }

    private static ConfigException Refused(string replace, string with, string board = "devkitc-i2c-3")
    {
        string text = Repo.Read($"board/boards/{board}.board");
        Assert.Contains(replace, text);
        return Assert.Throws<ConfigException>(() => BoardConfig.Load(text.Replace(replace, with), board + ".board"));
    }

    [Fact]
    public void DuplicateAddressIsRefusedNamingTheSecondChipsLine()
    {
        string text = Repo.Read("board/boards/devkitc-i2c-3.board").Replace("address = 0x2A", "address = 0x40");
        var e = Assert.Throws<ConfigException>(() => BoardConfig.Load(text, "devkitc-i2c-3.board"));
        Assert.Contains("0x40", e.Message);
        Assert.Contains("[ina228]", e.Message);
        Assert.Equal("nau7802.address", e.Key);
        int lastLine = text.Split('\n').Select((l, i) => (l, i)).Where(x => x.l.StartsWith("address = 0x40")).Last().i + 1;
        Assert.Equal(lastLine, e.Line);
        Assert.StartsWith("devkitc-i2c-3.board:", e.Message);
    }

    [Fact]
    public void MissingPinIsRefused()
    {
        var e = Refused("sdaPin = 21\n", "");
        Assert.Equal("i2c.sdaPin", e.Key);
        Assert.Contains("is missing", e.Message);
    }

    [Fact]
    public void I2cPinSharedWithAnOutputIsRefused()
    {
        var e = Refused("alarmPin = 2", "alarmPin = 22");
        Assert.Contains("i2c.sclPin", e.Message);
        Assert.True(e.Line > 0);
    }

    [Fact]
    public void ZeroShuntOrImpossibleCalibrationIsRefused()
    {
        var e = Refused("shuntMilliOhm = 2", "shuntMilliOhm = 0");
        Assert.Equal("ina228.shuntMilliOhm", e.Key);
        Assert.True(e.Line > 0);
        var e2 = Refused("maxCurrentA = 20", "maxCurrentA = 200"); // 400 mV across 2 mOhm: beyond 163.84 mV
        Assert.Equal("ina228.maxCurrentA", e2.Key);
    }

    [Fact]
    public void BadSourceAndBadAddressAreRefused()
    {
        var e = Refused("source = ina228", "source = shunt");
        Assert.Contains("must be adc or ina228 or bq76952", e.Message);
        var e2 = Refused("address = 0x40", "address = 0x90");
        Assert.Contains("not a 7-bit I2C address", e2.Message);
    }

    [Fact]
    public void CellInputsMustRiseAndThermistorPinsMustExist()
    {
        var e = Refused("cellInputs = 1, 2, 3,", "cellInputs = 1, 3, 2,", "bq76952-16s");
        Assert.Equal("bq76952.cellInputs", e.Key);
        var e2 = Refused("thermistorPins = TS1,", "thermistorPins = TS9,", "bq76952-16s");
        Assert.Contains("not a thermistor pin", e2.Message);
    }

    [Fact]
    public void NauGainMustBeAPowerOfTwo()
    {
        var e = Refused("gain = 128", "gain = 100");
        Assert.Equal("nau7802.gain", e.Key);
    }

    [Fact]
    public void AnalogBoardsAreUnchanged()
    {
        var b = Repo.SimBoard();
        Assert.False(b.UsesI2c);
        Assert.Equal(SensorSource.Adc, b.CellSource);
        Assert.Equal(32, b.CurrentAdcChannel);
    }
}
