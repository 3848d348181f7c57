using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using Xunit.Abstractions;
using S = SolidBms.Core.Protocol.SunSpecMap;

namespace SolidBms.Tests;

/// <summary>
/// The simulator discharging a 16-cell pack (BQ76952 board, 1.5 A) with no sensor noise, at half real time: each
/// Modbus request a client sends gets a tick of its own, so the test knows which tick served it and compares with
/// that tick's row of the run CSV. Without noise the firmware reads the simulated cells to the chip's 1 mV, so a
/// value one scale step off the CSV is a fault of the chain, not of the sensors.
/// </summary>
public sealed class SunSpecDischargeFixture : SimProcessFixture
{
    public SunSpecDischargeFixture() : base(Scenario(16, "bq76952-16s"), SunSpecRealClientTests.Speed, csv: true) { }

    public static string Scenario(int cells, string board) => $$"""
        { "name": "sunspec-discharge", "cells": {{cells}}, "board": "{{board}}", "initialSoc": 0.8,
          "sensorNoise": { "cellMv": 0, "currentA": 0, "tempC": 0, "pressureKpa": 0 },
          "segments": [ { "durationS": 3600, "currentA": 1.5 } ] }
        """;
}

/// <summary>
/// Real SunSpec clients on the simulator's Modbus pty (issue 22): Debian's python3-pymodbus as a scanner, and SunSpec's
/// own client pysunspec2 when its mirror is present. SoC, V, A and every cell voltage they read equal the run CSV's row
/// of the tick that served the request within one scale step; 1 and 32 cells on a test board of the test's own.
/// </summary>
public class SunSpecRealClientTests : IClassFixture<SunSpecDischargeFixture>
{
    /// <summary>Times real time: 200 ms of wall time per 100 ms tick, room for a reply and the next request.</summary>
    public const double Speed = 0.5;
    private const int TickMs = 100;

    private readonly SunSpecDischargeFixture _sim;
    private readonly ITestOutputHelper _out;

    public SunSpecRealClientTests(SunSpecDischargeFixture sim, ITestOutputHelper output)
    {
        _sim = sim;
        _out = output;
    }

