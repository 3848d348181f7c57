using SolidBms.Core.Actuation;
using SolidBms.Core.Config;
using SolidBms.Core.Hal;
using SolidBms.Core.Measurement;
using SolidBms.Core.Safety;
using SolidBms.Simulator.Hardware;

namespace SolidBms.Tests;

/// <summary>
/// Issue 24, item 2: behaviour of the contactor, the output stage and the monitors' resets that a mutation tester
/// (Stryker.NET) showed no test would notice if it changed. Each test names the rule it holds.
/// </summary>
public class MutantKillerActuationTests
{
    private const float Idle = 0.05f;

    private static (ContactorController c, SimDigitalOutput main, SimDigitalOutput pre) Contactor(bool withPrecharge = true)
    {
        var main = new SimDigitalOutput();
        var pre = new SimDigitalOutput();
        return (new ContactorController(main, withPrecharge ? pre : null, prechargeTimeoutMs: 3000, prechargeFixedMs: 500, matchPercent: 95, weldCheckMs: 500), main, pre);
    }

    /// <summary>A contactor without precharge, closed at 0 and commanded open at 1000 ms: in its weld check.</summary>
    private static (ContactorController c, SimDigitalOutput main, SimDigitalOutput pre) Opening()
    {
        var (c, main, pre) = Contactor(false);
        c.Update(true, 60000, float.NaN, false, 0, Idle, 0);
        c.ForceOpen(1000);
        return (c, main, pre);
    }

    /// <summary>A contactor that opened under 1 A and is latched Failed on a weld.</summary>
    private static (ContactorController c, SimDigitalOutput main, SimDigitalOutput pre) Welded()
    {
        var (c, main, pre) = Opening();
        c.Update(false, 60000, float.NaN, false, 1.0f, Idle, 1500);
        Assert.True(c.WeldDetected);
        Assert.Equal(ContactorState.Failed, c.State);
        return (c, main, pre);
    }

    /// <summary>A contactor whose precharge never matched: Failed, no weld.</summary>
    private static (ContactorController c, SimDigitalOutput main, SimDigitalOutput pre) PrechargeFailed()
    {
        var (c, main, pre) = Contactor();
        c.Update(true, 60000, 0, true, 0, Idle, 0);
        c.Update(true, 60000, 0, true, 0, Idle, 3000);
        Assert.True(c.PrechargeFailed);
        Assert.False(c.WeldDetected);
        Assert.Equal(ContactorState.Failed, c.State);
        return (c, main, pre);
    }

    // ---- ContactorController ----

    [Fact]
    public void WithoutALinkSensorTheMainContactorWaitsTheWholeFixedPrechargeHold()
    {
        var (c, main, pre) = Contactor();
        c.Update(true, 60000, float.NaN, false, 0, Idle, 0);
        foreach (long t in new long[] { 100, 250, 499 })
        {
            c.Update(true, 60000, float.NaN, false, 0, Idle, t);
            Assert.Equal(ContactorState.Precharge, c.State);
            Assert.False(main.State, $"main closed {t} ms into a 500 ms precharge hold");
            Assert.True(pre.State);
        }
        c.Update(true, 60000, float.NaN, false, 0, Idle, 500);
        Assert.Equal(ContactorState.Closed, c.State);
        Assert.True(main.State);
        Assert.False(pre.State);
    }

    [Fact]
    public void AFailedContactorDrivesMainAndPrechargeOpenOnEveryTickEvenWhenAskedToClose()
    {
        var (c, main, pre) = PrechargeFailed();
        for (long t = 3100; t <= 4000; t += 100)
        {
            main.Write(true); // a glitch or another writer energised the coils: the Failed state drives them open again
            pre.Write(true);
            c.Update(true, 60000, 60000, true, 0, Idle, t);
            Assert.Equal(ContactorState.Failed, c.State);
            Assert.False(main.State, $"main energised in Failed at {t} ms");
            Assert.False(pre.State, $"precharge energised in Failed at {t} ms");
        }
    }

    [Fact]
    public void AWeldClearIsRefusedWhileCurrentFlowsOrIsUnknownAndAllowedAtOrBelowIdle()
    {
        var (c, _, _) = Welded();
        Assert.False(c.CanClear(1.0f, Idle));
        Assert.False(c.CanClear(float.NaN, Idle));
        Assert.False(c.CanClear(Idle + 0.001f, Idle));
        Assert.True(c.CanClear(Idle, Idle));      // exactly idle: no current through the contacts
        Assert.True(c.CanClear(0f, Idle));
        Assert.False(c.TryClear(float.NaN, Idle));
        Assert.False(c.TryClear(Idle + 0.001f, Idle));
        Assert.Equal(ContactorState.Failed, c.State); // refused clears change nothing
        Assert.True(c.WeldDetected);
        Assert.True(c.TryClear(Idle, Idle));
        Assert.Equal(ContactorState.Open, c.State);
    }

