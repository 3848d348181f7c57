using SolidBms.Core.Config;
using SolidBms.Core.Measurement;
using SolidBms.Core.Safety;

namespace SolidBms.Tests;

/// <summary>
/// Issue 24: the last survivors of the `safety` group that some input can tell apart (the ones no input can are marked
/// in the firmware and listed in docs/safety.md): a latched monitor's packed state on the not-applicable path, a good
/// reading in the same millisecond as a bad one, and classes raised alone in a tick.
/// </summary>
public class MutantKillerEdgeTests
{
    private static LevelLimit Above() => new("x", "mV", true)
    {
        Enabled = true, Warning = 100, Alarm = 200, Trip = 300, QualifyMs = 0, TripQualifyMs = 0, Hysteresis = 10,
    };

    [Fact]
    public void ALatchedMonitorThatDoesNotApplyStillReportsItsLatch()
    {
        // The packed state is what makes the supervisor summarise: a latch reported as 0 while its class does not apply
        // (a charge-temperature trip once charging stops) would drop the trip from the summary when nothing else is raised.
        var mon = new LevelMonitor(Above());
        Assert.Equal(LevelMonitor.Trip + 4, mon.Update(350, true, 0));
        Assert.Equal(4, mon.Update(350, false, 100)); // not applicable: no level, the latch stays
        Assert.Equal(4, mon.Update(50, true, 200));   // back, released, quiet: still latched
        Assert.True(mon.TryClearTrip());
        Assert.Equal(0, mon.Update(50, false, 300));
    }

    [Fact]
    public void AChargeTemperatureTripLatchedWhileChargingStaysInTheSummaryAtRest()
    {
        var p = Repo.AssbProfile();
        var s = new SafetySupervisor(p, 4, 1, 100);
        int c = MutantKillerSafetyTests.Class(s, "chargeUnderTemperature");
        var m = MutantKillerSafetyTests.Healthy(4);
        // Colder than the charge trip, warmer than every discharge level: only the charge class sees it, and only while charging.
        float celsius = p.ChargeUnderTemperature.Trip - 1;
        Assert.True(celsius > p.DischargeUnderTemperature.Warning);
        for (int i = 0; i < 4; i++) m.CellTemperatureC[i] = celsius;
        m.PackCurrentA = -(p.IdleCurrentA + 1);
        long t = 0;
        for (; t <= 60000 && !s.ClassTripLatched(c); t += 100) s.Evaluate(m, t, 0, 0);
        Assert.True(s.ClassTripLatched(c));
        m.PackCurrentA = 0; // at rest: the class no longer applies, and no other class has a level
        s.Evaluate(m, t, 0, 0);
        Assert.True(s.AnyTripLatched);
        Assert.Equal(LevelMonitor.Trip, (int)((s.ClassLevels >> (2 * c)) & 3));
        Assert.False(s.ChargeAllowed);
        Assert.False(s.DischargeAllowed);
    }

    [Fact]
    public void AGoodReadingInTheMillisecondOfABadOneStartsItsGoodRunThere()
    {
        // Bad and then good at 0 ms: the good run starts at 0, so 50 ms of good readings (the qualification) forget the
        // bad one, and a bad reading at 60 ms starts a fresh bad time (no trip before 110 ms).
        const int qualifyMs = 50;
        var s = new SensorFaultMonitor("sensorCurrent");
        var readings = new[] { (SensorStatus.ReadFailed, 0L), (SensorStatus.Ok, 0L), (SensorStatus.Ok, 50L), (SensorStatus.ReadFailed, 60L) };
        foreach (var (status, t) in readings) s.Update(status, qualifyMs, t);
        Assert.False(s.TripLatched);
        s.Update(SensorStatus.ReadFailed, qualifyMs, 110);
        Assert.Equal(110, s.TripRaisedAtMs); // latched then, not before
    }

    [Fact]
    public void CopyingStateFromAnotherClassKeepsItsOwnNames()
    {
        // The supervisor copies each monitor onto the same class, names included; a monitor of another class keeps its own.
        var x = new LevelMonitor(Above());
        Assert.Equal("x:trip", x.TripName); // made and kept
        var y = new LevelMonitor(new LevelLimit("y", "mV", true) { Enabled = true, Warning = 1, Alarm = 2, Trip = 3 });
        y.CopyStateFrom(x);
        Assert.Equal("y:trip", y.TripName);
        Assert.Equal("y:warning", y.WarningName);
    }

