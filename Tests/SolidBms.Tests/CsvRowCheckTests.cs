using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace SolidBms.Tests;

/// <summary>
/// Issue 21 finding 7: replay, report and plot refuse a row whose field count differs from the header (a decimal comma
/// shifted replay's columns into a phantom trip; report and plot dropped the row silently) and values implausible for
/// their unit (mV for V, ms for s, K for C), with file:line: reason and exit 2.
/// </summary>
public sealed class CsvRowCheckTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("csvrows").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string P(string name) => Path.Combine(_dir, name);

    private static (int Exit, string Out, string Err) Cli(params string[] args) => ReplayTests.Cli(args);

    private (int Exit, string Out, string Err) Replay(string body)
    {
        File.WriteAllText(P("log.csv"), "time_s,current_a,v1,v2,t1,t2\n" + body);
        return Cli("replay", P("log.csv"), "--cell", "assb-lpscl-nmc811-li", "--csv", P("out.csv"), "--pressure-kpa", "1000");
    }

    private static void AssertRefused((int Exit, string Out, string Err) r, string expected)
    {
        Assert.True(r.Exit == 2, $"exit {r.Exit}: {r.Out} {r.Err}");
        Assert.StartsWith("error: ", r.Err);
        Assert.Contains(expected, r.Err);
        Assert.Single(r.Err.Trim().Split('\n'));
    }

    /// <summary>Rows at 10 Hz of 1.7 A discharge at 3.8 V, 25 C; <paramref name="timeScale"/> 1000 writes the times in ms.</summary>
    private static string Rows(int n, double timeScale = 1)
    {
        var sb = new StringBuilder();
        for (int k = 0; k < n; k++) sb.Append((k * 0.1 * timeScale).ToString("0.###", CultureInfo.InvariantCulture)).Append(",1.7,3.8,3.8,25,25\n");
        return sb.ToString();
    }

    [Fact]
    public void ReplayRefusesADecimalCommaInsteadOfShiftingColumns()
    {
        // "0,5" for 0.5 A: the row has 7 fields; read by position, v1 became 5 V (a phantom over-voltage).
        AssertRefused(Replay("0,0.5,3.8,3.8,25,25\n1,0.5,3.8,3.8,25,25\n2,0,5,3.8,3.8,25,25\n3,0.5,3.8,3.8,25,25\n"),
            "log.csv:4: 7 fields, the header has 6 (a decimal comma?");
        Assert.False(File.Exists(P("out.csv")));
    }

    [Theory]
    [InlineData("0,0.5,3800,3800,25,25\n1,0.5,3800,3800,25,25\n", "log.csv:2: v1 3800 is not a cell voltage in V (0 .. 10): millivolts?")]
    [InlineData("0,0.5,3.8,3.8,298.15,298.15\n1,0.5,3.8,3.8,298.15,298.15\n", "log.csv:2: t1 298.15 is not a temperature in C (-80 .. 200): kelvin?")]
    public void ReplayRefusesValuesInTheWrongUnit(string body, string expected) => AssertRefused(Replay(body), expected);

    [Fact]
    public void ReplayRefusesTimesInMilliseconds()
    {
        // 1.7 A for 100 "s" a row moves 0.0472 Ah: past twice the 3 Ah cell (6 Ah) at the 128th step (6.04 Ah), line 130.
        AssertRefused(Replay(Rows(300, 1000)), "log.csv:130: time_s: by this row the current has moved 6.04 Ah one way, more than twice the cell's 3 Ah ([cell] capacityAh): is time_s in milliseconds?");
        var ok = Replay(Rows(300)); // the same rows in seconds replay
        Assert.True(ok.Exit == 0, ok.Err);
    }

    /// <summary>A real run CSV of sim: 4 cells of 3 Ah, 25 min of 0.4C discharge (0.5 Ah: SOC falls about 0.17).</summary>
    private string SimCsv()
    {
        string scenario = P("s.json"), csv = P("run.csv");
        File.WriteAllText(scenario, """{ "name": "rows", "cells": 4, "initialSoc": 0.9, "segments": [ { "durationS": 1500, "currentA": 1.2 } ] }""");
        var r = Cli("sim", "--scenario", scenario, "--quiet", "--csv", csv, "--every", "10");
        Assert.True(r.Exit == 0, r.Err);
        return File.ReadAllText(csv);
    }

    private string Edited(string text, Func<string[], int, string[]> row)
    {
        var lines = text.TrimEnd('\n').Split('\n');
        var header = lines[0].Split(',');
        var sb = new StringBuilder(lines[0]).Append('\n');
        for (int k = 1; k < lines.Length; k++) sb.Append(string.Join(",", row(lines[k].Split(','), k))).Append('\n');
        string path = P("edited-" + Guid.NewGuid().ToString("N")[..6] + ".csv");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    [Fact]
    public void ReportAndPlotRefuseRowsWithAnotherFieldCountAndWrongUnits()
    {
        string text = SimCsv();
        var header = text[..text.IndexOf('\n')].Split(',');
        int current = Array.IndexOf(header, "current_a"), vmin = Array.IndexOf(header, "cell_v_min"), time = Array.IndexOf(header, "time_s");
        Assert.True(Cli("report", P("run.csv"), "--out", P("ok")).Exit == 0);

        // Row 3 (line 4) with a decimal comma in its current: dropped silently before, refused now.
        string comma = Edited(text, (f, k) => k == 3 ? f.Take(current).Append("3").Append("0").Concat(f.Skip(current + 1)).ToArray() : f);
        AssertRefused(Cli("report", comma, "--out", P("r1")), $"{comma}:4: {header.Length + 1} fields, the header has {header.Length} (a decimal comma?");
        AssertRefused(Cli("plot", comma, "--png", P("p1.png")), $"{comma}:4: {header.Length + 1} fields");

        string millivolts = Edited(text, (f, k) => { f[vmin] = (double.Parse(f[vmin], CultureInfo.InvariantCulture) * 1000).ToString(CultureInfo.InvariantCulture); return f; });
        AssertRefused(Cli("report", millivolts, "--out", P("r2")), $"{millivolts}:2: cell_v_min ");
        Assert.Contains("is not a cell voltage in V (0 .. 10): millivolts?", Cli("plot", millivolts, "--png", P("p2.png")).Err);

        // The same run with time_s in ms: 0.5 Ah per 0.17 of SOC becomes 500 Ah, a 3000 Ah cell.
        string ms = Edited(text, (f, k) => { f[time] = (double.Parse(f[time], CultureInfo.InvariantCulture) * 1000).ToString(CultureInfo.InvariantCulture); return f; });
        AssertRefused(Cli("report", ms, "--out", P("r3")), "time_s: the current moved");
        var plot = Cli("plot", ms, "--png", P("p3.png"));
        Assert.Equal(2, plot.Exit);
        Assert.Contains("is time_s in milliseconds? (seconds expected)", plot.Err);
    }
}
