using System;
using System.IO;
using SolidBms.Core.Lab;
using SolidBms.Core.Loop;
using SolidBms.Simulator.Hardware;
using SolidBms.Simulator.Run;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Tests;

/// <summary>Abuse-test arming and inhibition, high-rate capture, and the event log fed by a real run.</summary>
public class LabTests
{
    [Fact]
    public void ArmingNeedsUnlockRequestAndMatchingConfirmation()
    {
        var a = new AbuseTestMode();
        Assert.False(a.TryRequest("oc", 1, 60000, unlocked: false, 0, out string e));
        Assert.Contains("unlock", e);
        Assert.False(a.TryConfirm("oc", true, 0, out e)); // nothing requested
        Assert.True(a.TryRequest("oc", 1, 60000, true, 0, out _));
        Assert.False(a.TryConfirm("hot-box", true, 10, out e));
        Assert.Contains("different test", e);
        Assert.False(a.Armed);
        Assert.False(a.TryConfirm("oc", false, 10, out _));
        Assert.True(a.TryConfirm("oc", true, 20, out _));
        Assert.True(a.Armed);
        Assert.Equal(1u, a.InhibitMask); // class 0 only
    }

    [Fact]
    public void ConfirmationMustComeWithinItsWindowAndArmingExpires()
    {
        var a = new AbuseTestMode();
        Assert.True(a.TryRequest("oc", 1, 5000, true, 0, out _));
        Assert.False(a.TryConfirm("oc", true, AbuseTestMode.ConfirmWindowMs + 1, out _));
        Assert.True(a.TryRequest("oc", 1, 5000, true, 100_000, out _));
        Assert.True(a.TryConfirm("oc", true, 100_100, out _));
        Assert.False(a.Update(105_099));
        Assert.True(a.Armed);
        Assert.True(a.Update(105_100));
        Assert.False(a.Armed);
        Assert.Equal(0u, a.InhibitMask);
    }

    [Fact]
    public void ArmingNeverSurvivesAReset()
    {
        var json = """{ "name": "r", "cells": 4, "segments": [ { "durationS": 5, "rest": true } ], "events": [ { "atS": 1, "kind": "abuse-arm", "test": "x", "inhibit": ["cellOverVoltage"], "expiryS": 600 } ] }""";
        var r = new ScenarioRunner(Repo.Scenario(json), Repo.Files);
        r.Run(null, 1);
        Assert.True(r.Controller.Abuse.Armed);
        // A reset is a new controller over the same flash: the arming was logged, and is gone.
        var flash = SimFlash.FromImage(r.Flash.Image, r.Flash.BlockSizeBytes);
        var rebooted = Reboot(r, flash);
        Assert.False(rebooted.Abuse.Armed);
        var records = new EventRecord[rebooted.Lab.Log.Capacity];
        int n = rebooted.Lab.Log.ReadAll(records);
        Assert.Contains(records[..n], x => x.Kind == EventKind.AbuseArmed && x.Code == 1);
        Assert.Equal(EventKind.Reset, records[n - 1].Kind); // the reboot's own record, after the arming
    }

    /// <summary>What a reset does: a new controller from the same files and hardware, over the same flash.</summary>
    private static BmsController Reboot(ScenarioRunner r, SimFlash flash)
    {
        var ctl = Firmware.BmsComposition.Build(r.Setup.Board, r.Setup.Profile, r.Setup.FirmwareCell, r.Rig.Hardware);
        ctl.AttachLab(new EventLog(flash), new CaptureBuffer(4, 60, 40));
        return ctl;
    }

    [Fact]
    public void InhibitedOverVoltageIsDetectedAndLoggedButDoesNotActuateUntilExpiry()
    {
        var r = new ScenarioRunner(ScenarioLoader.LoadFile(Repo.Files.ScenarioPath("fault-abuse-overcharge"), Repo.Files), Repo.Files);
        double tripAt = -1;
        bool closedAfterTrip = true;
        r.AfterStep = run =>
        {
            bool tripped = run.Controller.Supervisor.Monitors[0].TripLatched;
            if (tripped && tripAt < 0) tripAt = run.TimeS;
            if (tripped && run.TimeS < 1200 && !run.Rig.MainContactor.State) closedAfterTrip = false;
        };
        var s = r.Run(null, 1);
        Assert.InRange(tripAt, 1, 1200);
        Assert.True(closedAfterTrip, "the contactor opened while over-voltage actuation was inhibited");
        Assert.True(s.MaxCellMillivolts > r.Setup.Profile.CellOverVoltage.Trip, "the overcharge went on past the trip");
        Assert.Equal("safe", s.FinalState); // after expiry the latched trip acts
        var records = new EventRecord[r.Controller.Lab.Log.Capacity];
        int n = r.Controller.Lab.Log.ReadAll(records);
        Assert.Contains(records[..n], x => x.Kind == EventKind.TripLatched && x.Code == 0);
        Assert.Contains(records[..n], x => x.Kind == EventKind.AbuseDisarmed);
        Assert.Equal(EventKind.Reset, records[0].Kind);
    }

