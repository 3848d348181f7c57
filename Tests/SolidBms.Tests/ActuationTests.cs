using SolidBms.Core.Actuation;
using SolidBms.Core.Config;
using SolidBms.Core.Safety;
using SolidBms.Simulator.Hardware;

namespace SolidBms.Tests;

/// <summary>Contactor sequencing and the three-level limit monitor, on synthetic inputs.</summary>
public class ActuationTests
{
    private static (ContactorController c, SimDigitalOutput main, SimDigitalOutput pre) Contactor(bool withPrecharge)
    {
        var main = new SimDigitalOutput();
        var pre = new SimDigitalOutput();
        return (new ContactorController(main, withPrecharge ? pre : null, prechargeTimeoutMs: 3000, prechargeFixedMs: 500, matchPercent: 95, weldCheckMs: 500), main, pre);
    }

    [Fact]
    public void PrechargeClosesMainOnlyWhenTheLinkMatchesThePack()
    {
        var (c, main, pre) = Contactor(true);
        c.Update(true, 60000, 0, true, 0, 0.05f, 0);
        Assert.Equal(ContactorState.Precharge, c.State);
        Assert.True(pre.State);
        Assert.False(main.State);
        c.Update(true, 60000, 50000, true, 0, 0.05f, 300); // 83 %: not yet
        Assert.False(main.State);
        c.Update(true, 60000, 57500, true, 0, 0.05f, 400); // 95.8 %
        Assert.Equal(ContactorState.Closed, c.State);
        Assert.True(main.State);
        Assert.False(pre.State);
    }

    [Fact]
    public void PrechargeThatNeverMatchesFailsAtTheTimeoutAndLatches()
    {
        var (c, main, pre) = Contactor(true);
        c.Update(true, 60000, 0, true, 0, 0.05f, 0);
        c.Update(true, 60000, 1000, true, 0, 0.05f, 2900);
        Assert.Equal(ContactorState.Precharge, c.State);
        c.Update(true, 60000, 1000, true, 0, 0.05f, 3000);
        Assert.Equal(ContactorState.Failed, c.State);
        Assert.True(c.PrechargeFailed);
        Assert.False(pre.State || main.State);
        c.Update(true, 60000, 60000, true, 0, 0.05f, 5000);
        Assert.Equal(ContactorState.Failed, c.State); // latched: no retry without a clear
        Assert.True(c.TryClear(0, 0.05f));
        Assert.Equal(ContactorState.Open, c.State);
    }

    [Fact]
    public void CurrentAfterOpeningMeansWeldedAndClearsOnlyWhenCurrentStops()
    {
        var (c, main, _) = Contactor(false);
        c.Update(true, 60000, float.NaN, false, 0, 0.05f, 0);
        Assert.True(main.State);
        c.ForceOpen(1000);
        Assert.False(main.State);
        Assert.Equal(ContactorState.Opening, c.State);
        c.Update(false, 60000, float.NaN, false, 1.0f, 0.05f, 1400);
        Assert.Equal(ContactorState.Opening, c.State);
        c.Update(false, 60000, float.NaN, false, 1.0f, 0.05f, 1500);
        Assert.True(c.WeldDetected);
        Assert.False(c.TryClear(1.0f, 0.05f));
        Assert.True(c.TryClear(0.0f, 0.05f));
    }

    [Fact]
    public void LevelMonitorQualifiesRaisesReleasesWithHysteresisAndLatchesTrips()
    {
        var limit = new LevelLimit("x", "mV", true) { Enabled = true, Warning = 100, Alarm = 200, Trip = 300, QualifyMs = 1000, TripQualifyMs = 500, Hysteresis = 10 };
        var m = new LevelMonitor(limit);
        m.Update(150, true, 0);
        Assert.Equal(LevelMonitor.None, m.Level);
        m.Update(150, true, 999);
        Assert.Equal(LevelMonitor.None, m.Level);
        m.Update(150, true, 1000);
        Assert.Equal(LevelMonitor.Warning, m.Level);
        m.Update(95, true, 1100); // inside the hysteresis band: stays raised
        Assert.Equal(LevelMonitor.Warning, m.Level);
        m.Update(89, true, 1200);
        Assert.Equal(LevelMonitor.None, m.Level);
        m.Update(350, true, 2000);
        m.Update(350, true, 2400);
        Assert.False(m.TripLatched);
        m.Update(350, true, 2500);
        Assert.True(m.TripLatched);
        Assert.False(m.TryClearTrip()); // condition still present
        m.Update(295, true, 2600);      // within hysteresis of 300
        Assert.False(m.TryClearTrip());
        m.Update(50, true, 2700);
        Assert.True(m.TripLatched);     // gone, but a trip waits for the authorised clear
        Assert.True(m.TryClearTrip());
        Assert.False(m.TripLatched);
    }

    [Fact]
    public void UnknownValueNeitherRaisesNorReleasesALevel()
    {
        var limit = new LevelLimit("x", "mV", false) { Enabled = true, Warning = 100, Alarm = 50, Trip = 10, QualifyMs = 0, TripQualifyMs = 0, Hysteresis = 5 };
        var m = new LevelMonitor(limit);
        m.Update(40, true, 0);
        Assert.Equal(LevelMonitor.Alarm, m.Level);
        m.Update(float.NaN, true, 100);
        Assert.Equal(LevelMonitor.Alarm, m.Level);
    }
}
