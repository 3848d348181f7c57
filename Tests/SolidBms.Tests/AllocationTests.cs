using System;
using System.IO;
using SolidBms.Simulator.Run;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Tests;

/// <summary>The firmware's steady-state tick allocates nothing (the nanoFramework GC pauses the loop).</summary>
public class AllocationTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(16)]
    public void ControllerTickAllocatesNothingInSteadyState(int cells)
    {
        var json = $$"""{ "name": "a", "cells": {{cells}}, "segments": [ { "durationS": 3600, "cycle": "dst", "peakA": 1.6 } ] }""";
        var r = new ScenarioRunner(ScenarioLoader.Parse(json, Path.Combine(Repo.Root, "board/scenarios/x.json"), Repo.Files), Repo.Files);
        for (int i = 0; i < 2000; i++) r.Step(); // warm-up: start-up, JIT, first telemetry lines
        r.StallFirmware = true; // drive the simulator ourselves, tick the firmware alone below
        long allocated = 0;
        for (int i = 0; i < 5000; i++)
        {
            r.Step();
            long before = GC.GetAllocatedBytesForCurrentThread();
            r.Rig.Watchdog.Feed();
            r.Controller.Tick();
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.Equal(0, allocated);
        Assert.Equal(7000, r.Controller.Timer.TickCount); // it really ticked, and ran the whole pipeline
        Assert.False(float.IsNaN(r.Controller.Estimator.PackSoc));
    }
}