    [Fact]
    public void CanClearAnswersExactlyWhatTryClearWouldDoInEveryState()
    {
        // The supervisor's clear is all or nothing: it asks CanClear of everything before it clears anything, so the
        // answer must be the clear's own, for every state and current.
        float[] currents = { float.NaN, 0f, Idle, 0.5f, 5f };
        foreach (float i in currents)
        {
            foreach (var make in new System.Func<(ContactorController, SimDigitalOutput, SimDigitalOutput)>[]
                { () => Contactor(), () => Welded(), () => PrechargeFailed() })
            {
                var (c, _, _) = make();
                var before = c.State;
                bool can = c.CanClear(i, Idle);
                Assert.Equal(can, c.TryClear(i, Idle));
                if (before != ContactorState.Failed) Assert.True(can, $"state {before}: nothing to clear, clear must succeed (I={i})");
            }
        }
        // A precharge failure is no weld: it clears with current flowing or unknown (the contacts never closed).
        Assert.True(PrechargeFailed().c.CanClear(5f, Idle));
        Assert.True(PrechargeFailed().c.CanClear(float.NaN, Idle));
        // Not failed (open, current flowing through some other path): nothing to clear.
        Assert.True(Contactor().c.CanClear(5f, Idle));
    }

    [Fact]
    public void AClearResetsBothFailureFlagsAndTheContactorMayCloseAgain()
    {
        var (c, main, pre) = PrechargeFailed();
        Assert.True(c.TryClear(0, Idle));
        Assert.False(c.PrechargeFailed);
        Assert.False(c.WeldDetected);
        Assert.Equal(ContactorState.Open, c.State);
        c.Update(true, 60000, 0, true, 0, Idle, 10000);
        Assert.Equal(ContactorState.Precharge, c.State);
        Assert.True(pre.State);

        var (w, wmain, _) = Welded();
        Assert.True(w.TryClear(0, Idle));
        Assert.False(w.WeldDetected);
        Assert.False(w.PrechargeFailed);
        w.Update(true, 60000, float.NaN, false, 0, Idle, 10000);
        Assert.Equal(ContactorState.Closed, w.State);
        Assert.True(wmain.State);
    }

    [Fact]
    public void CurrentExactlyAtIdleDuringTheWeldCheckIsNoWeld()
    {
        var (c, _, _) = Opening();
        c.Update(false, 60000, float.NaN, false, Idle, Idle, 1300);
        c.Update(false, 60000, float.NaN, false, Idle, Idle, 1500);
        Assert.False(c.WeldDetected);
        Assert.Equal(ContactorState.Open, c.State);
    }

    [Fact]
    public void ANewContactorDrivesCoilsLeftEnergisedOpen()
    {
        // A pin a bootloader or a warm restart left high: the controller's first act is to open both paths.
        var main = new SimDigitalOutput();
        var pre = new SimDigitalOutput();
        main.Write(true);
        pre.Write(true);
        var c = new ContactorController(main, pre, 3000, 500, 95, 500);
        Assert.False(main.State);
        Assert.False(pre.State);
        Assert.Equal(ContactorState.Open, c.State);
    }

    [Fact]
    public void TheFixedPrechargeHoldCountsFromWhenThePrechargeBegan()
    {
        var (c, main, _) = Contactor();
        c.Update(true, 60000, float.NaN, false, 0, Idle, 10000);
        c.Update(true, 60000, float.NaN, false, 0, Idle, 10100);
        Assert.Equal(ContactorState.Precharge, c.State);
        Assert.False(main.State);
        c.Update(true, 60000, float.NaN, false, 0, Idle, 10500);
        Assert.Equal(ContactorState.Closed, c.State);
    }

    [Theory]
    [InlineData(float.PositiveInfinity, 60000f)] // an overflowed link conversion
    [InlineData(60000f, float.PositiveInfinity)]
    [InlineData(float.NaN, 60000f)]
    [InlineData(60000f, float.NaN)]
    public void ALinkOrPackReadingThatIsNoNumberNeverEndsThePrecharge(float linkMv, float packMv)
    {
        var (c, main, pre) = Contactor();
        c.Update(true, packMv, linkMv, true, 0, Idle, 0);
        c.Update(true, packMv, linkMv, true, 0, Idle, 100);
        Assert.Equal(ContactorState.Precharge, c.State);
        Assert.False(main.State);
        Assert.True(pre.State);
        c.Update(true, packMv, linkMv, true, 0, Idle, 3000); // and the precharge times out instead
        Assert.True(c.PrechargeFailed);
    }

