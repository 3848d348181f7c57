using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using SolidBms.Cli;
using SolidBms.Core.Config;
using SolidBms.Simulator.Replay;
using SolidBms.Simulator.Run;

namespace SolidBms.Tests;

/// <summary>solidbms replay: recorded measurements through the firmware's loop; gaps are sensor faults; bad rows refuse the file.</summary>
public sealed class ReplayTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("replay").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string P(string name) => Path.Combine(_dir, name);

    [Fact]
    public void Replaying_a_sim_run_reproduces_its_soc_estimate_and_decisions()
    {
        var json = """
        { "name": "replay-src", "cells": 4, "initialSoc": 0.8, "seed": 3,
          "segments": [ { "durationS": 30, "rest": true }, { "durationS": 1500, "cycle": "udds", "peakA": 2.0 } ] }
        """;
        var sim = new ScenarioRunner(Repo.Scenario(json), Repo.Files);
        var simCsv = new MemoryStream();
        sim.Run(simCsv, 1);
        var simRows = Rows(Encoding.ASCII.GetString(simCsv.ToArray()));
        // The log a rig would have: the sim CSV's columns plus its stack pressure as p1.
        string[] head = simRows[0];
        var log = new StringBuilder(string.Join(",", head) + ",p1\n");
        int pi = Array.IndexOf(head, "pressure_kpa");
        foreach (var r in simRows.Skip(1)) log.Append(string.Join(",", r)).Append(',').Append(r[pi]).Append('\n');
        File.WriteAllText(P("log.csv"), log.ToString());

        var (code, stdout, stderr) = Cli("replay", P("log.csv"), "--cell", "assb-lpscl-nmc811-li", "--csv", P("out.csv"));
        Assert.True(code == 0, stderr);
        var outRows = Rows(File.ReadAllText(P("out.csv")));
        Assert.Equal(simRows.Count, outRows.Count);
        int se = Array.IndexOf(head, "soc_est"), oe = Array.IndexOf(outRows[0], "soc_est");
        int ss = Array.IndexOf(head, "state"), os = Array.IndexOf(outRows[0], "state");
        double maxDiff = 0;
        int sameState = 0;
        for (int k = 1; k < simRows.Count; k++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(D(simRows[k][se]) - D(outRows[k][oe])));
            if (simRows[k][ss] == outRows[k][os]) sameState++;
        }
        // The sim's firmware saw noisy readings, the log holds the true ones rounded to 0.1 mV: close, not identical.
        Assert.True(maxDiff < 0.005, $"SOC estimate differs by up to {maxDiff * 100:0.00} points");
        Assert.True(sameState > 0.98 * (simRows.Count - 1), $"state agrees on {sameState} of {simRows.Count - 1} ticks");
        foreach (var col in new[] { "time_s", "current_a", "soc_est", "state", "faults", "charge_limit_a", "discharge_limit_a", "r0_growth_pct_max" })
            Assert.Contains(col, outRows[0]);
    }

    [Fact]
    public void A_gap_longer_than_the_qualification_time_is_a_sensor_fault_a_short_one_is_not()
    {
        var profile = LimitProfile.Load(Repo.Read("board/profiles/assb-sulfide-li-metal.profile"), "p");
        Assert.Equal(500, profile.SensorFaultQualifyMs);
        // 1 s rows; a 1.2 s step is jitter, a 3 s hole leaves 1.5 s without a fresh row (> 500 ms): a fault.
        string Log(double holeAt, double holeS)
        {
            var sb = new StringBuilder("time_s,current_a,v1,v2,t1,t2,p1\n");
            for (double t = 0; t <= 120; t += 1)
            {
                double ts = t >= holeAt ? t + holeS : t;
                sb.Append(string.Format(CultureInfo.InvariantCulture, "{0},0.5,3.80,3.80,25,25,1000\n", ts));
            }
            return sb.ToString();
        }
        File.WriteAllText(P("jitter.csv"), Log(60, 0.2));
        File.WriteAllText(P("hole.csv"), Log(60, 2.0));
        Assert.Equal("none", FirstFault("jitter.csv"));
        Assert.StartsWith("sensor", FirstFault("hole.csv"));
    }

    [Fact]
    public void An_empty_field_is_a_missing_reading_of_that_sensor_a_fault_only_when_it_lasts()
    {
        // At 0.1 s rows one empty field is 100 ms without the reading (under the 500 ms qualification); at 1 s rows it is 1 s.
        string Log(double stepS)
        {
            var sb = new StringBuilder("time_s,current_a,v1,v2,t1,t2,p1\n");
            for (int k = 0; k <= 600; k++)
                sb.Append((k * stepS).ToString(CultureInfo.InvariantCulture)).Append(k == 300 ? ",0.5,3.80,,25,25,1000\n" : ",0.5,3.80,3.80,25,25,1000\n");
            return sb.ToString();
        }
        File.WriteAllText(P("fast.csv"), Log(0.1));
        File.WriteAllText(P("slow.csv"), Log(1.0));
        Assert.True(float.IsNaN(ReplayLog.Read(P("fast.csv")).CellMillivolts[300][1]));
        Assert.Equal("none", FirstFault("fast.csv"));
        Assert.StartsWith("sensorCellVoltage", FirstFault("slow.csv"));
    }

    [Theory]
    [InlineData("0,0.5,3.8,3.8,25,25\n1,0.5,3.8,abc,25,25\n", "bad.csv:3: v2 'abc' is not a number")]
    [InlineData("0,0.5,3.8,3.8,25,25\n2,0.5,3.8,3.8,25,25\n1,0.5,3.8,3.8,25,25\n", "bad.csv:4: time_s 1 does not increase (previous row 2)")]
    [InlineData("0,0.5,3.8,3.8,25,25\n1,0.5,3.8\n", "bad.csv:3: 3 fields, the header has 6")]
    [InlineData(",0.5,3.8,3.8,25,25\n1,0.5,3.8,3.8,25,25\n", "bad.csv:2: time_s is empty")]
    public void Bad_rows_refuse_the_file_with_file_line_and_reason(string rows, string error)
    {
        File.WriteAllText(P("bad.csv"), "time_s,current_a,v1,v2,t1,t2\n" + rows);
        var (code, _, stderr) = Cli("replay", P("bad.csv"), "--cell", "assb-lpscl-nmc811-li", "--csv", P("out.csv"), "--pressure-kpa", "1000");
        Assert.Equal(2, code);
        Assert.Equal("error: " + error, stderr.Trim());
        Assert.False(File.Exists(P("out.csv")));
    }

    [Fact]
    public void A_log_without_pressure_needs_the_pressure_to_assume()
    {
        File.WriteAllText(P("nop.csv"), "time_s,current_a,v1,t1\n0,0,3.8,25\n1,0,3.8,25\n");
        var (code, _, stderr) = Cli("replay", P("nop.csv"), "--cell", "assb-lpscl-nmc811-li", "--csv", P("out.csv"));
        Assert.Equal(2, code);
        Assert.Contains("nop.csv:1: no stack pressure columns", stderr);
        (code, _, stderr) = Cli("replay", P("nop.csv"), "--cell", "assb-lpscl-nmc811-li", "--csv", P("out.csv"), "--pressure-kpa", "1000");
        Assert.True(code == 0, stderr);
    }

    private string FirstFault(string file)
    {
        var (code, stdout, stderr) = Cli("replay", P(file), "--cell", "assb-lpscl-nmc811-li", "--csv", P(file + ".out"));
        Assert.True(code == 0, stderr);
        return FirstFaultIn(stdout);
    }

    /// <summary>The first fault a replay summary names: "none" or "name:level at T s".</summary>
    internal static string FirstFaultIn(string stdout)
    {
        string line = stdout.Split('\n').First(l => l.StartsWith("faults now:"));
        return line[(line.IndexOf("first: ", StringComparison.Ordinal) + 7)..].Trim();
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    internal static System.Collections.Generic.List<string[]> Rows(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();

    internal static (int Code, string Stdout, string Stderr) Cli(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }
}
