using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using SolidBms.Cli;
using SolidBms.Core.Lab;
using SolidBms.Simulator.Hardware;

namespace SolidBms.Tests;

/// <summary>
/// Issue 21 finding 8: `sim` killed with SIGKILL mid-run (a real child process, started as SimProcessFixture starts it)
/// leaves a flash image that decodes with every record written before the kill, the capture as last written, and a
/// CSV of whole rows that replay accepts. Before, the image and capture were written only at the end (nothing was
/// left) and the CSV was cut wherever its 64 KiB buffer was.
/// </summary>
public sealed class SimKillTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("simkill").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string P(string name) => Path.Combine(_dir, name);

    private Process Start(string scenarioJson, params string[] extra)
    {
        File.WriteAllText(P("s.json"), scenarioJson);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Repo.Root };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "solidbms.dll"), "sim", "--scenario", P("s.json"), "--quiet",
                     "--csv", P("run.csv"), "--flash-image", P("flash.bin"), "--capture", P("capture.csv") }.Concat(extra))
            psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>SIGKILL (Process.Kill on Linux), then waits for the process to be gone.</summary>
    private static void KillNine(Process p)
    {
        Assert.False(p.HasExited, "sim ended before the kill: the test must kill it mid-run");
        p.Kill();
        Assert.True(p.WaitForExit(10000));
        Assert.Equal(137, p.ExitCode); // 128 + SIGKILL
    }

    /// <summary>The records in an image file as the firmware's reader sees them (empty while it is not there or not whole).</summary>
    private static EventRecord[] Records(string image)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(image); } catch (IOException) { return Array.Empty<EventRecord>(); }
        if (bytes.Length != 64 * 1024) return Array.Empty<EventRecord>();
        var log = new EventLog(SimFlash.FromImage(bytes, 4096));
        var records = new EventRecord[log.SlotCount];
        return records[..log.ReadAll(records)];
    }

    private static void WaitFor(Func<bool> condition, Process p, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(p.HasExited, $"sim ended before this was on disk: {what}");
            Assert.True(sw.Elapsed.TotalSeconds < 60, $"not on disk within 60 s: {what}");
            Thread.Sleep(20);
        }
    }

    /// <summary>Every line of the CSV is whole (ends with a line end, has the header's field count), and replay accepts it.</summary>
    private void AssertWholeRowsThatReplayAccepts(int minimumRows)
    {
        string text = File.ReadAllText(P("run.csv"));
        Assert.EndsWith("\n", text);
        var lines = text.TrimEnd('\n').Split('\n');
        int fields = lines[0].Split(',').Length;
        Assert.All(lines, l => Assert.Equal(fields, l.Split(',').Length));
        Assert.True(lines.Length - 1 >= minimumRows, $"{lines.Length - 1} rows on disk");
        var r = ReplayTests.Cli("replay", P("run.csv"), "--cell", "assb-lpscl-nmc811-li", "--csv", P("replayed.csv"), "--pressure-kpa", "1000");
        Assert.True(r.Code == 0, r.Stderr);
    }

    [Fact]
    public void APacedRunKilledAfterItsTripLeavesTheImageCaptureAndWholeRows()
    {
        // A thermistor short at 5 s trips 0.5 s later; the capture freezes its window 200 samples (20 s) after that.
        // At 20 x real time that is about 1.3 s of wall time; the run would go on for three minutes.
        using var p = Start("""{ "name": "kill", "cells": 4, "segments": [ { "durationS": 3600, "currentA": 0.5 } ], "events": [ { "atS": 5, "kind": "thermistor-short", "cell": 2 } ] }""",
            "--speed", "20");
        WaitFor(() => Records(P("flash.bin")).Any(r => r.Kind == EventKind.TripLatched), p, "a trip record in the image on disk");
        WaitFor(() => File.Exists(P("capture.csv")) && File.ReadAllLines(P("capture.csv")).Any(l => l.Split(',')[1] == "19.900"), p, "the frozen capture on disk");
        Thread.Sleep(1500); // a second of rows after the freeze
        KillNine(p);

        var e = new StringWriter();
        Assert.Equal(0, CliApp.Run(new[] { "eventlog", P("flash.bin"), "--csv", P("events.csv") }, new StringWriter(), e));
        var events = File.ReadAllLines(P("events.csv"));
        Assert.Contains(",reset,", events[1]);
        Assert.Contains(events, l => l.Contains(",trip,") && l.Contains("sensorTemperature"));
        Assert.Contains(events, l => l.Contains(",capture-triggered,"));
        var capture = File.ReadAllLines(P("capture.csv"));
        Assert.StartsWith("time_s,t_from_trigger_s,", capture[0]);
        Assert.Contains(capture, l => l.Split(',')[1] == "0.000");
        AssertWholeRowsThatReplayAccepts(250); // 20 s of simulated time past the trip at least, at 10 rows a second
    }

    [Fact]
    public void AnUnpacedRunKilledAtAnArbitraryMomentLeavesWholeRowsAndADecodableImage()
    {
        // Flat out, rows are written in blocks on a second thread while the kill lands: no half row may reach the disk.
        using var p = Start("""{ "name": "kill-fast", "cells": 4, "segments": [ { "durationS": 86400, "cycle": "udds", "peakA": 1.0 } ], "events": [ { "atS": 30, "kind": "thermistor-short", "cell": 1, "durationS": 10 } ] }""",
            "--every", "5");
        WaitFor(() => File.Exists(P("run.csv")) && new FileInfo(P("run.csv")).Length > 2_000_000, p, "2 MB of rows");
        KillNine(p);
        AssertWholeRowsThatReplayAccepts(1000);
        Assert.Contains(Records(P("flash.bin")), r => r.Kind == EventKind.Reset);
        Assert.Contains(Records(P("flash.bin")), r => r.Kind == EventKind.TripLatched);
        Assert.True(File.ReadAllLines(P("capture.csv")).Length > 1);
    }
}
