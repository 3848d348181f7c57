using SolidBms.Core.Config;
using SolidBms.Core.Loop;
using SolidBms.Core.Safety;
using SolidBms.Simulator.Run;

namespace SolidBms.Tests;

/// <summary>
/// Regressions found in review of the supervisor, contactor and abuse-test logic: each test failed before its fix.
/// </summary>
public class SafetyRegressionTests
{
    private static ScenarioRunner Runner(string json) => new(Repo.Scenario(json), Repo.Files);

    [Fact]
    public void ProfileSwapDoesNotLetAClearThroughWhileTheConditionPersists()
    {
        // Stack pressure lost for good at 10 s: stackPressureLow trips at 12 s and the condition stays.
        var r = Runner("""{ "name": "p", "cells": 4, "segments": [ { "durationS": 60, "rest": true } ], "events": [ { "atS": 10, "kind": "pressure-step", "deltaKpa": -800 } ] }""");
        for (int i = 0; i < 150; i++) r.Step(); // 15 s
        Assert.Equal(BmsState.Safe, r.Controller.State);
        Assert.False(r.Controller.TryClearTrips()); // correct: refused while the condition persists
        // Any accepted SET rebuilds the monitors: re-apply the profile in force
        string text = Repo.Read("board/profiles/assb-sulfide-li-metal.profile");
        Assert.True(r.Controller.TryApplyProfile(text, "same", out _));
        bool cleared = r.Controller.TryClearTrips();
        bool everClosed = false, everPrecharge = false;
        for (int i = 0; i < 15; i++) { r.Step(); everClosed |= r.Rig.MainContactor.State; everPrecharge |= r.Rig.Precharge.State; }
        Assert.True(r.Controller.Measurement.MinPressureKpa() < r.Controller.Supervisor.Profile.StackPressureLow.Trip);
        Assert.False(cleared, $"clear accepted while pressure below trip; precharge={everPrecharge} mainClosed={everClosed}");
    }

    [Fact]
    public void ReleasedLevelQualifiesAfreshBeforeItIsRaisedAgain()
    {
        var limit = new LevelLimit("x", "A", true) { Enabled = true, Warning = 100, Alarm = 200, Trip = 300, QualifyMs = 1000, TripQualifyMs = 500, Hysteresis = 10 };
        var m = new LevelMonitor(limit);
        long t = 0;
        for (; t <= 1000; t += 100) m.Update(150, true, t);   // warning qualifies after 1 s
        Assert.Equal(LevelMonitor.Warning, m.Level);
        m.Update(0, true, t); t += 100;                        // released
        Assert.Equal(LevelMonitor.None, m.Level);
        m.Update(150, true, t);                                // one tick above: must restart qualification
        Assert.Equal(LevelMonitor.None, m.Level);
    }

    [Fact]
    public void SensorFailingEveryOtherReadCannotHideAnOverLimitValue()
    {
        var limit = new LevelLimit("cellOverVoltage", "mV", true) { Enabled = true, Warning = 4220, Alarm = 4250, Trip = 4300, QualifyMs = 1000, TripQualifyMs = 500, Hysteresis = 30 };
        var m = new LevelMonitor(limit);
        var sensor = new SensorFaultMonitor("sensorCellVoltage");
        for (long t = 0; t < 60000; t += 100)
        {
            bool ok = (t / 100) % 2 == 0; // every other read fails (e.g. an I2C NACK) while the cell is at 4400 mV
            sensor.Update(ok ? SolidBms.Core.Measurement.SensorStatus.Ok : SolidBms.Core.Measurement.SensorStatus.ReadFailed, 500, t);
            m.Update(ok ? 4400f : float.NaN, true, t);
        }
        Assert.True(m.TripLatched || sensor.TripLatched, "60 s at 4400 mV (trip 4300) with 50 % read failures: nothing tripped");
    }

    [Fact]
    public void PeriodicProfileWritesDoNotKeepATripFromQualifying()
    {
        var r = Runner("""{ "name": "p", "cells": 4, "segments": [ { "durationS": 60, "rest": true } ], "events": [ { "atS": 10, "kind": "pressure-step", "deltaKpa": -800 } ] }""");
        string text = Repo.Read("board/profiles/assb-sulfide-li-metal.profile");
        for (int i = 0; i < 400; i++)
        {
            r.Step();
            if (i % 10 == 0) Assert.True(r.Controller.TryApplyProfile(text, "hmi", out _)); // an HMI re-writing settings once a second
        }
        Assert.True(r.Controller.Measurement.MinPressureKpa() < r.Controller.Supervisor.Profile.StackPressureLow.Trip);
        Assert.True(r.Controller.Supervisor.AnyTripLatched, $"30 s below the low-pressure trip, no trip; state={r.Controller.State} main={r.Rig.MainContactor.State}");
    }

