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
        s.Update(SensorStatus.ReadFailed, qualifyMs, 0);
        s.Update(SensorStatus.Ok, qualifyMs, 0);
        s.Update(SensorStatus.Ok, qualifyMs, 50);
        s.Update(SensorStatus.ReadFailed, qualifyMs, 60);
        Assert.False(s.TripLatched);
        s.Update(SensorStatus.ReadFailed, qualifyMs, 110);
        Assert.True(s.TripLatched);
        Assert.Equal(110, s.TripRaisedAtMs);
    }
}
