using System;
using System.Linq;
using SolidBms.Core.Measurement;
using SolidBms.Drivers.Ntc;
using Xunit;
using Xunit.Abstractions;

namespace SolidBms.Tests;

/// <summary>
/// The thermistors' conversion as a bank (NtcThermistor.Convert, every tick): the divider, the statuses at the ends and
/// the datasheet rows in ln R, for every pin voltage from below 0 to above the supply; each thermistor's row hint
/// changes only how fast its rows are found, never the number.
/// </summary>
public class NtcThermistorTests
{
    private readonly ITestOutputHelper _out;

    public NtcThermistorTests(ITestOutputHelper output) => _out = output;

    /// <summary>The datasheet conversion written out with the host's logarithm: R from the divider, then linear in ln R between rows.</summary>
    private static double ReferenceC(double pinMv, double pullupOhm, double supplyMv)
    {
        double[] t = { -40, -35, -30, -25, -20, -15, -10, -5, 0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100, 105, 110, 115, 120, 125 };
        var table = NtcParts.Ncp15xh103();
        double lnR = Math.Log(pullupOhm * pinMv / (supplyMv - pinMv));
        for (int i = 0; i + 1 < t.Length; i++)
        {
            double hi = table.LnOhm((float)t[i]), lo = table.LnOhm((float)t[i + 1]);
            if (lnR <= hi && lnR >= lo) return t[i] + (t[i + 1] - t[i]) * (hi - lnR) / (hi - lo);
        }
        return double.NaN;
    }

    [Theory]
    [InlineData(10000f, 3300f)] // sim-analog-16 and the DevKitC rig
    [InlineData(4700f, 5000f)]
    public void ABankFollowsTheDatasheetOverTheWholeRangeWhicheverWayItIsSwept(float pullupOhm, float supplyMillivolts)
    {
        // 16 thermistors, each swept over every pin voltage from 10 mV below 0 to 10 mV above the supply, up and then down,
        // each starting at another place: a thermistor's rows move by one, jump, and leave the table and come back.
        const int thermistors = 16;
        var ntc = new NtcThermistor(NtcParts.Ncp15xh103(), pullupOhm, supplyMillivolts, thermistors);
        var table = NtcParts.Ncp15xh103();
        int steps = (int)((supplyMillivolts + 20f) / 0.5f);
        var pins = new float[thermistors];
        var pinStatus = new SensorStatus[thermistors];
        var c = new float[thermistors];
        var st = new SensorStatus[thermistors];
        double worst = 0;
        int converted = 0;
        for (int step = 0; step < 2 * steps; step++)
        {
            for (int k = 0; k < thermistors; k++)
            {
                int s = (step + k * steps / thermistors) % (2 * steps);
                pins[k] = -10f + 0.5f * (s < steps ? s : 2 * steps - 1 - s);
            }
            ntc.Convert(pins, pinStatus, c, st);
            for (int k = 0; k < thermistors; k++)
            {
                double ohm = pullupOhm * (double)pins[k] / (supplyMillivolts - pins[k]);
                bool atAnEnd = Math.Abs(ohm / 195652 - 1) < 1e-4 || Math.Abs(ohm / 531 - 1) < 1e-4; // the rounding decides there
                SensorStatus expected = pins[k] <= 0 ? SensorStatus.Short : pins[k] >= supplyMillivolts ? SensorStatus.Open
                    : ohm > 195652 || ohm < 531 ? SensorStatus.Implausible : SensorStatus.Ok; // the table's ends, -40 and 125 C
                if (!atAnEnd) Assert.Equal(expected, st[k]);
                if (st[k] != SensorStatus.Ok) { Assert.True(float.IsNaN(c[k])); continue; }
                // The same resistance through the table alone, with no hint: the same number to the bit.
                float alone = table.TemperatureC(pullupOhm * pins[k] / (supplyMillivolts - pins[k]));
                Assert.Equal(BitConverter.SingleToInt32Bits(alone), BitConverter.SingleToInt32Bits(c[k]));
                converted++;
                worst = Math.Max(worst, Math.Abs(c[k] - ReferenceC(pins[k], pullupOhm, supplyMillivolts)));
            }
        }
        _out.WriteLine($"pull-up {pullupOhm} ohm, supply {supplyMillivolts} mV: {converted} conversions, largest difference from the reference {worst:0.000000} C");
        Assert.True(converted > thermistors * steps / 2, $"only {converted} conversions gave a temperature");
        Assert.True(worst < 1e-3, $"{worst} C from the datasheet rows");
    }

    [Fact]
    public void StatusesAtTheEnds()
    {
        var ntc = new NtcThermistor(NtcParts.Ncp15xh103(), 10000f, 3300f, 6);
        var pins = new[] { 0f, 3300f, 3400f, 100f, 3200f, 1650f };
        var t = new float[pins.Length];
        var st = new SensorStatus[pins.Length];
        ntc.Convert(pins, new SensorStatus[pins.Length], t, st);
        Assert.Equal(new[] { SensorStatus.Short, SensorStatus.Open, SensorStatus.Open, SensorStatus.Implausible, SensorStatus.Implausible, SensorStatus.Ok }, st);
        Assert.True(t.Take(5).All(float.IsNaN));
        Assert.Equal(25f, t[5], 3); // 10 kOhm against 10 kOhm: half the supply, 25 C
    }

    [Fact]
    public void AFailedOrSaturatedReadingKeepsItsStatus()
    {
        var ntc = new NtcThermistor(NtcParts.Ncp15xh103(), 10000f, 3300f, 4);
        var pinStatus = new[] { SensorStatus.ReadFailed, SensorStatus.Open, SensorStatus.Short, SensorStatus.Ok };
        var t = new float[4];
        var st = new SensorStatus[4];
        ntc.Convert(new[] { float.NaN, 3100f, 10f, 1650f }, pinStatus, t, st);
        Assert.Equal(pinStatus, st);
        Assert.True(float.IsNaN(t[0]) && float.IsNaN(t[1]) && float.IsNaN(t[2]));
        Assert.Equal(25f, t[3], 3);
    }
}
