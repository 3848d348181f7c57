using SolidBms.Core.Config;
using SolidBms.Core.Hal;
using SolidBms.Core.Measurement;
using SolidBms.Drivers.Esp32Adc;
using SolidBms.Simulator.Hardware;
using SolidBms.Simulator.Physics;
using Xunit;

namespace SolidBms.Tests;

/// <summary>The oversampled reading through IAdcChannel.TryReadSum: one call, all conversions or none.</summary>
public class OversampledAdcTests
{
    private static readonly AdcChannelCalibration Calibration = new() { OffsetMillivolts = 10f, MillivoltsPerCount = 0.5f };

    [Fact]
    public void AveragesTheSumOfItsConversions()
    {
        var channel = new SimAdcChannel(4095, new NoiseRng(1UL), 4);
        channel.Set(2000, 0);
        var adc = new OversampledAdc(channel, Calibration, 4);
        float mv = adc.ReadMillivolts(out SensorStatus st);
        Assert.Equal(SensorStatus.Ok, st);
        Assert.Equal(10f + 0.5f * 2000f, mv);
        Assert.Equal(4, channel.Conversions);
    }

    [Fact]
    public void AConversionOutsideTheRangeOrADropoutFailsTheWholeReading()
    {
        var channel = new SimAdcChannel(4095, new NoiseRng(1UL), 4) { ForcedCounts = 4096 }; // above full scale: no conversion
        var adc = new OversampledAdc(channel, Calibration, 4);
        Assert.True(float.IsNaN(adc.ReadMillivolts(out SensorStatus st)));
        Assert.Equal(SensorStatus.ReadFailed, st);
        channel.ForcedCounts = null;
        channel.Dropout = true;
        Assert.True(float.IsNaN(adc.ReadMillivolts(out st)));
        Assert.Equal(SensorStatus.ReadFailed, st);
        Assert.False(channel.TryReadSum(4, out int sum));
        Assert.Equal(0, sum);
    }
}