    [Theory]
    [InlineData(SafetySupervisor.SensorCellVoltage)]
    [InlineData(SafetySupervisor.SensorTemperature)]
    [InlineData(SafetySupervisor.SensorPressure)]
    public void TheScannedSensorMonitorsGetTheFirstBadChannelsOwnStatus(int sensor)
    {
        // Channel 0 bad (open) and channel 1 bad (read failed): the first one, with its status, not Ok.
        var s = new SafetySupervisor(Repo.AssbProfile(), 4, 2, 100);
        var m = MutantKillerSafetyTests.Healthy(4, 2);
        SensorStatus[] status = sensor == SafetySupervisor.SensorCellVoltage ? m.CellVoltageStatus
            : sensor == SafetySupervisor.SensorTemperature ? m.CellTemperatureStatus : m.StackPressureStatus;
        status[0] = SensorStatus.Open;
        status[1] = SensorStatus.ReadFailed;
        s.Evaluate(m, 0, 0, 0);
        var mon = s.SensorMonitors[sensor];
        Assert.True(mon.Bad);
        Assert.Equal(0, mon.BadChannel);
        Assert.Equal(SensorStatus.Open, mon.BadStatus);
    }

    [Fact]
    public void EachCurrentMonitorSeesZeroInTheOtherDirection()
    {
        // The over-current and above-limit monitors are fed magnitudes in their own direction, clamped at 0 A.
        var s = new SafetySupervisor(Repo.AssbProfile(), 4, 1, 100);
        var m = MutantKillerSafetyTests.Healthy(4);
        LevelMonitor Mon(string name) => s.Monitors[MutantKillerSafetyTests.Class(s, name)];
        m.PackCurrentA = 0.5f; // discharging
        s.Evaluate(m, 0, 0, 0);
        Assert.Equal(0f, Mon("chargeOverCurrent").LastValue);
        Assert.Equal(0.5f, Mon("dischargeOverCurrent").LastValue);
        Assert.Equal(0f, Mon("chargeAboveLimit").LastValue);
        m.PackCurrentA = -0.5f; // charging, within the 0.9 A limit
        s.Evaluate(m, 100, 0, 0);
        Assert.Equal(0.5f, Mon("chargeOverCurrent").LastValue);
        Assert.Equal(0f, Mon("dischargeOverCurrent").LastValue);
        Assert.Equal(0f, Mon("chargeAboveLimit").LastValue);
    }

    [Fact]
    public void AChargerToldMoreThanTheSupervisorsOwnLimitIsHeldToTheOwnOne()
    {
        // Told 5 A, the supervisor's own limit 0.9 A, charging at 1.15 A: 0.25 A above the lower one (trip 0.2 A).
        var s = new SafetySupervisor(Repo.AssbProfile(), 4, 1, 100);
        var m = MutantKillerSafetyTests.Healthy(4);
        m.PackCurrentA = -1.15f;
        s.SetReportedChargeLimit(5f);
        for (long t = 0; t <= 6000; t += 100) s.Evaluate(m, t, 0, float.NaN); // the trip qualifies in 5 s
        Assert.True(s.ClassTripLatched(MutantKillerSafetyTests.Class(s, "chargeAboveLimit")));
    }

    public static TheoryData<string> EveryLimitButTheShortCircuit()
    {
        var d = new TheoryData<string>();
        foreach (var l in Repo.AssbProfile().All()) if (l.Name != "shortCircuit") d.Add(l.Name);
        return d;
    }

