using System;
using System.Diagnostics;
using System.IO;
using SolidBms.Core.Loop;
using SolidBms.Simulator;
using SolidBms.Simulator.Run;
using SolidBms.Simulator.Scenarios;

// Per-tick cost of the firmware on the host: a measured loop (not BenchmarkDotNet: the tick depends on the
// simulated pack's state, so each sample must be a fresh tick, not a replay of the same one).
// Prints bytes allocated per tick, host time per tick, the split of the tick by stage (the firmware's own
// IStageTimer hook) and the simulator's share, for 4 and 16 cells on both boards.
// Host figures rank changes; they are not ESP32 timings (see docs/benchmarks.md).

var files = BoardFiles.Locate();
int ticks = args.Length > 0 && int.TryParse(args[0], out int n) ? n : 200_000;
var configs = new[] { ("sim-analog-16", 4), ("sim-analog-16", 16), ("bq76952-16s", 4), ("bq76952-16s", 16) };
if (args.Length < 3)
{
    Console.WriteLine($"per-tick cost, {ticks:N0} measured ticks after 20,000 warm-up ticks, DST load, Release build");
    Console.WriteLine("(whole tick timed with the stage timer off; stages from interleaved ticks with it on; ns)");
    Console.WriteLine("(each board and cell count in a process of its own, as a device runs one board: the JIT's profile-guided");
    Console.WriteLine(" code for the shared firmware is then that board's, not the one measured before it)");
    Console.WriteLine($"{"board",-14} {"cells",5} {"stage",-26} {"mean ns",10} {"median ns",10} {"p99 ns",10} {"bytes/tick",11}");
    foreach (var (configBoard, configCells) in configs)
    {
        // Started as `dotnet SolidBms.Bench.dll` the host needs the dll again; started through the apphost (`dotnet run`) not.
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(HostStageTimer).Assembly.Location);
        foreach (string a in new[] { ticks.ToString(), configBoard, configCells.ToString() }) start.ArgumentList.Add(a);
        var child = Process.Start(start)!;
        child.WaitForExit();
        if (child.ExitCode != 0) return child.ExitCode;
    }
    return 0;
}
var stageTimer = new HostStageTimer();
string board = args[1];
int cells = int.Parse(args[2]);
string json = $$"""{ "name": "bench", "board": "{{board}}", "cells": {{cells}}, "seed": 5, "initialSoc": 0.8, "segments": [ { "durationS": 100000, "cycle": "dst", "peakA": 1.6 } ] }""";
var scenario = ScenarioLoader.Parse(json, Path.Combine(files.Root, "scenarios", "bench.json"), files);
var r = new ScenarioRunner(scenario, files);
for (int i = 0; i < 20_000; i++) r.Step();
r.StallFirmware = true; // the runner steps physics and the rig; the firmware is ticked below, timed alone

var ctl = r.Controller;
int half = ticks / 2;
var tickNs = new long[half];
var stageNs = new long[TickStage.Count][];
for (int s = 0; s < TickStage.Count; s++) stageNs[s] = new long[half];
var supNs = new long[half];
var simNs = new long[half];
var csvNs = new long[half];
long tickBytes = 0, supBytes = 0;
var csv = new CsvRecorder(Stream.Null, cells);
// Which ticks are timed whole and which by stage is a coin toss (seeded): a strict alternation would put every
// even tick in one group, and any work on a two-tick rhythm (a slow slot, a chip's conversion cycle) in one figure only.
var coin = new Random(7);
for (int whole = 0, parts = 0; whole < half || parts < half;)
{
    bool split = whole >= half || (parts < half && coin.Next(2) == 1);
    int k = split ? parts++ : whole++;
    long s0 = Stopwatch.GetTimestamp();
    r.Step();
    long s1 = Stopwatch.GetTimestamp();
    r.Rig.Watchdog.Feed();
    if (!split)
    {
        simNs[k] = Ns(s1 - s0);
        ctl.StageTimer = null;
        long b0 = GC.GetAllocatedBytesForCurrentThread();
        long t0 = Stopwatch.GetTimestamp();
        ctl.Tick();
        long t1 = Stopwatch.GetTimestamp();
        tickBytes += GC.GetAllocatedBytesForCurrentThread() - b0;
        tickNs[k] = Ns(t1 - t0);

        // The supervisor alone, on the measurement this tick produced (it is idempotent within a tick).
        long b1 = GC.GetAllocatedBytesForCurrentThread();
        long u0 = Stopwatch.GetTimestamp();
        ctl.Supervisor.Evaluate(ctl.Measurement, r.Clock.NowMilliseconds, 0, float.NaN);
        long u1 = Stopwatch.GetTimestamp();
        supBytes += GC.GetAllocatedBytesForCurrentThread() - b1;
        supNs[k] = Ns(u1 - u0);
    }
    else
    {
        ctl.StageTimer = stageTimer;
        ctl.Tick();
        for (int s = 0; s < TickStage.Count; s++) stageNs[s][k] = Ns(ctl.StageTicks(s));
        long c0 = Stopwatch.GetTimestamp();
        csv.WriteRow(r); // the sim's CSV row (every tick in the speed runs)
        csvNs[k] = Ns(Stopwatch.GetTimestamp() - c0);
    }
}
Print(board, cells, "controller tick", tickNs, tickBytes);
for (int s = 0; s < TickStage.Count; s++) Print(board, cells, "  " + TickStage.Name(s), stageNs[s], -1);
Print(board, cells, "  (supervisor only)", supNs, supBytes);
Print(board, cells, "simulator step (host)", simNs, -1);
Print(board, cells, "CSV row (host)", csvNs, -1);
return 0;

static long Ns(long stopwatchTicks) => stopwatchTicks * 1_000_000_000L / Stopwatch.Frequency;

static void Print(string board, int cells, string stage, long[] ns, long bytes)
{
    int count = ns.Length;
    double mean = 0;
    foreach (var v in ns) mean += v;
    mean /= count;
    Array.Sort(ns);
    string b = bytes < 0 ? "" : ((double)bytes / count).ToString("0.##");
    Console.WriteLine($"{board,-14} {cells,5} {stage,-26} {mean,10:0} {ns[count / 2],10} {ns[(int)(count * 0.99)],10} {b,11}");
}

/// <summary>The host's stage timer for the firmware's per-stage split: Stopwatch ticks.</summary>
sealed class HostStageTimer : IStageTimer
{
    public long NowTicks() => Stopwatch.GetTimestamp();
}
