using System;
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
    [Fact]
    public void ABankReadsEachChannelWithItsCalibrationAndFailsOnlyTheChannelThatFailed()
    {
        var channels = new SimAdcChannel[3];
        for (int i = 0; i < 3; i++) channels[i] = new SimAdcChannel(4095, new NoiseRng(1UL), 4);
        channels[0].Set(1000, 0);
        channels[1].Dropout = true;
        channels[2].Set(4094, 0); // within 0.5 % of full scale: the top rail
        var calibrations = new[] { Calibration, Calibration, new AdcChannelCalibration { OffsetMillivolts = 0f, MillivoltsPerCount = 0.757f } };
        var bank = new OversampledAdc(channels, calibrations, 4);
        var mv = new float[3];
        var st = new SensorStatus[3];
        bank.Read(mv, st);
        Assert.Equal(new[] { SensorStatus.Ok, SensorStatus.ReadFailed, SensorStatus.Open }, st);
        Assert.Equal(10f + 0.5f * 1000f, mv[0]);
        Assert.True(float.IsNaN(mv[1]));
        Assert.Equal(0.757f * 4094f, mv[2]);
        Assert.Equal(4, channels[2].Conversions); // the channel after the failed one is still read
        Assert.Throws<InvalidOperationException>(() => bank.ReadMillivolts(out _)); // a bank is read whole
    }
    [Fact]
    public void ABankOfChannelsWithDifferentRangesIsRefused()
    {
        var channels = new IAdcChannel[] { new SimAdcChannel(4095, new NoiseRng(1UL), 4), new SimAdcChannel(1023, new NoiseRng(2UL), 4) };
        Assert.Throws<ArgumentException>(() => new OversampledAdc(channels, new[] { Calibration, Calibration }, 4));
    }
}