    /// <summary>Runs a client script with Debian's interpreter; its JSON output.</summary>
    private static JsonElement RunPython(string script, string[] args, string pythonPath = null)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(Repo.Root, "Tests/SolidBms.Tests/Clients", script));
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (pythonPath != null) psi.Environment["PYTHONPATH"] = pythonPath;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60000)) { p.Kill(entireProcessTree: true); throw new TimeoutException(script + " did not finish in 60 s"); }
        Assert.True(p.ExitCode == 0, script + ": " + stdout.Result + stderr.Result);
        return JsonDocument.Parse(stdout.Result).RootElement.Clone();
    }

    /// <summary>
    /// A client's requests as sent (function, address, count) and the firmware time of the first (the time read):
    /// request k was served by the tick at t0 + k ticks, which the second time read confirms; a run where the client
    /// missed a tick (a loaded machine) is run again, up to four times.
    /// </summary>
    public static (JsonElement Out, long T0, int[][] Sent) OnKnownTicks(Func<JsonElement> run)
    {
        for (int attempt = 1; ; attempt++)
        {
            var o = run();
            var sent = o.GetProperty("sent").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
            var time = o.GetProperty("timeMs").EnumerateArray().Select(v => v.GetInt64()).ToArray();
            int second = Array.FindLastIndex(sent, r => r[0] == 4 && r[1] == 12);
            Assert.True(sent[0][0] == 4 && sent[0][1] == 12 && second > 0, "the client reads the time first and after the chain");
            if (time[1] - time[0] == (long)second * TickMs) return (o, time[0], sent);
            Assert.True(attempt < 4, $"the client's requests did not land on consecutive ticks in 4 runs ({time[0]}..{time[1]} ms over {second} requests)");
        }
    }

    /// <summary>Firmware time of the tick that served the last holding read covering <paramref name="register"/>.</summary>
    public static long TickOf(int[][] sent, long t0, int register)
    {
        int k = Array.FindLastIndex(sent, r => r[0] == 3 && register >= r[1] && register < r[1] + r[2]);
        Assert.True(k >= 0, $"no request read register {register}");
        return t0 + (long)k * TickMs;
    }

    /// <summary>
    /// Waits until the run CSV shows the pack discharging (the contactor closed after precharge): a client started at once
    /// on a loaded machine could otherwise read the chain before the current flows, and A would rightly be 0.
    /// </summary>
    public static void WaitForDischarge(string csvPath)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var lines = File.Exists(csvPath) ? File.ReadAllLines(csvPath) : Array.Empty<string>();
            if (lines.Length > 1)
            {
                int col = Array.IndexOf(lines[0].Split(','), "current_a");
                var last = lines[^1].Split(',');
                if (col >= 0 && last.Length > col && double.TryParse(last[col], NumberStyles.Float, CultureInfo.InvariantCulture, out double a) && a > 1.4) return;
            }
            Assert.True(sw.Elapsed.TotalSeconds < 60, "the simulated pack did not start discharging within 60 s");
            Thread.Sleep(250);
        }
    }

    /// <summary>The run CSV's rows by firmware time (ms), read once the rows needed have been written (whole rows, each wall second).</summary>
    public sealed class RunCsv
    {
        private readonly Dictionary<string, int> _column = new();
        private readonly Dictionary<long, string[]> _rows = new();

        public RunCsv(string path, long untilMs)
        {
            var sw = Stopwatch.StartNew();
            while (true)
            {
                var lines = File.ReadAllLines(path);
                var header = lines[0].Split(',');
                for (int i = 0; i < header.Length; i++) _column[header[i]] = i;
                foreach (var line in lines.Skip(1))
                {
                    var f = line.Split(',');
                    _rows[(long)Math.Round(double.Parse(f[0], CultureInfo.InvariantCulture) * 1000)] = f;
                }
                if (_rows.ContainsKey(untilMs)) return;
                Assert.True(sw.Elapsed.TotalSeconds < 15, $"the run CSV has no row for t = {untilMs} ms");
                Thread.Sleep(250);
            }
        }

        public double Get(long timeMs, string column)
        {
            Assert.True(_rows.TryGetValue(timeMs, out var row), $"no CSV row for t = {timeMs} ms");
            return double.Parse(row[_column[column]], CultureInfo.InvariantCulture);
        }
    }

    private static double Pow10(int raw) => Math.Pow(10, (short)raw);

    /// <summary>|read - csv| within one scale step (the CSV's own rounding is far below it).</summary>
    private static void WithinOneStep(double csv, double read, double step, string what) =>
        Assert.True(Math.Abs(read - csv) <= step * (1 + 1e-6), $"{what}: read {read}, CSV {csv}, step {step}");

    /// <summary>The layout of a 16-cell chain (registers of the points by name).</summary>
    private static int Register(int id, string name)
    {
        var map = new ProtocolRig(16, warmupTicks: 1).Endpoint.Modbus.Map.SunSpec;
        return map.PointRegister(SunSpecTests.Point(map, id, name));
    }

    [Fact]
    public void PymodbusReadsSocVoltageCurrentAndEveryCellAsTheRunCsvOfTheSameTick()
    {
        WaitForDischarge(_sim.Csv);
        var (o, t0, sent) = OnKnownTicks(() => RunPython("sunspec_pymodbus.py", new[] { _sim.Modbus, "16" }));
        var chain = o.GetProperty("chain").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var models = SunSpecTests.Walk(chain);
        Assert.Equal(new[] { (1, 66), (802, 62), (805, 42 + 4 * 16) }, models.Select(m => (m.Id, m.L)));
        int R(int id, string name) => chain[Register(id, name) - S.Base];
        long T(int id, string name) => TickOf(sent, t0, Register(id, name));
        var csv = new RunCsv(_sim.Csv, sent.Length * TickMs + t0);

        double socSf = Pow10(R(802, "SoC_SF")), vSf = Pow10(R(802, "V_SF")), aSf = Pow10(R(802, "A_SF")), cellSf = Pow10(R(805, "CellV_SF"));
        long tA = T(802, "A");
        Assert.True(csv.Get(tA, "current_a") > 1.4, "the pack discharges"); // A is not 0
        WithinOneStep(csv.Get(T(802, "SoC"), "soc_est") * 100, R(802, "SoC") * socSf, socSf, "802 SoC, %");
        long tV = T(802, "V");
        WithinOneStep(Enumerable.Range(1, 16).Sum(i => csv.Get(tV, "v" + i)), R(802, "V") * vSf, vSf, "802 V");
        WithinOneStep(csv.Get(tA, "current_a"), (short)R(802, "A") * aSf, aSf, "802 A");
        int firstCell = models[2].Offset + 2 + 42;
        for (int i = 0; i < 16; i++)
            WithinOneStep(csv.Get(TickOf(sent, t0, S.Base + firstCell + 4 * i), "v" + (i + 1)), chain[firstCell + 4 * i] * cellSf, cellSf, $"805 CellV {i + 1}");
        _out.WriteLine($"pymodbus: {sent.Length} requests from t = {t0} ms; SoC {R(802, "SoC") * socSf:0.0} %, V {R(802, "V") * vSf:0.00}, A {(short)R(802, "A") * aSf:0.0}");
    }

    [PySunSpec2Fact]
    public void Pysunspec2ScanFindsTheModelsWithoutErrorAndReadsTheRunCsv()
    {
        using var client = new PySunSpec2();
        WaitForDischarge(_sim.Csv);
        var (o, t0, sent) = OnKnownTicks(() => RunPython("sunspec_pysunspec2.py", new[] { _sim.Modbus, client.ModelsDir }, client.PythonPath));
        var models = o.GetProperty("models").EnumerateArray().ToArray();
        Assert.Equal(new[] { (1, 40002, 66), (802, 40070, 62), (805, 40134, 42 + 4 * 16) },
            models.Select(m => (m.GetProperty("id").GetInt32(), m.GetProperty("addr").GetInt32(), m.GetProperty("len").GetInt32())));
        foreach (var m in models) Assert.Equal("", m.GetProperty("error_info").GetString());
        Assert.Equal("SolidBms", o.GetProperty("mn").GetString());
        Assert.Equal("bq76952-16s", o.GetProperty("md").GetString());
        Assert.Equal(16, o.GetProperty("ncell").GetInt32());
        long T(int id, string name) => TickOf(sent, t0, Register(id, name));
        var csv = new RunCsv(_sim.Csv, sent.Length * TickMs + t0);
        Assert.True(csv.Get(T(802, "A"), "current_a") > 1.4, "the pack discharges");
        WithinOneStep(csv.Get(T(802, "SoC"), "soc_est") * 100, o.GetProperty("soc").GetDouble(), 0.1, "802 SoC, %");
        long tV = T(802, "V");
        WithinOneStep(Enumerable.Range(1, 16).Sum(i => csv.Get(tV, "v" + i)), o.GetProperty("v").GetDouble(), 0.01, "802 V");
        WithinOneStep(csv.Get(T(802, "A"), "current_a"), o.GetProperty("a").GetDouble(), 0.1, "802 A");
        var cellV = o.GetProperty("cellV").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(16, cellV.Length);
        int firstCell = Register(805, "Tmp_SF") + 1;
        for (int i = 0; i < 16; i++)
            WithinOneStep(csv.Get(TickOf(sent, t0, firstCell + 4 * i), "v" + (i + 1)), cellV[i], 0.001, $"805 CellV {i + 1}");
        _out.WriteLine($"pysunspec2: {sent.Length} requests ({string.Join(" ", sent.Select(r => $"{r[0]}:{r[1]}x{r[2]}"))}); error_info empty for 1, 802, 805");
    }

    /// <summary>An analog test board of <paramref name="cells"/> cells with a 16-bit converter (0.2 mV per count at the cell) and a serial number.</summary>
    public static string TestBoard(int cells, string name)
    {
        string Channels(int from, int n) => string.Join(", ", Enumerable.Range(from, n));
        return $"""
            [board]
            name = {name}
            description = {cells}-cell analog test board (SunSpec tests)
            tickMs = 100
            cell = assb-lpscl-nmc811-li
            profile = assb-sulfide-li-metal
            watchdogTimeoutMs = 1000
            serialNumber = SB-TEST-{cells:0000}
            [telemetry]
            uart = 1
            baud = 115200
            periodMs = 1000
            [modbus]
            uart = 2
            baud = 115200
            address = 1
            [security]
            deviceKey = sim-analog-16-bench
            [adc]
            maxCounts = 65535
            channels = {2 * cells + 3}
            oversample = 1
            millivoltsPerCount = 0.1
            [cells]
            count = {cells}
            wiring = differential
            adcChannels = {Channels(0, cells)}
            dividerRatios = {string.Join(", ", Enumerable.Repeat("2", cells))}
            [thermistors]
            adcChannels = {Channels(cells, cells)}
            part = NCP15XH103F03RC
            pullupOhm = 10000
            supplyMillivolts = 3300
            [current]
            adcChannel = {2 * cells}
            zeroMillivolts = 1650
            millivoltsPerAmp = 100
            [pressure]
            adcChannels = {2 * cells + 1}
            zeroMillivolts = 200
            millivoltsPerNewton = 0.099
            pressedAreaCm2 = 100
            [outputs]
            mainContactorPin = 25
            chargeEnablePin = 26
            dischargeEnablePin = 27
            alarmPin = 2
            prechargePin = 14
            [link]
            adcChannel = {2 * cells + 2}
            dividerRatio = 40
            [contactor]
            prechargeTimeoutMs = 3000
            prechargeMatchPercent = 95
            weldCheckMs = 500
            """;
    }

    /// <summary>1 and 32 cells read by pymodbus: 805's length, the end marker's place, NCell, SN and the last cell against the CSV.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    public void OneAndThirtyTwoCellsAreReadWhole(int cells)
    {
        string board = $"test-analog-{cells}";
        using var sim = SimProcessFixture.Start(SunSpecDischargeFixture.Scenario(cells, board), Speed, csv: true, boardName: board, boardText: TestBoard(cells, board));
        WaitForDischarge(sim.Csv);
        var (o, t0, sent) = OnKnownTicks(() => RunPython("sunspec_pymodbus.py", new[] { sim.Modbus, cells.ToString() }));
        var chain = o.GetProperty("chain").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var models = SunSpecTests.Walk(chain); // ends exactly at the end marker
        Assert.Equal(new[] { (1, 66), (802, 62), (805, 42 + 4 * cells) }, models.Select(m => (m.Id, m.L)));
        int end = 2 + 68 + 64 + 44 + 4 * cells;
        Assert.Equal((0xFFFF, 0), (chain[end], chain[end + 1]));
        Assert.Equal(end + 2, chain.Length);
        Assert.True((chain.Length + 124) / 125 <= 4, "a reader that knows the length needs at most 4 reads of 125 (a scanner walking the headers, as here, a few more)");
        int b = models[2].Offset + 2;
        Assert.Equal(cells, chain[b + 2]); // NCell
        string sn = new string(Enumerable.Range(0, 32).Select(i => (char)(i % 2 == 0 ? chain[52 + i / 2] >> 8 : chain[52 + i / 2] & 0xFF)).ToArray()).TrimEnd('\0');
        Assert.Equal($"SB-TEST-{cells:0000}", sn);
        var csv = new RunCsv(sim.Csv, sent.Length * TickMs + t0);
        int last = b + 42 + 4 * (cells - 1);
        long tick = TickOf(sent, t0, S.Base + last);
        Assert.True(csv.Get(tick, "current_a") > 1.4, "the pack discharges");
        double cellSf = Pow10(chain[b + 40]); // 805 CellV_SF
        Assert.Equal(0.001, cellSf, 9);
        WithinOneStep(csv.Get(tick, "v" + cells), chain[last] * cellSf, cellSf, $"805 CellV {cells} (last)");
        Assert.Equal(0xFFFF, chain[last + 2]); // its CellSt, not implemented, then the end marker
        _out.WriteLine($"{cells} cells: chain of {chain.Length} registers in {sent.Count(r => r[0] == 3)} scanner requests; end marker at {S.Base + end}");
    }
}

