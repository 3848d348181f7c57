using SolidBms.Core.Hal;
using SolidBms.Core.Loop;
using SolidBms.Simulator.Hardware;
using SolidBms.Simulator.Run;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Tests;

/// <summary>The loop's timing comes from the injected clock, never from the wall.</summary>
public class LoopTimingTests
{
    [Fact]
    public void TimerSchedulesFixedPeriodWithoutDrift()
    {
        var t = new LoopTimer(100);
        Assert.Equal(0, t.MillisecondsUntilDue(5000));
        t.MarkTick(5000);
        Assert.Equal(100, t.MillisecondsUntilDue(5000));
        Assert.Equal(30, t.MillisecondsUntilDue(5070));
        t.MarkTick(5103); // 3 ms late
        Assert.Equal(103, t.ElapsedMs);
        Assert.Equal(97, t.MillisecondsUntilDue(5103)); // next deadline stays at 5200: jitter does not accumulate
        Assert.Equal(0, t.OverrunCount);
    }

    [Fact]
    public void TickLateByAWholePeriodCountsAsOverrun()
    {
        var t = new LoopTimer(100);
        t.MarkTick(0);
        t.MarkTick(100);
        t.MarkTick(350); // due at 200: 150 ms late
        Assert.Equal(1, t.OverrunCount);
        Assert.Equal(250, t.ElapsedMs);
        Assert.Equal(100, t.MillisecondsUntilDue(350)); // re-anchored, no burst of catch-up ticks
    }

    private static ScenarioRunner Runner(string json) =>
        new(Repo.Scenario(json), Repo.Files);

    [Fact]
    public void ControllerTicksOnSimulatedTimeFasterThanRealTime()
    {
        var r = Runner("""{ "name": "t", "cells": 4, "tickMs": 50, "segments": [ { "durationS": 600, "rest": true } ] }""");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var summary = r.Run(null, 1);
        Assert.Equal(12000, r.Controller.Timer.TickCount);
        Assert.Equal(600_000, r.Clock.NowMilliseconds);
        Assert.Equal(50, r.Controller.Timer.ElapsedMs);
        Assert.Equal(0, r.Controller.Timer.OverrunCount);
        Assert.True(sw.Elapsed.TotalSeconds < 60, "ten simulated minutes must not take real minutes");
        Assert.Equal("idle", summary.FinalState);
    }

    [Fact]
    public void StalledLoopIsCaughtByTheWatchdogAndOutputsGoSafe()
    {
        var r = Runner("""{ "name": "t", "cells": 4, "segments": [ { "durationS": 30, "currentA": 1.0 } ] }""");
        for (int i = 0; i < 50; i++) r.Step();
        Assert.True(r.Rig.MainContactor.State, "contactor closed in normal running");
        Assert.True(r.CurrentA > 0.9);
        r.StallFirmware = true;
        int ticksToSafe = 0;
        while (r.Rig.MainContactor.State && ticksToSafe < 100) { r.Step(); ticksToSafe++; }
        Assert.False(r.Rig.MainContactor.State);
        Assert.False(r.Rig.DischargeEnable.State);
        Assert.Equal(0, r.CurrentA);
        Assert.Equal(ResetCause.Watchdog, r.Rig.Watchdog.LastResetCause);
        int timeoutTicks = r.Setup.Board.WatchdogTimeoutMs / r.Setup.Board.TickMs;
        Assert.InRange(ticksToSafe, timeoutTicks, timeoutTicks + 2);
    }
}
