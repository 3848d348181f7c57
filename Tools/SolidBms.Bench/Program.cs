using System;
using System.Diagnostics;
using System.IO;
using SolidBms.Simulator;
using SolidBms.Simulator.Run;
using SolidBms.Simulator.Scenarios;

// Per-tick cost of the firmware on the host: a measured loop (not BenchmarkDotNet: the tick depends on the
// simulated pack's state, so each sample must be a fresh tick, not a replay of the same one).
// Prints bytes allocated per tick and host time per tick for each stage, for 4 and 16 cells.
// Host figures rank changes; they are not ESP32 timings (see docs/benchmarks.md).

var files = BoardFiles.Locate();
int ticks = args.Length > 0 && int.TryParse(args[0], out int n) ? n : 200_000;
Console.WriteLine($"per-tick cost, {ticks:N0} measured ticks after 20,000 warm-up ticks, DST load, Release build");
Console.WriteLine($"{"board",-14} {"cells",5} {"stage",-22} {"mean ns",10} {"median ns",10} {"p99 ns",10} {"bytes/tick",11}");
foreach (var (board, cells) in new[] { ("sim-analog-16", 4), ("sim-analog-16", 16), ("bq76952-16s", 16) })
{
    string json = $$"""{ "name": "bench", "board": "{{board}}", "cells": {{cells}}, "seed": 5, "initialSoc": 0.8, "segments": [ { "durationS": 100000, "cycle": "dst", "peakA": 1.6 } ] }""";
    var scenario = ScenarioLoader.Parse(json, Path.Combine(files.Root, "scenarios", "bench.json"), files);
    var r = new ScenarioRunner(scenario, files);
    for (int i = 0; i < 20_000; i++) r.Step();
    r.StallFirmware = true; // the runner steps physics and the rig; the firmware is ticked below, timed alone

    var ctl = r.Controller;
    var tickNs = new long[ticks];
    var supNs = new long[ticks];
    long tickBytes = 0, supBytes = 0;
    long simTotal = 0;
    for (int i = 0; i < ticks; i++)
    {
        long s0 = Stopwatch.GetTimestamp();
        r.Step();
        long s1 = Stopwatch.GetTimestamp();
        simTotal += s1 - s0;
        r.Rig.Watchdog.Feed();
        long b0 = GC.GetAllocatedBytesForCurrentThread();
        long t0 = Stopwatch.GetTimestamp();
        ctl.Tick();
        long t1 = Stopwatch.GetTimestamp();
        tickBytes += GC.GetAllocatedBytesForCurrentThread() - b0;
        tickNs[i] = (t1 - t0) * 1_000_000_000L / Stopwatch.Frequency;

        // The supervisor alone, on the measurement this tick produced (it is idempotent within a tick).
        long b1 = GC.GetAllocatedBytesForCurrentThread();
        long u0 = Stopwatch.GetTimestamp();
        ctl.Supervisor.Evaluate(ctl.Measurement, r.Clock.NowMilliseconds, 0, float.NaN);
        long u1 = Stopwatch.GetTimestamp();
        supBytes += GC.GetAllocatedBytesForCurrentThread() - b1;
        supNs[i] = (u1 - u0) * 1_000_000_000L / Stopwatch.Frequency;
    }
    Print(board, cells, "controller tick", tickNs, tickBytes, ticks);
    Print(board, cells, "  supervisor only", supNs, supBytes, ticks);
    Console.WriteLine($"{board,-14} {cells,5} {"simulator step (host)",-22} {simTotal * 1_000_000_000.0 / Stopwatch.Frequency / ticks,10:0}");
}

static void Print(string board, int cells, string stage, long[] ns, long bytes, int count)
{
    double mean = 0;
    foreach (var v in ns) mean += v;
    mean /= count;
    Array.Sort(ns);
    Console.WriteLine($"{board,-14} {cells,5} {stage,-22} {mean,10:0} {ns[count / 2],10} {ns[(int)(count * 0.99)],10} {(double)bytes / count,11:0.##}");
}
