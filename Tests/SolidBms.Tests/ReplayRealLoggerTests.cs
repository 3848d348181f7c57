using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using SolidBms.Simulator.Replay;

namespace SolidBms.Tests;

/// <summary>
/// solidbms replay on logs as cyclers write them (issue 19, item 5): 10 Hz with jitter and 1-2 s hiccups, 1 Hz, no
/// temperature columns, test times weeks in. The gap rule: a row is held until the next one when that follows within
/// less than the sensor fault qualification time; a longer gap is Stale after the usual hold and trips as before.
/// </summary>
public sealed class ReplayRealLoggerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("replay-loggers").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string P(string name) => Path.Combine(_dir, name);

    [Theory]
    [InlineData(2000, 1.5)] // a cycler's hiccup, under a profile that waits 2 s for a sensor
    [InlineData(500, 0.4)]  // the shipped profile: before the rule, each such gap had 2-3 stale ticks
    public void A_jittered_10_Hz_log_with_gaps_under_the_qualification_time_has_no_stale_tick_and_no_fault(int qualifyMs, double gapS)
    {
        string log = CyclerLog("j10.csv", 0.1, 3000, new Dictionary<int, double> { [700] = gapS, [1500] = gapS, [2300] = gapS });
        var (stdout, stale, first) = Replay(log, qualifyMs);
        Assert.Equal(0, stale);
        Assert.Contains(string.Format(CultureInfo.InvariantCulture, "gaps held to the next row: 3 (longest {0} s)", gapS), stdout);
        Assert.Equal("none", first);
        // No reading reached the firmware as missing: every output row has the cell's voltage and the current.
        var rows = ReplayTests.Rows(File.ReadAllText(log + ".out"));
        int v1 = Array.IndexOf(rows[0], "v1"), ia = Array.IndexOf(rows[0], "current_a");
        Assert.All(rows.Skip(1), r => Assert.True(r[v1].Length > 0 && r[ia].Length > 0, $"no reading at {r[0]} s"));
    }

    [Theory]
    [InlineData(2000, 3.0)]
    [InlineData(500, 1.5)]
    public void A_gap_longer_than_the_qualification_time_is_still_a_sensor_fault(int qualifyMs, double gapS)
    {
        string log = CyclerLog("gap.csv", 0.1, 3000, new Dictionary<int, double> { [1500] = gapS });
        double gapStartS = ReplayLog.Read(log).TimeS[1500];
        var (_, stale, first) = Replay(log, qualifyMs);
        Assert.True(stale > 0);
        Assert.StartsWith("sensorCellVoltage:trip at ", first);
        // Raised inside the gap, after a whole qualification time of Stale readings.
        double at = double.Parse(first["sensorCellVoltage:trip at ".Length..].Replace(" s", ""), CultureInfo.InvariantCulture);
        Assert.InRange(at, gapStartS + qualifyMs / 1000.0, gapStartS + gapS);
    }

    [Fact]
    public void A_1_Hz_log_replays_without_sensor_faults_and_says_when_its_rows_are_further_apart_than_the_qualification_time()
    {
        string log = CyclerLog("j1.csv", 1.0, 600);
        var (stdout, stale, first) = Replay(log, 500);
        Assert.Equal(0, stale);
        Assert.Equal("none", first);
        Assert.Matches(@"note: rows every (0\.99\d*|1(\.00\d*)?) s are further apart than the sensor fault qualification time \(500 ms", stdout);

        // One empty voltage field stands for a whole second: a fault under the shipped 500 ms (the note says why), none under 2 s.
        var lines = File.ReadAllLines(log);
        var f = lines[301].Split(',');
        f[Array.IndexOf(lines[0].Split(','), "v1")] = "";
        lines[301] = string.Join(",", f);
        File.WriteAllLines(P("j1-empty.csv"), lines);
        (stdout, _, first) = Replay(P("j1-empty.csv"), 500);
        Assert.StartsWith("sensorCellVoltage:trip", first);
        Assert.Contains("note: rows every ", stdout);
        (stdout, stale, first) = Replay(P("j1-empty.csv"), 2000);
        Assert.Equal((0, "none"), (stale, first));
        Assert.DoesNotContain("note:", stdout);
    }

    [Fact]
    public void Temperature_c_is_every_cell_temperature_of_a_log_without_temperature_columns()
    {
        string log = CyclerLog("notemp.csv", 0.1, 1200, temperatures: false);
        var (code, _, stderr) = ReplayTests.Cli("replay", log, "--cell", "assb-lpscl-nmc811-li", "--csv", P("out.csv"), "--pressure-kpa", "1000");
        Assert.Equal(2, code);
        Assert.Equal("error: notemp.csv:1: no cell temperature columns t1..t1: give the temperature every cell is taken to read (--temperature-c)", stderr.Trim());

        var (_, _, cold) = Replay(log, 500, "--temperature-c", "8");
        var coldRows = ReplayTests.Rows(File.ReadAllText(log + ".out"));
        var (_, _, warm) = Replay(log, 500, "--temperature-c", "25");
        var warmRows = ReplayTests.Rows(File.ReadAllText(log + ".out"));
        Assert.Equal(("none", "none"), (cold, warm));
        int t1 = Array.IndexOf(coldRows[0], "t1"), tmin = Array.IndexOf(coldRows[0], "temp_min_c"), chg = Array.IndexOf(coldRows[0], "charge_limit_a");
        Assert.All(coldRows.Skip(1), r => Assert.Equal(("8.00", "8.00"), (r[t1], r[tmin])));
        // The firmware acted on it: 8 C is in the profile's cold charge derating (0.33 at 5 C, 0.6 at 10 C), 25 C is not.
        double coldLimit = double.Parse(coldRows[^1][chg], CultureInfo.InvariantCulture), warmLimit = double.Parse(warmRows[^1][chg], CultureInfo.InvariantCulture);
        Assert.True(coldLimit < 0.7 * warmLimit, $"charge limit {coldLimit} A at 8 C, {warmLimit} A at 25 C");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-41")]
    [InlineData("125.5")]
    [InlineData("NaN")]
    [InlineData("-40", true)]
    [InlineData("125", true)]
    public void Temperature_c_outside_minus_40_to_125_is_refused(string value, bool accepted = false)
    {
        string log = CyclerLog("notemp.csv", 0.1, 100, temperatures: false);
        var (code, _, stderr) = ReplayTests.Cli("replay", log, "--cell", "assb-lpscl-nmc811-li", "--csv", P("out.csv"), "--pressure-kpa", "1000", "--temperature-c", value);
        if (accepted) { Assert.True(code == 0, stderr); return; }
        Assert.Equal(2, code);
        Assert.Equal("error: --temperature-c must be a number from -40 to 125 (C)", stderr.Trim());
        Assert.False(File.Exists(P("out.csv")));
    }

    [Fact]
    public void Temperature_c_with_a_log_that_has_temperature_columns_is_refused()
    {
        string log = CyclerLog("temp.csv", 0.1, 100);
        var (code, _, stderr) = ReplayTests.Cli("replay", log, "--cell", "assb-lpscl-nmc811-li", "--csv", P("out.csv"), "--pressure-kpa", "1000", "--temperature-c", "20");
        Assert.Equal(2, code);
        Assert.Equal("error: temp.csv:1: the log has temperature columns t1..t1; --temperature-c is only for a log without them", stderr.Trim());
        Assert.False(File.Exists(P("out.csv")));
    }

    [Fact]
    public void A_cycler_clock_weeks_into_a_test_keeps_its_tenth_of_a_second_rows()
    {
        // 3e6 s (35 days) of test time: as a float, rows 0.1 s apart there would not increase.
        string log = CyclerLog("late.csv", 0.1, 600, offsetS: 3_000_000);
        Assert.Equal(0.1, ReplayLog.Read(log).MedianStepS, 3);
        var (_, stale, first) = Replay(log, 500);
        Assert.Equal((0, "none"), (stale, first));
    }

    /// <summary>
    /// A cycler log of one cell from <see cref="SyntheticCycler"/> (1 A discharge and rest in turns of 60 s, from 80 %
    /// SOC): rows about stepS apart with +-1 % jitter, except the given steps (row index -> s to the next row), in
    /// replay's columns (v1, and t1 unless <paramref name="temperatures"/> is false; no pressure).
    /// </summary>
    private string CyclerLog(string name, double stepS, int rows, IDictionary<int, double> gaps = null, bool temperatures = true, double offsetS = 0)
    {
        var rng = new Random(7);
        var cycler = new SyntheticCycler();
        for (int k = 0; k < rows - 1; k++)
        {
            double dt = gaps != null && gaps.TryGetValue(k, out double g) ? g : stepS * (1 + 0.01 * (2 * rng.NextDouble() - 1));
            cycler.Hold((int)(k * stepS / 60) % 2 == 0 ? 1.0 : 0, dt, dt);
        }
        var lines = File.ReadAllLines(cycler.Write(P(name), 0.8));
        // fit-cell's columns: voltage_v is the cell's v1; temperature_c is t1 only when the log is to carry temperatures.
        lines[0] = lines[0].Replace("voltage_v", "v1");
        if (temperatures) lines[0] = lines[0].Replace("temperature_c", "t1");
        if (offsetS != 0)
            for (int k = 1; k < lines.Length; k++)
            {
                int comma = lines[k].IndexOf(',');
                double t = double.Parse(lines[k][..comma], CultureInfo.InvariantCulture) + offsetS;
                lines[k] = t.ToString("0.###", CultureInfo.InvariantCulture) + lines[k][comma..];
            }
        File.WriteAllLines(P(name), lines);
        return P(name);
    }

    /// <summary>The shipped profile with <c>[sensors] faultQualifyMs</c> set to <paramref name="qualifyMs"/>.</summary>
    private string Profile(int qualifyMs)
    {
        string shipped = Repo.Read("board/profiles/assb-sulfide-li-metal.profile");
        string text = shipped.Replace("faultQualifyMs = 500", "faultQualifyMs = " + qualifyMs.ToString(CultureInfo.InvariantCulture));
        Assert.True(qualifyMs == 500 || text != shipped, "the shipped profile no longer has faultQualifyMs = 500");
        string path = P($"q{qualifyMs}.profile");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Replays <paramref name="log"/> (output next to it) under the qualification time; the summary, its stale ticks and first fault.</summary>
    private (string Stdout, int Stale, string FirstFault) Replay(string log, int qualifyMs, params string[] extra)
    {
        var args = new List<string> { "replay", log, "--cell", "assb-lpscl-nmc811-li", "--csv", log + ".out", "--profile", Profile(qualifyMs), "--pressure-kpa", "1000" };
        args.AddRange(extra);
        var (code, stdout, stderr) = ReplayTests.Cli(args.ToArray());
        Assert.True(code == 0, stderr);
        var stale = Regex.Match(stdout, @"ticks without a fresh row \(gaps\): (\d+)");
        Assert.True(stale.Success, stdout);
        return (stdout, int.Parse(stale.Groups[1].Value, CultureInfo.InvariantCulture), ReplayTests.FirstFaultIn(stdout));
    }
}