    [Fact]
    public void CurrentSeenExactlyHalfwayThroughTheWeldCheckIsAWeld()
    {
        var (c, _, _) = Opening();
        c.Update(false, 60000, float.NaN, false, 1.0f, Idle, 1249); // the first half: the load's own current decaying
        c.Update(false, 60000, float.NaN, false, 1.0f, Idle, 1250); // the second half begins
        c.Update(false, 60000, float.NaN, false, 0f, Idle, 1500);
        Assert.True(c.WeldDetected);
        Assert.Equal(ContactorState.Failed, c.State);
    }

    /// <summary>Open and not wanted closed: one reading of <paramref name="amps"/> at <paramref name="t"/>.</summary>
    private static void OpenTick(ContactorController c, float amps, long t) => c.Update(false, 60000, float.NaN, false, amps, Idle, t);

    [Fact]
    public void AWeldWhileOpenNeedsFiveCheckTimesOfCurrentCountedFromItsFirstReadingEvenAtTimeZero()
    {
        var (c, _, _) = Contactor(false);
        for (long t = 0; t < 2500; t += 100)
        {
            OpenTick(c, 1.0f, t);
            Assert.Equal(ContactorState.Open, c.State);
        }
        OpenTick(c, 1.0f, 2500); // 5 x 500 ms after the reading at 0
        Assert.True(c.WeldDetected);
        Assert.Equal(ContactorState.Failed, c.State);
    }

    [Fact]
    public void OneReadingAboveIdleOnAContactorOpenSinceStartUpIsNoWeld()
    {
        var (c, _, _) = Contactor(false);
        OpenTick(c, 1.0f, 100000);
        Assert.Equal(ContactorState.Open, c.State);
        Assert.False(c.WeldDetected);
    }

    [Fact]
    public void OneReadingAboveIdleAfterAWeldCheckPassedIsNoWeld()
    {
        var (c, _, _) = Opening();
        c.Update(false, 60000, float.NaN, false, 0f, Idle, 1500); // the check passes: Open at 1500
        Assert.Equal(ContactorState.Open, c.State);
        OpenTick(c, 1.0f, 100000);
        Assert.Equal(ContactorState.Open, c.State);
        Assert.False(c.WeldDetected);
    }

    [Fact]
    public void UnknownReadingsWhileOpenNeverMakeAWeld()
    {
        var (c, _, _) = Contactor(false);
        for (long t = 0; t <= 10000; t += 100) OpenTick(c, float.NaN, t);
        Assert.Equal(ContactorState.Open, c.State);
        Assert.False(c.WeldDetected);
    }

    [Fact]
    public void AReadingExactlyAtIdleEndsTheOpenCurrentRun()
    {
        var (c, _, _) = Contactor(false);
        OpenTick(c, 1.0f, 0);
        OpenTick(c, Idle, 1000);
        for (long t = 1100; t <= 3500; t += 100) OpenTick(c, 1.0f, t); // 2.4 s of current since the run began again
        Assert.Equal(ContactorState.Open, c.State);
        OpenTick(c, 1.0f, 3600);
        Assert.Equal(ContactorState.Failed, c.State);
    }

    // ---- OutputStage ----

    private static (OutputStage o, SimDigitalOutput main, SimDigitalOutput chg, SimDigitalOutput dis, SimDigitalOutput alarm) Stage()
    {
        var main = new SimDigitalOutput();
        var chg = new SimDigitalOutput();
        var dis = new SimDigitalOutput();
        var alarm = new SimDigitalOutput();
        var o = new OutputStage(main, null, chg, dis, alarm, new ContactorTiming { PrechargeTimeoutMs = 3000, PrechargeFixedMs = 500, PrechargeMatchPercent = 95, WeldCheckMs = 500 });
        return (o, main, chg, dis, alarm);
    }

    private static ContactorInputs Inputs() => new() { PackMillivolts = 60000, LinkMillivolts = float.NaN, LinkSensorFitted = false, CurrentMagnitudeA = 0, IdleA = Idle };