/// <summary>
/// SunSpec's Python client pysunspec2 and the sunspec/models definitions, when present: SOLIDBMS_PYSUNSPEC2 (a checkout,
/// the directory holding sunspec2/) and SOLIDBMS_SUNSPEC_MODELS (a directory of model_*.json), else the fetched git mirrors,
/// whose trees are exported for the test's run to a temporary directory and deleted after (nothing kept in this repository).
/// </summary>
public sealed class PySunSpec2FactAttribute : FactAttribute
{
    public const string Mirror = "/work/.mirror/sunspec+pysunspec2/repo";

    public PySunSpec2FactAttribute()
    {
        if (Environment.GetEnvironmentVariable("SOLIDBMS_PYSUNSPEC2") is not { } dir ? !Directory.Exists(Mirror) || !File.Exists("/usr/bin/git") : !Directory.Exists(Path.Combine(dir, "sunspec2")))
            Skip = $"no pysunspec2: set SOLIDBMS_PYSUNSPEC2 to a checkout of sunspec/pysunspec2, or fetch its mirror to {Mirror}";
        else if (Environment.GetEnvironmentVariable("SOLIDBMS_SUNSPEC_MODELS") == null && !Directory.Exists(SunSpecModelsFactAttribute.Mirror))
            Skip = $"no SunSpec model definitions: set SOLIDBMS_SUNSPEC_MODELS to sunspec/models' json/, or fetch its mirror to {SunSpecModelsFactAttribute.Mirror}";
    }
}

