using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using SolidBms.Cli;
using SolidBms.Cli.Serial;
using Xunit.Abstractions;
using M = SolidBms.Core.Protocol.ModbusRegisterMap;

namespace SolidBms.Tests;

/// <summary>
/// The simulator as a process serving Modbus RTU and the line protocol on pseudo-terminals, read by
/// third-party mbpoll (Debian's package, installed by scripts/install-deps.sh) and by the CLI's own verbs.
/// mbpoll flags: -m rtu -b 115200 -P none (8N1, as the board), -a 1 (slave), -0 (zero-based PDU addresses,
/// as docs/modbus-register-map.md), -t 3 input / -t 4 holding registers, -1 (poll once), -o 2 (2 s timeout).
/// </summary>
public class MbpollEndToEndTests : IClassFixture<SimProcessFixture>
{
    private readonly SimProcessFixture _sim;
    private readonly ITestOutputHelper _out;

    public MbpollEndToEndTests(SimProcessFixture sim, ITestOutputHelper output)
    {
        _sim = sim;
        _out = output;
    }

    private (int Exit, string Output) Mbpoll(params string[] args)
    {
        var psi = new ProcessStartInfo("mbpoll") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-m", "rtu", "-a", "1", "-b", "115200", "-P", "none", "-0", "-1", "-o", "2" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(15000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("mbpoll did not finish in 15 s");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>mbpoll's "[ref]: value" lines as ref -> value (unsigned 16-bit).</summary>
    private static Dictionary<int, int> Values(string output) =>
        Regex.Matches(output, @"^\[(\d+)\]:\s+(-?\d+)", RegexOptions.Multiline)
             .ToDictionary(m => int.Parse(m.Groups[1].Value), m => int.Parse(m.Groups[2].Value) & 0xFFFF);

    /// <summary>`CAPTURE START`: a frame every tick (the board sends once a second), so every Modbus read has its tick's frame.</summary>
    private void EveryTick()
    {
        var o = new StringWriter();
        Assert.Equal(0, CliApp.Run(new[] { "send", "--port", _sim.Telemetry, "CAPTURE START" }, o, new StringWriter()));
        Assert.Contains(",OK,CAPTURE,on,periodMs=100", o.ToString());
    }

    [Fact]
    public void InputRegistersReadByMbpollMatchTheSameTicksTelemetry()
    {
        EveryTick();
        var frames = new ConcurrentDictionary<long, TelemetrySample>();
        using var stop = new CancellationTokenSource();
        var reader = new Thread(() =>
        {
            using var link = new HostSerialLink(_sim.Telemetry);
            while (!stop.IsCancellationRequested)
            {
                var s = TelemetrySample.TryParse(link.ReadLine(200));
                if (s != null) frames[s.TimeMs] = s;
            }
        }) { IsBackground = true };
        reader.Start();
        try
        {
            int matched = 0;
            for (int attempt = 0; attempt < 3; attempt++)
            {
                var (exit, output) = Mbpoll("-t", "3", "-r", "0", "-c", "125", _sim.Modbus);
                Assert.True(exit == 0, output);
                var r = Values(output);
                Assert.Equal(125, r.Count);
                long timeMs = ((long)r[M.InTimeMsHigh] << 16) | (long)r[M.InTimeMsLow];
                var sw = Stopwatch.StartNew();
                TelemetrySample f;
                while (!frames.TryGetValue(timeMs, out f) && sw.ElapsedMilliseconds < 3000) Thread.Sleep(20);
                Assert.True(f != null, $"no telemetry frame for t={timeMs} ms (have {frames.Count} frames)");

                Assert.Equal(M.MapVersion, r[M.InMapVersion]);
                Assert.Equal(16, r[M.InCellCount]);
                Assert.Equal(Array.IndexOf(new[] { "init", "idle", "charge", "discharge", "derate", "safe" }, f.State), r[M.InState]);
                Assert.Equal(f.Status, r[M.InStatus]);
                Assert.Equal(f.SocPermille, r[M.InSocPermille]);
                Assert.InRange((short)r[M.InCurrentCentiamps] * 10 - f.CurrentMa, -5, 5);
                Assert.InRange(r[M.InPackCentivolts] * 10 - f.PackMv, -5, 5);
                // The frame carries mA, the register 10 mA: equal within the register's rounding (0.897 A reads 90).
                Assert.InRange(r[M.InChargeLimitCentiamps] * 10 - f.ChargeLimitMa, -5, 5);
                Assert.InRange(r[M.InDischargeLimitCentiamps] * 10 - f.DischargeLimitMa, -5, 5);
                Assert.Equal(f.CellMv.Min(), r[M.InMinCellMv]);
                Assert.Equal(f.CellMv.Max(), r[M.InMaxCellMv]);
                Assert.Equal(f.TempDeciC.Min(), (short)r[M.InMinTempDeciC]);
                Assert.Equal(f.TempDeciC.Max(), (short)r[M.InMaxTempDeciC]);
                Assert.Equal(f.PressureKpa.Min(), r[M.InMinPressureKpa]);
                for (int i = 0; i < 16; i++) Assert.Equal(f.CellMv[i], r[M.InCellMvBase + i]);
                Assert.Equal(0xFFFF, r[M.InCellMvBase + 16]);
                matched++;
                _out.WriteLine($"tick t={timeMs} ms: 125 input registers match the telemetry frame #{f.Seq}");
            }
            Assert.Equal(3, matched);
        }
        finally
        {
            stop.Cancel();
            reader.Join(5000);
        }
    }

    [Fact]
    public void HoldingRegisterWriteIsRefusedWithoutUnlockAndAcceptedWithIt()
    {
        string trip = (M.HoLimitBase + 3).ToString(); // cellOverVoltage.trip, mV
        var (exit, output) = Mbpoll("-t", "4", "-r", trip, _sim.Modbus, "4280");
        Assert.NotEqual(0, exit);
        Assert.Contains("Illegal function", output); // exception 01: locked
        (exit, output) = Mbpoll("-t", "4", "-r", trip, "-c", "1", _sim.Modbus);
        Assert.Equal(4300, Values(output)[M.HoLimitBase + 3]);

        // Unlock: the device key as ASCII, two characters per register, high byte first (function 16).
        var key = Encoding.ASCII.GetBytes(ProtocolRig.Key);
        var regs = Enumerable.Range(0, (key.Length + 1) / 2)
            .Select(i => ((key[2 * i] << 8) | (2 * i + 1 < key.Length ? key[2 * i + 1] : 0)).ToString()).ToArray();
        (exit, output) = Mbpoll(new[] { "-t", "4", "-r", M.HoKeyBase.ToString(), _sim.Modbus }.Concat(regs).ToArray());
        Assert.True(exit == 0, output);
        (exit, output) = Mbpoll("-t", "4", "-r", trip, _sim.Modbus, "4280");
        Assert.True(exit == 0, output);
        (exit, output) = Mbpoll("-t", "4", "-r", trip, "-c", "1", _sim.Modbus);
        Assert.Equal(4280, Values(output)[M.HoLimitBase + 3]);

        // The line protocol sees the same profile, and the write log has both attempts.
        var stdout = new StringWriter();
        Assert.Equal(0, CliApp.Run(new[] { "send", "--port", _sim.Telemetry, "GET cellOverVoltage.trip" }, stdout, new StringWriter()));
        Assert.Contains(",OK,GET,cellOverVoltage.trip=4280,mV", stdout.ToString());
        stdout = new StringWriter();
        Assert.Equal(0, CliApp.Run(new[] { "send", "--port", _sim.Telemetry, "LOG" }, stdout, new StringWriter()));
        string log = stdout.ToString();
        _out.WriteLine(log);
        // One entry per request with its register range; a locked write's value is never read (issue 11).
        Assert.Contains(",modbus,set,-,regs=103-103,not-authorised", log);
        Assert.Contains(",modbus,unlock,-,accepted", log);
        Assert.Contains(",modbus,set,cellOverVoltage.trip=4280,regs=103-103,accepted", log);

        // Lock again through the command register; a write is refused once more.
        (exit, output) = Mbpoll("-t", "4", "-r", M.HoCommand.ToString(), _sim.Modbus, M.CommandLock.ToString());
        Assert.True(exit == 0, output);
        (exit, output) = Mbpoll("-t", "4", "-r", trip, _sim.Modbus, "4290");
        Assert.Contains("Illegal function", output);
    }

    /// <summary>
    /// The SunSpec chain (issue 22) as a SunSpec scanner finds it, read by mbpoll at holding 40000 in 125-register
    /// requests: the marker, models 1, 802 and 805 with their lengths, the end marker, and values beside the map's own.
    /// </summary>
    [Fact]
    public void SunSpecChainReadByMbpoll()
    {
        // As a scanner: read up to 125 registers but never past what the headers read so far say exists.
        var chain = new List<int>();
        int requests = 0;
        while (Known(chain) > chain.Count || chain.Count == 0)
        {
            int count = chain.Count == 0 ? 4 : Math.Min(125, Known(chain) - chain.Count);
            var (exit, output) = Mbpoll("-t", "4", "-r", (40000 + chain.Count).ToString(), "-c", count.ToString(), _sim.Modbus);
            Assert.True(exit == 0, output);
            var v = Values(output);
            for (int i = 0; i < count; i++) chain.Add(v[40000 + chain.Count]);
            Assert.True(++requests <= 6, "the chain took more than 6 requests");
        }
        var models = SunSpecTests.Walk(chain.ToArray());
        Assert.Equal(new[] { (1, 66), (802, 62), (805, 42 + 4 * 16) }, models.Select(m => (m.Id, m.L)));
        // 805's cell voltages (CellV_SF -3: mV) beside the map's own cell registers, read a moment later (rest: a few mV of noise).
        var (e, o) = Mbpoll("-t", "3", "-r", M.InCellMvBase.ToString(), "-c", "16", _sim.Modbus);
        Assert.True(e == 0, o);
        var cells = Values(o);
        int b = models[2].Offset + 2 + 42;
        for (int i = 0; i < 16; i++) Assert.InRange(chain[b + 4 * i] - cells[M.InCellMvBase + i], -15, 15);
        // AlmRst without the key: exception 01, as every other write.
        int almRst = models[1].Offset + 2 + 18; // AHRtg .. CtrlHb before it (model 802)
        (e, o) = Mbpoll("-t", "4", "-r", (40000 + almRst).ToString(), _sim.Modbus, "1");
        Assert.NotEqual(0, e);
        Assert.Contains("Illegal function", o);
    }

    /// <summary>
    /// The same chain read by Debian's python3-pymodbus (Tests/SolidBms.Tests/Clients/sunspec_pymodbus.py, run by
    /// Debian's own interpreter, where the package installs): models, lengths, and 802's SoC and 805's cell voltages
    /// beside the map's own registers read right after (at rest: within one scale step plus a few mV of noise).
    /// </summary>
    [Fact]
    public void SunSpecChainReadByPymodbus()
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(Repo.Root, "Tests/SolidBms.Tests/Clients/sunspec_pymodbus.py"), _sim.Modbus, "16" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(30000)) { p.Kill(entireProcessTree: true); throw new TimeoutException("pymodbus did not finish in 30 s"); }
        Assert.True(p.ExitCode == 0, stdout.Result + stderr.Result);
        using var doc = System.Text.Json.JsonDocument.Parse(stdout.Result);
        var root = doc.RootElement;
        var chain = root.GetProperty("chain").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var models = SunSpecTests.Walk(chain);
        Assert.Equal(new[] { (1, 66), (802, 62), (805, 42 + 4 * 16) }, models.Select(m => (m.Id, m.L)));
        Assert.InRange(root.GetProperty("requests").GetInt32(), 1, 4);
        var cellMv = root.GetProperty("cellMv").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        int b = models[2].Offset + 2 + 42;
        for (int i = 0; i < 16; i++) Assert.InRange(chain[b + 4 * i] - cellMv[i], -15, 15);
        int soc = chain[models[1].Offset + 2 + 9]; // 802 SoC, SoC_SF -1: 0.1 %
        Assert.InRange(soc - root.GetProperty("socPermille").GetInt32(), -1, 1);
    }

    /// <summary>Registers from 40000 known to exist from the headers read so far: to the end marker once it is read, else to the next header.</summary>
    private static int Known(List<int> r)
    {
        int o = 2;
        while (o + 1 < r.Count && r[o] != 0xFFFF) o += 2 + r[o + 1];
        return o + 2;
    }

    [Fact]
    public void CliVerbsWorkAgainstTheSimulatorsPorts()
    {
        EveryTick();
        var o = new StringWriter();
        var e = new StringWriter();
        Assert.Equal(0, CliApp.Run(new[] { "send", "--port", _sim.Telemetry, "VERSION" }, o, e));
        Assert.Contains(",OK,VERSION,fw=", o.ToString());
        o = new StringWriter();
        Assert.Equal(1, CliApp.Run(new[] { "send", "--port", _sim.Telemetry, "BOGUS" }, o, e));
        Assert.Contains(",ERR,?,E01,", o.ToString());

        o = new StringWriter();
        Assert.Equal(0, CliApp.Run(new[] { "monitor", "--port", _sim.Telemetry, "--frames", "2" }, o, e));
        Assert.Contains(" cell |    mV |    C", o.ToString());
        Assert.Equal(2, Regex.Matches(o.ToString(), "^SolidBms  t=", RegexOptions.Multiline).Count);

        string csv = Path.Combine(_sim.Dir, "log.csv"), png = Path.Combine(_sim.Dir, "log.png");
        o = new StringWriter();
        Assert.Equal(0, CliApp.Run(new[] { "log", "--port", _sim.Telemetry, "--csv", csv, "--frames", "15" }, o, e));
        var lines = File.ReadAllLines(csv);
        Assert.Equal(SolidBms.Simulator.Run.CsvRecorder.Header(16), lines[0]);
        Assert.Equal(16, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Equal(lines[0].Split(',').Length, l.Split(',').Length));
        Assert.Contains(",idle,", lines[1]);

        Assert.Equal(0, CliApp.Run(new[] { "plot", csv, "--png", png }, o, e));
        var bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        Assert.True(bytes.Length > 20000, $"PNG of {bytes.Length} bytes");
    }
}