    [Fact]
    public void TheOutputStageReportsEachSwitchAsItIsDriven()
    {
        var (o, main, chg, dis, alarm) = Stage();
        Assert.True(o.IsSafe);
        Assert.False(o.MainClosed || o.ChargeEnabled || o.DischargeEnabled || o.AlarmOn);

        o.Apply(true, true, false, false, Inputs(), 0);
        Assert.True(o.MainClosed);
        Assert.True(o.ChargeEnabled);
        Assert.False(o.DischargeEnabled);
        Assert.False(o.AlarmOn);
        Assert.Equal((main.State, chg.State, dis.State, alarm.State), (o.MainClosed, o.ChargeEnabled, o.DischargeEnabled, o.AlarmOn));

        o.Apply(true, false, true, true, Inputs(), 100);
        Assert.False(o.ChargeEnabled);
        Assert.True(o.DischargeEnabled);
        Assert.True(o.AlarmOn);
        Assert.Equal((main.State, chg.State, dis.State, alarm.State), (o.MainClosed, o.ChargeEnabled, o.DischargeEnabled, o.AlarmOn));
    }

    [Fact]
    public void ThePackIsSafeOnlyWithTheContactorAndBothEnableLinesOpen()
    {
        var (o, main, chg, dis, _) = Stage();
        o.Apply(true, false, false, false, Inputs(), 0);
        Assert.True(main.State);
        Assert.False(o.IsSafe); // the contactor alone connects the pack

        o.Apply(false, false, false, false, Inputs(), 100);
        Assert.True(o.IsSafe);
        chg.Write(true); // a stuck driver: the enable line reads energised with the contactor open
        Assert.False(o.IsSafe);
        chg.Write(false);
        dis.Write(true);
        Assert.False(o.IsSafe);
        dis.Write(false);
        Assert.True(o.IsSafe);
    }

    [Fact]
    public void ANewOutputStageDrivesEverySwitchLeftEnergisedOpen()
    {
        var main = new SimDigitalOutput();
        var chg = new SimDigitalOutput();
        var dis = new SimDigitalOutput();
        main.Write(true); chg.Write(true); dis.Write(true);
        var o = new OutputStage(main, null, chg, dis, new SimDigitalOutput(), new ContactorTiming { PrechargeTimeoutMs = 3000, PrechargeFixedMs = 500, PrechargeMatchPercent = 95, WeldCheckMs = 500 });
        Assert.True(o.IsSafe);
        Assert.False(main.State || chg.State || dis.State);
    }

    [Fact]
    public void ForceSafeOpensTheContactorAndBothEnableLinesAtOnce()
    {
        var (o, main, chg, dis, _) = Stage();
        o.Apply(true, true, true, false, Inputs(), 0);
        Assert.True(main.State && chg.State && dis.State);
        o.ForceSafe(100);
        Assert.False(main.State, "main");
        Assert.False(chg.State, "charge enable");
        Assert.False(dis.State, "discharge enable");
        Assert.True(o.IsSafe);
        Assert.Equal(ContactorState.Opening, o.Contactor.State);
    }

    [Fact]
    public void EveryApplyWithoutConnectDrivesTheContactorOpenAgain()
    {
        var (o, main, _, _, _) = Stage();
        o.Apply(false, false, false, false, Inputs(), 0);
        main.Write(true); // the coil energised by a glitch while the contactor is open
        o.Apply(false, false, false, false, Inputs(), 100);
        Assert.False(main.State);
        Assert.Equal(ContactorState.Open, o.Contactor.State);
    }

    // ---- SecondLineOfDefence ----

    private sealed class Means : IDisconnect
    {
        public int Opens;
        public bool Open() { Opens++; return true; }
    }

    [Fact]
    public void AReadingExactlyAtIdleIsNoCurrentForTheSecondLine()
    {
        var line = new SecondLineOfDefence(new Means(), SecondMeansSettings.Gpio, null, SecondMeansSettings.None, 0, 500);
        Assert.Equal(SecondLineOfDefence.EventCommanded, line.Update(true, SensorStatus.Ok, 5f, Idle, false, false, 0));
        Assert.Equal(0, line.Update(true, SensorStatus.Ok, Idle, Idle, false, false, 100));
        Assert.Equal(0, line.Update(true, SensorStatus.Ok, -Idle, Idle, false, false, 400));
        Assert.Equal(SecondLineOfDefence.EventCurrentStopped, line.Update(true, SensorStatus.Ok, Idle, Idle, false, false, 500));
        Assert.True(line.CurrentStopped);
    }

    [Fact]
    public void TheCurrentStoppedEventIsReportedOnceEvenIfTheCurrentStopsAgain()
    {
        var line = new SecondLineOfDefence(new Means(), SecondMeansSettings.Gpio, null, SecondMeansSettings.None, 0, 500);
        line.Update(true, SensorStatus.Ok, 5f, Idle, false, false, 0);
        Assert.Equal(SecondLineOfDefence.EventCurrentStopped, line.Update(true, SensorStatus.Ok, 0f, Idle, false, false, 500));
        Assert.Equal(0, line.Update(true, SensorStatus.Ok, 5f, Idle, false, false, 600)); // back
        Assert.False(line.CurrentStopped);
        Assert.Equal(0, line.Update(true, SensorStatus.Ok, 0f, Idle, false, false, 1100)); // stopped again: no second event
        Assert.True(line.CurrentStopped);
    }

