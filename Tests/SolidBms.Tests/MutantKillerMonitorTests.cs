using SolidBms.Core.Config;
using SolidBms.Core.Measurement;
using SolidBms.Core.Safety;

namespace SolidBms.Tests;

/// <summary>
/// Issue 24, item 2: what the level and sensor-fault monitors do that the first Stryker run of the safety group showed
/// no focused test would notice (the monitors were asserted only through the supervisor and the rigs).
/// </summary>
public class MutantKillerMonitorTests
{
    private const int QualifyMs = 500;

    private static LevelLimit Above() => new("x", "mV", true)
    {
        Enabled = true, Warning = 100, Alarm = 200, Trip = 300, QualifyMs = 1000, TripQualifyMs = 500, Hysteresis = 10,
    };

    // ---- SensorFaultMonitor ----

    [Fact]
    public void ASensorMonitorNamesItsTripAndHasNeverRaisedIt()
    {
        var s = new SensorFaultMonitor("sensorCurrent");
        Assert.Equal("sensorCurrent:trip", s.TripName);
        Assert.Equal(-1, s.TripRaisedAtMs);
        Assert.Equal(LevelMonitor.None, s.ClassLevel);
    }

    [Fact]
    public void TheBadChannelAndItsStatusFromTheScanAreReported()
    {
        // Which channel is the first bad one is the scan's (PackMeasurementTests); the monitor reports what it was told.
        var s = new SensorFaultMonitor("sensorTemperature");
        s.UpdateScanned(0, SensorStatus.ReadFailed, QualifyMs, 0);
        Assert.True(s.Bad);
        Assert.Equal(0, s.BadChannel);
        Assert.Equal(SensorStatus.ReadFailed, s.BadStatus);
        s.UpdateScanned(2, SensorStatus.Open, QualifyMs, 100);
        Assert.Equal(2, s.BadChannel);
        Assert.Equal(SensorStatus.Open, s.BadStatus);
        s.UpdateScanned(-1, SensorStatus.Ok, QualifyMs, 200);
        Assert.False(s.Bad);
    }

    [Fact]
    public void GoodReadingsShorterThanTheQualificationForgetNothing()
    {
        // Bad at 10 s, good 10.1..10.4 s (400 ms < 500), bad again at 10.5 s: the bad time runs from 10 s, so it trips
        // at 10.5 s. (Late in the run: a good-since time left unset or wrong would forget at the first good reading.)
        var s = new SensorFaultMonitor("sensorCurrent");
        s.Update(SensorStatus.ReadFailed, QualifyMs, 10000);
        for (long t = 10100; t <= 10400; t += 100) s.Update(SensorStatus.Ok, QualifyMs, t);
        s.Update(SensorStatus.ReadFailed, QualifyMs, 10500);
        Assert.True(s.TripLatched);
        Assert.Equal(10500, s.TripRaisedAtMs);
    }

    [Fact]
    public void AWholeQualificationOfGoodReadingsForgetsTheBadOnes()
    {
        // Bad at 0, good from 100 to exactly 600 (500 ms): forgotten; bad again from 700 qualifies afresh, at 1200.
        var s = new SensorFaultMonitor("sensorCurrent");
        s.Update(SensorStatus.ReadFailed, QualifyMs, 0);
        for (long t = 100; t <= 600; t += 100) s.Update(SensorStatus.Ok, QualifyMs, t);
        s.Update(SensorStatus.ReadFailed, QualifyMs, 700);
        Assert.False(s.TripLatched);
        s.Update(SensorStatus.ReadFailed, QualifyMs, 1100);
        Assert.False(s.TripLatched);
        s.Update(SensorStatus.ReadFailed, QualifyMs, 1200);
        Assert.True(s.TripLatched);
        Assert.Equal(1200, s.TripRaisedAtMs);
    }

    [Fact]
    public void AClearOfABadSensorSucceedsOnlyWhileNothingIsLatched()
    {
        var s = new SensorFaultMonitor("sensorCurrent");
        s.Update(SensorStatus.ReadFailed, QualifyMs, 0);
        Assert.True(s.Bad);
        Assert.True(s.TryClearTrip()); // bad but not yet qualified: nothing to clear
        Assert.False(s.TripLatched);
        s.Update(SensorStatus.ReadFailed, QualifyMs, 500);
        Assert.True(s.TripLatched);
        Assert.False(s.TryClearTrip()); // still bad: the latch stays
        Assert.True(s.TripLatched);
    }

    // ---- LevelMonitor ----

    [Fact]
    public void ALevelMonitorNamesItsThreeLevels()
    {
        var m = new LevelMonitor(Above());
        Assert.Equal("x:trip", m.TripName);
        Assert.Equal("x:alarm", m.AlarmName);
        Assert.Equal("x:warning", m.WarningName);
        Assert.Equal(-1, m.TripRaisedAtMs);
    }

    [Fact]
    public void TheTripQualifiesFromItsFirstExcursionNotFromTimeZero()
    {
        var m = new LevelMonitor(Above());
        m.Update(350, true, 10000);
        Assert.False(m.TripLatched); // every timer starts unset: the 500 ms run from 10 s
        m.Update(350, true, 10400);
        Assert.False(m.TripLatched);
        m.Update(350, true, 10500);
        Assert.True(m.TripLatched);
        Assert.Equal(10500, m.TripRaisedAtMs);
    }

    [Fact]
    public void AnExcursionStartingAtTimeZeroThatEndsLeavesNoTimerRunning()
    {
        // Over the trip at 0 and 100, back to normal at 200, over again from 1000: qualifies at 1500, not at once.
        var m = new LevelMonitor(Above());
        m.Update(350, true, 0);
        m.Update(350, true, 100);
        m.Update(50, true, 200);
        m.Update(50, true, 300);
        m.Update(350, true, 1000);
        Assert.False(m.TripLatched);
        m.Update(350, true, 1400);
        Assert.False(m.TripLatched);
        m.Update(350, true, 1500);
        Assert.True(m.TripLatched);
    }

    [Fact]
    public void ALatchedTripReportsTripWhateverTheLevelNow()
    {
        var m = new LevelMonitor(Above());
        m.Update(350, true, 0);
        m.Update(350, true, 500);
        Assert.True(m.TripLatched);
        m.Update(50, true, 600); // released below every threshold
        Assert.Equal(LevelMonitor.None, m.Level);
        Assert.Equal(LevelMonitor.Trip, m.ClassLevel);
        Assert.Equal(50f, m.LastValue);
    }

    [Fact]
    public void AProfileSwapCarriesTheLastValue()
    {
        var before = new LevelMonitor(Above());
        before.Update(150, true, 0);
        var after = new LevelMonitor(Above());
        after.CopyStateFrom(before);
        Assert.Equal(150f, after.LastValue);
    }

    [Fact]
    public void AQualificationStartedAtTimeZeroSurvivesAProfileSwap()
    {
        // The timer started at 0 is carried: the new monitor must not take itself for quiet and drop it.
        var before = new LevelMonitor(Above());
        before.Update(350, true, 0);
        var after = new LevelMonitor(Above());
        after.CopyStateFrom(before);
        after.Update(50, true, 100);  // back below: the timer resets (not kept from 0)
        after.Update(350, true, 1000);
        Assert.False(after.TripLatched);
        after.Update(350, true, 1500);
        Assert.True(after.TripLatched);
    }
}
