using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using SolidBms.Core.Hal;
using SolidBms.Core.Loop;
using SolidBms.Core.Protocol;
using SolidBms.Core.Util;
using SolidBms.Simulator;
using SolidBms.Simulator.Run;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Cli;

/// <summary>
/// `bench sunspec [--ticks N]`: what serving the SunSpec chain (docs/modbus-register-map.md, "SunSpec") costs the
/// firmware. The whole chain in the fewest requests (125 registers each), for 1, 4, 16 (sim-analog-16) cells: per
/// request, the tick's report stage (where the port is served) with the request, less the same stage without one
/// (medians over N ticks each, host ns), and the request's time on the wire at the board's 115200 baud, 8N1.
/// Host figures rank changes; they are not ESP32 timings (docs/benchmarks.md). Figures, not a pass/fail.
/// </summary>
public static class BenchSunSpecCommand
{
    private const int Baud = 115200, BitsPerChar = 10; // 8N1

    public static int Run(CliArgs a, TextWriter stdout, TextWriter stderr)
    {
        if (a.Positional.Count != 0) throw new UsageException($"bench sunspec: unexpected argument '{a.Positional[0]}'");
        int ticks = a.Int("ticks", 5000, 100, 1_000_000);
        a.RejectUnknown();
        var files = BoardFiles.Locate();
        stdout.WriteLine($"SunSpec whole-chain read, fewest requests of {ModbusRtuSlave.MaxReadCount} registers; {ticks:N0} ticks per figure, Release build, host ns");
        stdout.WriteLine("(serve = median report stage of a tick serving the request - median of a tick serving none; wire = request + reply at 115200 baud 8N1, with 3.5-character gaps)");
        stdout.WriteLine($"{"cells",5} {"chain regs",10} {"request",8} {"regs",5} {"serve ns",10} {"report ns",10} {"idle ns",9} {"wire ms",8} {"bytes/tick",10}");
        foreach (int cells in new[] { 1, 4, 16 })
        {
            string json = $$"""{ "name": "bench-sunspec", "cells": {{cells}}, "seed": 5, "initialSoc": 0.8, "segments": [ { "durationS": 100000, "cycle": "dst", "peakA": 1.6 } ] }""";
            var port = new OneFramePort();
            var r = new ScenarioRunner(ScenarioLoader.Parse(json, Path.Combine(files.Root, "scenarios", "bench.json"), files), files, null, port);
            var map = r.Controller.Protocol.Modbus.Map.SunSpec;
            int requests = (map.Length + ModbusRtuSlave.MaxReadCount - 1) / ModbusRtuSlave.MaxReadCount;
            var frames = new byte[requests][];
            var counts = new int[requests];
            for (int k = 0; k < requests; k++)
            {
                int start = SunSpecMap.Base + k * ModbusRtuSlave.MaxReadCount;
                counts[k] = Math.Min(ModbusRtuSlave.MaxReadCount, map.Length - k * ModbusRtuSlave.MaxReadCount);
                frames[k] = ReadFrame(r.Controller.Board.ModbusAddress, start, counts[k]);
            }
            var timer = new StopwatchStageTimer();
            r.Controller.StageTimer = timer;
            for (int i = 0; i < 2000; i++) { port.Load(frames[i % requests]); r.Step(); } // warm-up, JIT
            r.StallFirmware = true; // the runner steps physics and the rig; the firmware's tick is run (and weighed) alone
            void Tick() { r.Step(); r.Rig.Watchdog.Feed(); r.Controller.Tick(); }
            var idle = new long[ticks];
            var serve = new long[requests][];
            long allocated = 0;
            for (int k = 0; k < requests; k++) serve[k] = new long[ticks];
            for (int i = 0; i < ticks; i++)
            {
                Tick();
                idle[i] = r.Controller.StageTicks(TickStage.Report);
                for (int k = 0; k < requests; k++)
                {
                    port.Load(frames[k]);
                    r.Step();
                    r.Rig.Watchdog.Feed();
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    r.Controller.Tick();
                    allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                    serve[k][i] = r.Controller.StageTicks(TickStage.Report);
                    if (port.Written != 5 + 2 * counts[k]) throw new InvalidOperationException($"request {k + 1} was not answered whole");
                }
            }
            double idleNs = timer.Ns(Median(idle));
            for (int k = 0; k < requests; k++)
            {
                double reportNs = timer.Ns(Median(serve[k]));
                stdout.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,5} {1,10} {2,8} {3,5} {4,10:0} {5,10:0} {6,9:0} {7,8:0.00} {8,10}",
                    cells, map.Length, $"{k + 1}/{requests}", counts[k], reportNs - idleNs, reportNs, idleNs, WireMs(8, 5 + 2 * counts[k]),
                    k == 0 ? (allocated / (ticks * (long)requests)).ToString(CultureInfo.InvariantCulture) : ""));
            }
            double total = Enumerable.Range(0, requests).Sum(k => WireMs(8, 5 + 2 * counts[k]));
            stdout.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "{0,5} cells: {1} requests, {2:0.0} ms on the wire in all; served one per tick, the whole chain takes {1} ticks ({3} ms at the board's tick)",
                cells, requests, total, requests * r.Controller.Board.TickMs));
            if (cells != 16) continue;
            foreach (int more in new[] { 32, 64 }) // larger packs (a board file allows 64): 4 registers more per cell, the same per-request work
            {
                int length = map.Length + 4 * (more - cells), n = (length + ModbusRtuSlave.MaxReadCount - 1) / ModbusRtuSlave.MaxReadCount;
                double wire = Enumerable.Range(0, n).Sum(k => WireMs(8, 5 + 2 * Math.Min(ModbusRtuSlave.MaxReadCount, length - k * ModbusRtuSlave.MaxReadCount)));
                stdout.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,5} cells: {1} registers, {2} requests, {3:0.0} ms on the wire in all (layout only)", more, length, n, wire));
            }
        }
        return 0;
    }

    /// <summary>Request and reply on the wire, ms: their characters plus a 3.5-character gap after each (Modbus RTU framing).</summary>
    public static double WireMs(int requestBytes, int replyBytes) => (requestBytes + replyBytes + 7) * BitsPerChar * 1000.0 / Baud;

    private static byte[] ReadFrame(int address, int start, int count)
    {
        var f = new byte[] { (byte)address, 3, (byte)(start >> 8), (byte)start, (byte)(count >> 8), (byte)count, 0, 0 };
        int crc = Crc16.Compute(f, 0, 6);
        f[6] = (byte)(crc & 0xFF);
        f[7] = (byte)(crc >> 8);
        return f;
    }

    private static long Median(long[] v)
    {
        var s = (long[])v.Clone();
        Array.Sort(s);
        return s[s.Length / 2];
    }

    /// <summary>A Modbus port holding one request at a time in fixed buffers (the port's own cost is not the firmware's).</summary>
    private sealed class OneFramePort : ISerialPort
    {
        private byte[] _frame = Array.Empty<byte>();
        private int _read;
        public int Written;

        public void Load(byte[] frame) { _frame = frame; _read = 0; Written = 0; }

        public int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(count, _frame.Length - _read);
            Array.Copy(_frame, _read, buffer, offset, n);
            _read += n;
            return n;
        }

        public int Write(byte[] buffer, int offset, int count) { Written += count; return count; }
    }

    private sealed class StopwatchStageTimer : IStageTimer
    {
        public long NowTicks() => Stopwatch.GetTimestamp();
        public double Ns(long ticks) => ticks * 1e9 / Stopwatch.Frequency;
    }
}