/// <summary>Where pysunspec2 and the model definitions are for one test (exported from the mirrors when no checkout is named).</summary>
public sealed class PySunSpec2 : IDisposable
{
    private readonly string _temp;

    public PySunSpec2()
    {
        PythonPath = Environment.GetEnvironmentVariable("SOLIDBMS_PYSUNSPEC2");
        ModelsDir = Environment.GetEnvironmentVariable("SOLIDBMS_SUNSPEC_MODELS");
        if (PythonPath != null && ModelsDir != null) return;
        _temp = Path.Combine(Path.GetTempPath(), "solidbms-pysunspec2-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_temp);
        if (PythonPath == null) PythonPath = Export(PySunSpec2FactAttribute.Mirror, "sunspec2", "py");
        if (ModelsDir == null) ModelsDir = Path.Combine(Export(SunSpecModelsFactAttribute.Mirror, "json", "models"), "json");
    }

    public string PythonPath { get; }
    public string ModelsDir { get; }

    /// <summary>git archive of one tree of a mirror, unpacked into the temporary directory.</summary>
    private string Export(string gitDir, string tree, string into)
    {
        string dest = Path.Combine(_temp, into);
        Directory.CreateDirectory(dest);
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in new[] { "-c", "git --git-dir=\"$1\" archive HEAD \"$2\" | tar -x -C \"$3\"", "sh", gitDir, tree, dest }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"exporting {tree} from {gitDir}: {err}");
        return dest;
    }

    public void Dispose()
    {
        if (_temp != null) try { Directory.Delete(_temp, recursive: true); } catch (IOException) { }
    }
}
