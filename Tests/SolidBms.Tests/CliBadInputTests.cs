using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using SolidBms.Cli;
using SolidBms.Cli.Serial;
using SolidBms.Core.Protocol;
using SolidBms.Core.Util;

namespace SolidBms.Tests;

/// <summary>Issue 11 findings 8 and 9: bad input to any verb is one line and exit 2, never a stack trace; send answers its own command.</summary>
public class CliBadInputTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "solidbms-cli-" + Guid.NewGuid().ToString("N"));

    public CliBadInputTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    private string PathIn(string name) => Path.Combine(_dir, name);

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int exit = CliApp.Run(args, o, e);
        return (exit, o.ToString(), e.ToString());
    }

    private static void AssertOneLineError((int Exit, string Out, string Err) r, string expected)
    {
        Assert.True(r.Exit == 2, $"exit {r.Exit}: {r.Err}");
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", r.Err);
    }

    private string Csv(string body)
    {
        string p = PathIn("run-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(p, "time_s,current_a,soc_true,soc_est,cell_v_min,cell_v_max,temp_min_c,temp_max_c,pressure_kpa,state,faults\n" + body);
        return p;
    }

    [Fact]
    public void EveryVerbRefusesBadInputWithOneLineAndExitTwo()
    {
        string dir = _dir, missingDir = PathIn("no/such/dir/out.csv");
        string good = Csv("0.0,0.000,0.5,0.5,3.7,3.7,25,25,1000,idle,\n0.1,0.000,0.5,0.5,3.7,3.7,25,25,1000,idle,\n");
        string random = PathIn("random.bin");
        var bytes = new byte[8192];
        new Random(1).NextBytes(bytes);
        File.WriteAllBytes(random, bytes);
        // sim: every output is checked before the run (with --flash-image/--capture the crash came after it)
        AssertOneLineError(Run("sim", "--scenario", "fault-pressure-low", "--quiet", "--csv", dir), "is a directory");
        AssertOneLineError(Run("sim", "--scenario", "fault-pressure-low", "--quiet", "--flash-image", dir), "is a directory");
        AssertOneLineError(Run("sim", "--scenario", "fault-pressure-low", "--quiet", "--capture", dir), "is a directory");
        AssertOneLineError(Run("sim", "--scenario", "fault-pressure-low", "--quiet", "--csv", missingDir), "does not exist");
        AssertOneLineError(Run("sim", "--scenario", "fault-pressure-low", "--speed", "NaN"), "--speed must be a number");
        AssertOneLineError(Run("sim", "--scenario", "fault-pressure-low", "--speed", "Infinity"), "--speed must be a number");
        AssertOneLineError(Run("sim", "--scenario", "fault-pressure-low", "--telemetry", PathIn("p"), "--modbus", PathIn("p")), "are the same path");
        AssertOneLineError(Run("sim", "--scenario", "fault-pressure-low", "--csv", PathIn("a"), "--csv", PathIn("b")), "given twice");
        AssertOneLineError(Run("sim", "--scenario", "fault-pressure-low", "--every", "NaN"), "--every must be a whole number");
        string scenario = PathIn("s.json");
        File.WriteAllText(scenario, """{ "name": "x", "cells": 4, "segments": [ { "durationS": 1, "rest": true } ] }""");
        AssertOneLineError(Run("sim", "--scenario", scenario, "--csv", scenario), "the scenario and --csv are the same path");
        var missing = Run("sim", "--scenario", "no-such-scenario.json");
        AssertOneLineError(missing, "not found");
        Assert.DoesNotContain(".json.json", missing.Err);
        Assert.Contains("no-such-scenario.json", Run("sim", "--scenario", "no-such-scenario").Err);
        // report and plot: malformed CSVs, unwritable outputs
        AssertOneLineError(Run("report", Csv("0.0,0,0.5,0.5,3.7,3.7,25,25,1000,idle,\n-5.0,0,0.5,0.5,3.7,3.7,25,25,1000,idle,\n"), "--out", PathIn("r1")), "time_s -5.0 runs backwards or is negative");
        AssertOneLineError(Run("report", Csv("0.0,NaN A,0.5,0.5,3.7,3.7,25,25,1000,idle,\n"), "--out", PathIn("r2")), "current_a 'NaN A' is not a number");
        AssertOneLineError(Run("report", Csv("0.0,NaN,0.5,0.5,3.7,3.7,25,25,1000,idle,\n"), "--out", PathIn("r3")), "current_a 'NaN' is not a number");
        AssertOneLineError(Run("report", good, "--out", good), "is a file, not a directory");
        AssertOneLineError(Run("report", random, "--out", PathIn("r4")), "no column");
        AssertOneLineError(Run("plot", good, "--png", dir), "is a directory");
        AssertOneLineError(Run("plot", good, "--png", "x.png", "--width", "NaN"), "--width must be a whole number");
        // eventlog: a random file is not an (empty) event log
        AssertOneLineError(Run("eventlog", random), "not an event-log image");
        AssertOneLineError(Run("eventlog", random, "--csv", dir), "is a directory");
        AssertOneLineError(Run("eventlog", PathIn("nothing.bin")), "no such file");
        // the serial verbs
        AssertOneLineError(Run("monitor", "--port", PathIn("no-port")), "cannot open");
        AssertOneLineError(Run("monitor", "--port", PathIn("no-port"), "--frames", "-1"), "--frames must be a whole number");
        AssertOneLineError(Run("log", "--port", PathIn("no-port"), "--csv", dir), "is a directory");
        AssertOneLineError(Run("send", "--port", PathIn("no-port"), "STATUS"), "cannot open");
        AssertOneLineError(Run("send", "--port", PathIn("no-port"), "STATUS", "--timeout-ms", "NaN"), "--timeout-ms must be a whole number");
        AssertOneLineError(Run("bench", "faults", "--bogus", "1"), "unknown option --bogus");
        AssertOneLineError(Run("bench", "soc", "--scenario", PathIn("none.json")), "not found");
        AssertOneLineError(Run("bench", "soc", "--seeds", "0"), "--seeds must be a whole number from 1 to 100");
    }

    /// <summary>A response line as the board frames it: $body*CRC16.</summary>
    private static string Framed(string body)
    {
        var b = Encoding.ASCII.GetBytes(body);
        return "$" + body + "*" + Crc16.Compute(b, 0, b.Length).ToString("X4") + "\r\n";
    }

    /// <summary>A fake board on a pty: answers each command line with what <paramref name="answer"/> returns.</summary>
    private static Thread Board(PtySerialPort port, Func<string, string> answer, CancellationToken stop)
    {
        var t = new Thread(() =>
        {
            var line = new StringBuilder();
            var buf = new byte[256];
            while (!stop.IsCancellationRequested)
            {
                int n = port.Read(buf, 0, buf.Length);
                if (n == 0) { Thread.Sleep(2); continue; }
                foreach (char c in Encoding.ASCII.GetString(buf, 0, n))
                {
                    if (c == '\n') { var reply = Encoding.ASCII.GetBytes(answer(line.ToString().TrimEnd('\r'))); port.Write(reply, 0, reply.Length); line.Clear(); }
                    else line.Append(c);
                }
            }
        }) { IsBackground = true };
        t.Start();
        return t;
    }

    [Fact]
    public void SendDrainsStaleInputAndPrintsOnlyItsOwnResponse()
    {
        using var port = new PtySerialPort(PathIn("tel"));
        // A late answer to an earlier command is waiting when send starts.
        var stale = Encoding.ASCII.GetBytes(Framed("SBR," + LineProtocol.Version + ",OK,GET,cellOverVoltage.trip=9999,mV"));
        port.Write(stale, 0, stale.Length);
        using var stop = new CancellationTokenSource();
        Board(port, cmd => cmd switch
        {
            "GET cellOverVoltage.trip" => Framed("SBR," + LineProtocol.Version + ",OK,STATUS,state=idle") + Framed("SBR," + LineProtocol.Version + ",OK,GET,cellOverVoltage.trip=4300,mV"),
            "LOCK" => Framed("SBR," + LineProtocol.Version + ",OK,LOCK"),
            _ => Framed("SBR," + LineProtocol.Version + ",ERR,?,E01,unknown command"),
        }, stop.Token);
        var r = Run("send", "--port", PathIn("tel"), "GET cellOverVoltage.trip");
        var lockReply = Run("send", "--port", PathIn("tel"), "LOCK"); // a response with no field after the verb
        stop.Cancel();
        Assert.Equal(0, r.Exit);
        Assert.Contains("cellOverVoltage.trip=4300", r.Out);
        Assert.DoesNotContain("9999", r.Out);
        Assert.DoesNotContain("STATUS", r.Out);
        Assert.Equal(0, lockReply.Exit);
        Assert.StartsWith("$SBR," + LineProtocol.Version + ",OK,LOCK*", lockReply.Out);
    }

    [Fact]
    public void SendReadsADownloadItStartedToItsEnd()
    {
        using var port = new PtySerialPort(PathIn("tel2"));
        using var stop = new CancellationTokenSource();
        Board(port, cmd => cmd == "EVENTS"
            ? Framed("SBR," + LineProtocol.Version + ",OK,EVENTS,start,slots=2") + Framed("SBR," + LineProtocol.Version + ",OK,EV,1,0,1,0") + Framed("SBR," + LineProtocol.Version + ",OK,EV,2,100,8,0") + Framed("SBR," + LineProtocol.Version + ",OK,EVENTS,end,lines=2")
            : Framed("SBR," + LineProtocol.Version + ",ERR,?,E01,unknown command"), stop.Token);
        var r = Run("send", "--port", PathIn("tel2"), "EVENTS");
        stop.Cancel();
        Assert.Equal(0, r.Exit);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Contains(",OK,EVENTS,end,lines=2", lines[^1]);
    }
}

public class CliArgsRepeatTests
{
    [Fact]
    public void RepeatableOptionsKeepEveryValueAndSingleOnesGivenTwiceAreRefused()
    {
        var a = new CliArgs(new[] { "fit-cell", "--ocv", "a.csv", "--hppc", "h.csv", "--ocv", "b.csv", "--out", "x" }, 1, System.Array.Empty<string>());
        Assert.Equal(new[] { "a.csv", "b.csv" }, a.GetAll("ocv"));
        Assert.Equal(new[] { "h.csv" }, a.GetAll("hppc"));
        Assert.Equal("x", a.Get("out"));
        a.RejectUnknown();

        var b = new CliArgs(new[] { "sim", "--csv", "a", "--csv", "b" }, 1, System.Array.Empty<string>());
        Assert.Contains("given twice", Assert.Throws<UsageException>(() => b.Get("csv")).Message);
        var c = new CliArgs(new[] { "sim", "--quiet", "--quiet" }, 1, new[] { "quiet" });
        Assert.Throws<UsageException>(() => c.Flag("quiet"));
    }
}