    [Fact]
    public void FuseEvidenceThatBeginsAtClockZeroQualifiesFromZero()
    {
        // The verdict came at -100 ms on a clock that starts at the verdict's tick (a rig, or a loop whose time is
        // relative): evidence from 0 is as good as from any other time, and -1 alone means "none".
        var fuse = new Means();
        var line = new SecondLineOfDefence(new Means(), SecondMeansSettings.Gpio, fuse, SecondMeansSettings.Gpio, 1000, 500);
        line.Update(true, SensorStatus.Ok, 5f, Idle, false, true, -100);
        for (long t = 0; t < 1000; t += 100)
        {
            Assert.Equal(0, line.Update(true, SensorStatus.Ok, 5f, Idle, false, true, t));
            Assert.Equal(0, line.FuseEvidenceSinceMs);
        }
        Assert.Equal(SecondLineOfDefence.EventFuseBlown, line.Update(true, SensorStatus.Ok, 5f, Idle, false, true, 1000));
        Assert.True(line.FuseBlown);
        Assert.Equal(1, fuse.Opens);
    }

    // ---- the monitors' Reset() ----

    [Fact]
    public void ALevelMonitorResetForgetsTheLatchAndRestartsQualification()
    {
        var limit = new LevelLimit("x", "mV", true) { Enabled = true, Warning = 100, Alarm = 200, Trip = 300, QualifyMs = 1000, TripQualifyMs = 500, Hysteresis = 10 };
        var m = new LevelMonitor(limit);
        m.Update(350, true, 0);
        m.Update(350, true, 1000);
        Assert.True(m.TripLatched);
        Assert.Equal(1000, m.TripRaisedAtMs);
        m.Reset();
        Assert.False(m.TripLatched);
        Assert.Equal(LevelMonitor.None, m.Level);
        Assert.Equal(LevelMonitor.None, m.ClassLevel);
        Assert.Equal(-1, m.TripRaisedAtMs);
        m.Update(350, true, 1100); // the value is still over: every level qualifies afresh
        Assert.Equal(LevelMonitor.None, m.Level);
        Assert.False(m.TripLatched);
        m.Update(350, true, 1600);
        Assert.True(m.TripLatched);
        Assert.Equal(1600, m.TripRaisedAtMs);
    }

    [Fact]
    public void ASensorFaultMonitorResetForgetsTheLatchAndTheBadTime()
    {
        var s = new SensorFaultMonitor("sensorCurrent");
        s.Update(SensorStatus.ReadFailed, 500, 0);
        s.Update(SensorStatus.ReadFailed, 500, 500);
        Assert.True(s.TripLatched);
        Assert.Equal(500, s.TripRaisedAtMs);
        s.Reset();
        Assert.False(s.TripLatched);
        Assert.False(s.Bad);
        Assert.Equal(LevelMonitor.None, s.ClassLevel);
        Assert.Equal(-1, s.TripRaisedAtMs);
        s.Update(SensorStatus.ReadFailed, 500, 600); // bad again: a whole qualification time from now
        Assert.True(s.Bad);
        Assert.False(s.TripLatched);
        s.Update(SensorStatus.ReadFailed, 500, 1099);
        Assert.False(s.TripLatched);
        s.Update(SensorStatus.ReadFailed, 500, 1100);
        Assert.True(s.TripLatched);
    }

    [Fact]
    public void ARateTrackerResetNeedsAWholeNewWindowBeforeItGivesARate()
    {
        var r = new RateTracker(3);
        for (int k = 0; k < 4; k++) r.Add(10f * k, 1000L * k);
        Assert.True(r.HasRate);
        Assert.Equal(10f, r.RatePerSecond, 3);
        r.Reset();
        Assert.False(r.HasRate);
        Assert.True(float.IsNaN(r.RatePerSecond));
        for (int k = 0; k < 3; k++)
        {
            r.Add(100f + 20f * k, 10000L + 1000L * k);
            Assert.False(r.HasRate, $"a rate after {k + 1} samples of a new 3-tick window");
        }
        r.Add(160f, 13000);
        Assert.True(r.HasRate);
        Assert.Equal(20f, r.RatePerSecond, 3); // the samples before the reset are not in it
    }
}
