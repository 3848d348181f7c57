using System;
using System.IO;
using SolidBms.Simulator.Run;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Tests;

/// <summary>The firmware's steady-state tick allocates nothing (the nanoFramework GC pauses the loop).</summary>
public class AllocationTests
{
    /// <summary>
    /// Bytes allocated by the firmware's ticks alone: the simulator steps physics and the rig (its own
    /// allocations are not the firmware's), the measurement brackets only BmsController.Tick.
    /// </summary>
    public static long FirmwareTickAllocation(ScenarioRunner r, int warmupTicks, int measuredTicks)
    {
        for (int i = 0; i < warmupTicks; i++) r.Step(); // start-up, JIT, first telemetry lines
        r.StallFirmware = true;
        long allocated = 0;
        for (int i = 0; i < measuredTicks; i++)
        {
            r.Step();
            long before = GC.GetAllocatedBytesForCurrentThread();
            r.Rig.Watchdog.Feed();
            r.Controller.Tick();
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }
        return allocated;
    }

    [Theory]
    [InlineData(4)]
    [InlineData(16)]
    public void ControllerTickAllocatesNothingInSteadyState(int cells)
    {
        var json = $$"""{ "name": "a", "cells": {{cells}}, "segments": [ { "durationS": 3600, "cycle": "dst", "peakA": 1.6 } ] }""";
        var r = new ScenarioRunner(Repo.Scenario(json), Repo.Files);
        long allocated = FirmwareTickAllocation(r, warmupTicks: 2000, measuredTicks: 5000);
        Assert.Equal(0, allocated);
        Assert.Equal(7000, r.Controller.Timer.TickCount); // it really ticked, and ran the whole pipeline
        Assert.False(float.IsNaN(r.Controller.Estimator.PackSoc));
    }
}
