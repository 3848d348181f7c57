using System;
using SolidBms.Core.Loop;
using SolidBms.Simulator.Run;

namespace SolidBms.Tests;

/// <summary>The tick's stage-timing hook: every stage marked once per tick, in order, nothing allocated, off by default.</summary>
public class StageTimerTests
{
    /// <summary>Advances one unit per read, so a stage that is marked once lasts exactly one unit.</summary>
    private sealed class CountingTimer : IStageTimer
    {
        public long Reads;
        public long NowTicks() => ++Reads;
    }

    [Fact]
    public void EachStageIsMarkedOncePerTickAndTheHookAllocatesNothing()
    {
        var r = new ScenarioRunner(Repo.Scenario("""{ "name": "t", "cells": 16, "segments": [ { "durationS": 600, "cycle": "dst", "peakA": 1.6 } ] }"""), Repo.Files);
        for (int i = 0; i < 300; i++) r.Step();
        var c = r.Controller;
        for (int s = 0; s < TickStage.Count; s++) Assert.Equal(0, c.StageTicks(s)); // off by default: nothing recorded

        var timer = new CountingTimer();
        c.StageTimer = timer;
        r.Step();
        Assert.Equal(TickStage.Count + 1, timer.Reads); // one read at the start, one at the end of each stage
        for (int s = 0; s < TickStage.Count; s++) Assert.Equal(1, c.StageTicks(s));

        r.StallFirmware = true;
        long allocated = 0;
        for (int i = 0; i < 200; i++)
        {
            r.Step();
            r.Rig.Watchdog.Feed();
            long before = GC.GetAllocatedBytesForCurrentThread();
            c.Tick();
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.Equal(0, allocated);
        Assert.Equal("measure", TickStage.Name(TickStage.Measure));
        Assert.Equal("report", TickStage.Name(TickStage.Count - 1));
    }
}
