using System;
using SolidBms.Core.Measurement;
using SolidBms.Drivers.Ntc;
using Xunit;
using Xunit.Abstractions;

namespace SolidBms.Tests;

/// <summary>
/// The thermistors' conversion by the start-up table (NtcThermistor.Convert, every tick) against the datasheet
/// conversion it is built from (NtcThermistor.TemperatureC: the divider, the resistance checks, the datasheet rows in
/// ln R), over every pin voltage from below 0 to above the supply.
/// </summary>
public class NtcThermistorTests
{
    private readonly ITestOutputHelper _out;

    public NtcThermistorTests(ITestOutputHelper output) => _out = output;

    [Theory]
    [InlineData(10000f, 3300f, 0.012)] // sim-analog-16 and the DevKitC rig
    [InlineData(10000f, 5000f, 0.012)]
    [InlineData(4700f, 3300f, 0.05)] // a smaller pull-up crowds the cold end into fewer millivolts
    public void TableFollowsTheDatasheetConversionOverTheWholeRange(float pullupOhm, float supplyMillivolts, double workingBoundC)
    {
        var ntc = new NtcThermistor(NtcParts.Ncp15xh103(), pullupOhm, supplyMillivolts);
        // A pin every 0.005 mV from 10 mV below 0 to 10 mV above the supply, converted as one bank.
        int n = (int)((supplyMillivolts + 20f) / 0.005f);
        var pins = new float[n];
        for (int i = 0; i < n; i++) pins[i] = -10f + i * 0.005f;
        var pinStatus = new SensorStatus[n]; // all Ok: the conversion decides
        var table = new float[n];
        var status = new SensorStatus[n];
        ntc.Convert(pins, pinStatus, table, status);

        double worstWorking = 0, worstHot = 0, worstWorkingAtC = 0;
        int converted = 0;
        for (int i = 0; i < n; i++)
        {
            float exact = ntc.TemperatureC(pins[i], out SensorStatus exactStatus);
            Assert.True(exactStatus == status[i], $"pin {pins[i]} mV: {status[i]}, the datasheet conversion says {exactStatus}");
            if (exactStatus != SensorStatus.Ok)
            {
                Assert.True(float.IsNaN(table[i]), $"pin {pins[i]} mV: {table[i]} with {status[i]}");
                continue;
            }
            converted++;
            double error = Math.Abs(table[i] - exact);
            if (exact <= 100f && error > worstWorking) { worstWorking = error; worstWorkingAtC = exact; }
            if (exact > 100f) worstHot = Math.Max(worstHot, error);
        }
        _out.WriteLine($"pull-up {pullupOhm} ohm, supply {supplyMillivolts} mV: {converted} pins in the table's range; " +
                       $"largest difference {worstWorking:0.0000} C at {worstWorkingAtC:0.0} C (-40..100 C), {worstHot:0.0000} C above 100 C");
        Assert.True(converted > n / 2, $"only {converted} of {n} pins gave a temperature");
        Assert.True(worstWorking <= workingBoundC, $"{worstWorking} C from the datasheet conversion at {worstWorkingAtC} C");
        Assert.True(worstHot <= 0.05, $"{worstHot} C from the datasheet conversion above 100 C");
    }

    [Fact]
    public void StatusesAtTheEndsAreTheDatasheetConversions()
    {
        var ntc = new NtcThermistor(NtcParts.Ncp15xh103(), 10000f, 3300f);
        var pins = new[] { 0f, 3300f, 3400f, 100f, 3200f, 1650f };
        var expected = new[] { SensorStatus.Short, SensorStatus.Open, SensorStatus.Open, SensorStatus.Implausible, SensorStatus.Implausible, SensorStatus.Ok };
        var t = new float[pins.Length];
        var st = new SensorStatus[pins.Length];
        ntc.Convert(pins, new SensorStatus[pins.Length], t, st);
        Assert.Equal(expected, st);
        Assert.Equal(25f, t[5], 2); // 10 kOhm against 10 kOhm: half the supply, 25 C
    }

    [Fact]
    public void AFailedOrSaturatedReadingKeepsItsStatus()
    {
        var ntc = new NtcThermistor(NtcParts.Ncp15xh103(), 10000f, 3300f);
        var pinStatus = new[] { SensorStatus.ReadFailed, SensorStatus.Open, SensorStatus.Short, SensorStatus.Ok };
        var t = new float[4];
        var st = new SensorStatus[4];
        ntc.Convert(new[] { float.NaN, 3100f, 10f, 1650f }, pinStatus, t, st);
        Assert.Equal(pinStatus, st);
        Assert.True(float.IsNaN(t[0]) && float.IsNaN(t[1]) && float.IsNaN(t[2]));
        Assert.Equal(25f, t[3], 2);
    }
}