    [Fact]
    public void InhibitingOneChargeTemperatureClassLeavesTheOtherActing()
    {
        // Cold soak while charging, with only charge OVER-temperature inhibited: the cold-charge inhibit must still act.
        var r = Runner("""{ "name": "c", "cells": 4, "initialSoc": 0.3, "segments": [ { "durationS": 600, "currentA": -0.5 } ], "events": [ { "atS": 1, "kind": "abuse-arm", "test": "hot", "inhibit": ["chargeOverTemperature"], "expiryS": 3600 }, { "atS": 5, "kind": "ambient-step", "ambientC": -10 } ] }""");
        var s = r.Run(null, 1);
        Assert.True(r.Controller.Abuse.Armed);
        Assert.False(r.Controller.Supervisor.ChargeAllowed);
        Assert.Equal(0, r.CurrentA);
    }

    [Fact]
    public void AbuseTestRefusesToInhibitSensorClassesLoopLateOrUnknownBits()
    {
        var r = Runner("""{ "name": "m", "cells": 4, "segments": [ { "durationS": 5, "rest": true } ] }""");
        var c = r.Controller;
        int sensorClass = c.Supervisor.Monitors.Length; // first sensor class
        Assert.False(c.RequestAbuseTest("x", 1u << sensorClass, 60000, true, out string e1));
        Assert.Contains("loopLate", e1);
        Assert.False(c.RequestAbuseTest("x", 1u << 31, 60000, true, out _));
        int loopLate = System.Array.FindIndex(c.Supervisor.Monitors, m => m.Limit.Name == "loopLate");
        Assert.False(c.RequestAbuseTest("x", 1u << loopLate, 60000, true, out _));
        Assert.True(c.RequestAbuseTest("x", 1u, 60000, true, out _)); // cellOverVoltage is fine
    }

    /// <summary>Issue 11: the abuse-test mode never inhibits the short-circuit trip (the rig's wiring is at stake).</summary>
    [Fact]
    public void AbuseTestRefusesToInhibitShortCircuit()
    {
        var r = Runner("""{ "name": "m", "cells": 4, "segments": [ { "durationS": 5, "rest": true } ] }""");
        var c = r.Controller;
        int shortCircuit = System.Array.FindIndex(c.Supervisor.Monitors, m => m.Limit.Name == "shortCircuit");
        Assert.True(shortCircuit >= 0);
        Assert.False(c.RequestAbuseTest("short", 1u << shortCircuit, 60000, true, out string error));
        Assert.Contains("shortCircuit", error);
        Assert.False(c.RequestAbuseTest("short", (1u << shortCircuit) | 1u, 60000, true, out _));
        Assert.False(c.Abuse.Armed);
        Assert.Equal(0u, c.InhibitableClasses & (1u << shortCircuit));
    }

    [Fact]
    public void WeldCheckWithoutAValidCurrentReadingReportsTheContactsUnknownAsWelded()
    {
        var main = new SolidBms.Simulator.Hardware.SimDigitalOutput();
        var cc = new SolidBms.Core.Actuation.ContactorController(main, null, 3000, 500, 95, 500);
        cc.Update(true, 15000, float.NaN, false, 0, 0.05f, 0);
        cc.ForceOpen(100);
        for (long t = 200; t <= 2500; t += 100) cc.Update(false, 15000, float.NaN, false, float.NaN, 0.05f, t);
        Assert.Equal(SolidBms.Core.Actuation.ContactorState.Opening, cc.State); // still waiting for a valid reading
        cc.Update(false, 15000, float.NaN, false, float.NaN, 0.05f, 2600);      // five windows without one
        Assert.True(cc.WeldDetected);
        Assert.Equal(SolidBms.Core.Actuation.ContactorState.Failed, cc.State);
    }

    [Fact]
    public void PulsedCurrentDuringTheWeldCheckIsStillCaught()
    {
        var main = new SolidBms.Simulator.Hardware.SimDigitalOutput();
        var cc = new SolidBms.Core.Actuation.ContactorController(main, null, 3000, 500, 95, 500);
        cc.Update(true, 15000, float.NaN, false, 0, 0.05f, 0);
        cc.ForceOpen(1000);
        for (long t = 1100; t <= 1600; t += 100)
            cc.Update(false, 15000, float.NaN, false, (t / 100) % 2 == 0 ? 1.0f : 0f, 0.05f, t); // a pulsed load through welded contacts
        Assert.True(cc.WeldDetected);
    }
}