    [Theory]
    [MemberData(nameof(EveryLimitButTheShortCircuit))]
    public void ALatchedClassAloneAndAShortCircuitInTheSameTickAreBothSeen(string name)
    {
        // Every other limit disabled, so that the class and the short circuit are the only two monitors with a state in
        // that tick, the same one (trip, latched): summed as a toggle they would cancel and the summary would be skipped.
        var p = Repo.AssbProfile();
        foreach (var l in p.All()) l.Enabled = l.Name == name || l.Name == "shortCircuit";
        var s = new SafetySupervisor(p, 4, 1, 100);
        int c = MutantKillerSafetyTests.Class(s, name);
        PackMeasurement m = null!;
        float late = 0, r0 = 0;
        void Violate(long t)
        {
            switch (name)
            {
                case "cellOverVoltage":
                    m = MutantKillerSafetyTests.Healthy(4); m.CellMillivolts[0] = p.CellOverVoltage.Trip + 1; break;
                case "chargeAboveLimit": // well past the supervisor's own charge limit
                    m = MutantKillerSafetyTests.Healthy(4); m.PackCurrentA = -3f; break;
                case "stackPressureRate": // 10 kPa/s (trip 2 kPa/s)
                    m = MutantKillerSafetyTests.Healthy(4); m.StackPressureKpa[0] = 1000 + t * 0.01f; break;
                case "temperatureRiseRate": // 60 C/min (trip 10 C/min)
                    m = MutantKillerSafetyTests.Healthy(4);
                    for (int i = 0; i < 4; i++) m.CellTemperatureC[i] = 25 + t / 1000f;
                    break;
                default: (m, late, r0) = MutantKillerClassTests.Violating(p, name); break;
            }
        }
        long t = 0;
        for (; t <= 70000 && !s.ClassTripLatched(c); t += 100) { Violate(t); s.Evaluate(m, t, late, r0); }
        Assert.True(s.ClassTripLatched(c));
        t -= 100;
        Assert.Equal(LevelMonitor.Trip + 4, s.Monitors[c].PackedState);
        Violate(t);
        m.PackCurrentA = m.PackCurrentA < 0 ? -11 : 11; // past the 10 A short-circuit trip, same direction
        s.Evaluate(m, t, late, r0);
        Assert.Equal(LevelMonitor.Trip + 4, s.Monitors[c].PackedState);
        Assert.True(s.ClassTripLatched(MutantKillerSafetyTests.Class(s, "shortCircuit")));
        Assert.True(s.AnyTripLatched);
        Assert.False(s.ChargeAllowed);
        Assert.False(s.DischargeAllowed);
    }

    [Fact]
    public void ACountedTrackerClimbsTowardAJumpBeyondItsCountRange()
    {
        // One count a unit, a window of one tick: a jump from -1.5e9 to +1.5e9 counts is beyond the count range (1e9 either
        // way). The kept samples climb toward the new value 127 counts a tick, so the rise over the window shrinks; a count
        // left unclamped on the way up overflows the step and walks them the other way.
        var r = new RateTracker(1, 1, 1f);
        r.Add(-1.5e9f, 0);
        float early = float.NaN;
        for (long t = 100; t <= 2000; t += 100)
        {
            r.Add(1.5e9f, t);
            if (t == 200) early = r.Rise;
        }
        Assert.True(r.Rise < early - 1000f, $"rise {r.Rise} after 20 ticks, {early} after 2");
    }

    [Fact]
    public void AClearOfASensorTripSaysWhetherItCleared()
    {
        var s = new SensorFaultMonitor("sensorPressure");
        s.Update(SensorStatus.Open, 0, 0); // no qualification: latched at once
        Assert.True(s.TripLatched);
        Assert.False(s.TryClearTrip()); // still bad
        Assert.True(s.TripLatched);
        s.Update(SensorStatus.Ok, 0, 100);
        Assert.True(s.TryClearTrip());
        Assert.False(s.TripLatched);
    }

    [Fact]
    public void AFaultedCurrentsNumberIsNotUsed()
    {
        // A reading whose status is not Ok is unknown whatever number it carries: the current monitors hold (NaN), so a
        // stale 100 A neither trips discharge over-current nor counts as charging; the sensor class handles the outage.
        var s = new SafetySupervisor(Repo.AssbProfile(), 4, 1, 100);
        var m = MutantKillerSafetyTests.Healthy(4);
        m.PackCurrentStatus = SensorStatus.ReadFailed;
        LevelMonitor Mon(string name) => s.Monitors[MutantKillerSafetyTests.Class(s, name)];
        foreach (float amps in new[] { 100f, -100f })
        {
            m.PackCurrentA = amps;
            s.Evaluate(m, 0, 0, 0);
            Assert.True(float.IsNaN(Mon("dischargeOverCurrent").LastValue));
            Assert.True(float.IsNaN(Mon("chargeOverCurrent").LastValue));
            Assert.True(float.IsNaN(Mon("chargeAboveLimit").LastValue));
        }
    }
}