    [Fact]
    public void CaptureFreezesPreAndPostTriggerWindowAroundTheTrip()
    {
        var r = new ScenarioRunner(ScenarioLoader.LoadFile(Repo.Files.ScenarioPath("fault-pressure-low"), Repo.Files), Repo.Files);
        r.Run(null, 1);
        var cap = r.Controller.Lab.Capture;
        Assert.True(cap.Frozen);
        Assert.InRange(cap.TriggerTimeMs, 12_000, 12_100); // step at 10 s + 2 s qualification (+ the tick it landed in)
        // Only 12 s of history existed before the trigger (less than the 400-sample pre window): all of it is kept.
        int pre = (int)(cap.TriggerTimeMs / 100);
        Assert.Equal(pre + 200, cap.Count);
        Assert.Equal(100, cap.TimeMsAt(0));
        Assert.Equal(cap.TriggerTimeMs, cap.TimeMsAt(pre - 1));
        Assert.Equal(cap.TriggerTimeMs + 200 * 100, cap.TimeMsAt(cap.Count - 1));
        Assert.True(cap.PressureKpaAt(0) > 900);        // before the fixture let go
        Assert.True(cap.PressureKpaAt(pre - 1) < 300);  // at the trigger
        Assert.Equal((byte)BmsState.Safe, cap.StateAt(cap.Count - 1));
        long lastTimeBefore = cap.TimeMsAt(cap.Count - 1);
        r.Step();
        Assert.Equal(lastTimeBefore, cap.TimeMsAt(cap.Count - 1)); // held: later ticks do not overwrite it
        cap.Release();
        Assert.False(cap.Frozen);
    }
}

/// <summary>The lab scenario for a drifting current sensor: the drift reaches the firmware, and the estimator follows it.</summary>
public class CurrentOffsetDriftTests
{
    [Fact]
    public void OffsetDriftIsLearntAtRestAndSocStaysWithinTwoPoints()
    {
        var r = new ScenarioRunner(ScenarioLoader.LoadFile(Repo.Files.ScenarioPath("lab-current-offset-drift"), Repo.Files), Repo.Files);
        float learntBeforeSecondStep = float.NaN;
        r.AfterStep = run => { if (System.Math.Abs(run.TimeS - 7100) < 0.05) learntBeforeSecondStep = run.Controller.Estimator.CurrentOffsetA; };
        var s = r.Run(null, 1);
        Assert.InRange(learntBeforeSecondStep, 0.02f, 0.04f);                 // +30 mA learnt in the rest after 0.5 h
        Assert.InRange(r.Controller.Estimator.CurrentOffsetA, 0.05f, 0.07f);  // then +60 mA
        Assert.True(s.MaxAbsSocError < 0.02, $"SOC error {s.MaxAbsSocError * 100:0.00} points");
        Assert.DoesNotContain(s.FaultsSeen.Keys, f => !f.EndsWith(":warning"));
    }
}

/// <summary>
/// The event log walks the fault classes only when the supervisor's packed class levels moved: every raise, trip and
/// clear must still be logged, including a clear made between two evaluations.
/// </summary>
public class LabRecorderLevelTests
{
    [Fact]
    public void Raises_the_trip_and_a_clear_between_evaluations_are_each_logged_once()
    {
        var profile = Repo.AssbProfile();
        var supervisor = new SolidBms.Core.Safety.SafetySupervisor(profile, 2, 1, 100);
        var log = new EventLog(new SimFlash(64 * 1024, 4096));
        var lab = new LabRecorder(log, null, supervisor.FaultClassCount);
        var m = new SolidBms.Core.Measurement.PackMeasurement(2, 1);
        long now = 0;
        void Tick(float cellMv)
        {
            now += 100;
            m.Invalidate();
            for (int c = 0; c < 2; c++)
            {
                m.CellMillivolts[c] = cellMv;
                m.CellVoltageStatus[c] = SolidBms.Core.Measurement.SensorStatus.Ok;
                m.CellTemperatureC[c] = 25f;
                m.CellTemperatureStatus[c] = SolidBms.Core.Measurement.SensorStatus.Ok;
            }
            m.PackCurrentA = 0f;
            m.PackCurrentStatus = SolidBms.Core.Measurement.SensorStatus.Ok;
            m.StackPressureKpa[0] = 1000f;
            m.StackPressureStatus[0] = SolidBms.Core.Measurement.SensorStatus.Ok;
            supervisor.Evaluate(m, now, 0f, float.NaN);
            lab.OnTick(m, supervisor, 0.5f, 0, now);
        }
        EventRecord[] Records()
        {
            var all = new EventRecord[log.Capacity];
            int n = log.ReadAll(all);
            return all[..n];
        }
        for (int k = 0; k < 20; k++) Tick(3700f);
        Assert.Empty(Records());
        string Seen() => string.Join(" ", Array.ConvertAll(Records(), r => r.Kind + ":" + (r.Code & 0xFF) + "/" + (r.Code >> 8)));
        for (int k = 0; k < 15; k++) Tick(profile.CellOverVoltage.Warning + 5f); // warnings, qualified after 1 s
        for (int k = 0; k < 15; k++) Tick(3700f); // and released
        // cell over-voltage (class 0) and pack over-voltage (class 12: every cell is there, so the mean is too)
        string warned = "FaultRaised:0/1 FaultRaised:12/1 FaultCleared:0/0 FaultCleared:12/0";
        Assert.Equal(warned, Seen());
        for (int k = 0; k < 30; k++) Tick(profile.CellOverVoltage.Trip + 20f); // the trip qualifies before the lower levels
        string tripped = warned + " TripLatched:0/0 TripLatched:12/0";
        Assert.Equal(tripped, Seen());
        for (int k = 0; k < 20; k++) Tick(3700f);
        Assert.Equal(tripped, Seen()); // the latches hold both classes at trip: nothing to log
        Assert.True(supervisor.TryClearTrips());
        lab.OnTick(m, supervisor, 0.5f, 0, now); // no evaluation in between: the clear alone moved the levels
        Assert.Equal(tripped + " FaultCleared:0/0 FaultCleared:12/0", Seen());
        for (int k = 0; k < 20; k++) Tick(3700f);
        Assert.Equal(tripped + " FaultCleared:0/0 FaultCleared:12/0", Seen());
    }
}
