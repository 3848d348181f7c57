using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using SolidBms.Cli;
using SolidBms.Cli.Mqtt;
using Xunit.Abstractions;

namespace SolidBms.Tests;

/// <summary>`solidbms` as a child process (sim, bridge), its output kept; Dispose kills it if it still runs.</summary>
public sealed class SolidBmsProcess : IDisposable
{
    private readonly Process _p;
    public readonly StringBuilder Output = new();

    public SolidBmsProcess(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Repo.Root };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "solidbms.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        _p = Process.Start(psi)!;
        _p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (Output) Output.AppendLine(e.Data); };
        _p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (Output) Output.AppendLine(e.Data); };
        _p.BeginOutputReadLine();
        _p.BeginErrorReadLine();
    }

    public Process Process => _p;
    public string Text { get { lock (Output) return Output.ToString(); } }

    public int WaitExit(int timeoutMs)
    {
        if (!_p.WaitForExit(timeoutMs)) throw new TimeoutException("solidbms did not finish: " + Text);
        _p.WaitForExit();
        return _p.ExitCode;
    }

    [System.Runtime.InteropServices.DllImport("libc")] private static extern int kill(int pid, int sig);

    public void Signal(int sig) => kill(_p.Id, sig);

    public void Dispose()
    {
        try { if (!_p.HasExited) { _p.Kill(); _p.WaitForExit(5000); } } catch (InvalidOperationException) { }
        _p.Dispose();
    }
}

/// <summary>
/// The publishers against a real Mosquitto, read back with Debian's mosquitto_sub (docs/mqtt.md): what sim publishes
/// equals its run CSV, the discovery configs are retained and republished when Home Assistant announces itself, and
/// availability follows the serial link and the bridge's life (the last will on SIGKILL).
/// </summary>
[Collection(MqttBrokerCollection.Name)]
public sealed class MqttEndToEndTests : IDisposable
{
    private readonly MqttBrokerFixture _broker;
    private readonly ITestOutputHelper _out;
    private readonly string _dir = Directory.CreateTempSubdirectory("mqtt-e2e").FullName;
    private static int _rigCounter;

    public MqttEndToEndTests(MqttBrokerFixture broker, ITestOutputHelper output)
    {
        _broker = broker;
        _out = output;
    }

    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    private string P(string name) => Path.Combine(_dir, name);

    /// <summary>A rig name no other test (or earlier run on this broker) used: retained topics must not leak between tests.</summary>
    private static string NewRig(string stem) => $"{stem}{Environment.ProcessId % 10000}x{Interlocked.Increment(ref _rigCounter)}";

    // Noise-free sensors: the firmware's measurement is then the simulated truth up to its own resolution.
    private const string QuietNoise = "\"sensorNoise\": { \"cellMv\": 0, \"currentA\": 0, \"tempC\": 0, \"pressureKpa\": 0 }";

    private string Scenario(string name, int cells, string segments)
    {
        string path = P(name + ".json");
        File.WriteAllText(path, $"{{ \"name\": \"{name}\", \"cells\": {cells}, {QuietNoise}, \"segments\": [ {segments} ] }}");
        return path;
    }

    private static JsonElement Json(string payload) => JsonDocument.Parse(payload).RootElement;

    [MqttFact]
    public void SimPublishesWhatItsRunCsvSaysForTheSameTickAndRetainsItsDiscovery()
    {
        string rig = NewRig("csv");
        string scenario = Scenario("mqtt-csv", 8, "{ \"durationS\": 2, \"rest\": true }, { \"durationS\": 4, \"currentA\": 1.0 }");
        using var sub = new MosquittoSub(_broker.Port, 60, $"solidbms/{rig}/#");
        using var sim = new SolidBmsProcess("sim", "--scenario", scenario, "--mqtt", _broker.Url, "--rig", rig, "--speed", "4", "--csv", P("run.csv"), "--quiet");
        Assert.True(sim.WaitExit(60000) == 0, sim.Text);
        _out.WriteLine(sim.Text);
        Assert.Contains($"mqtt: {rig}: 6 frames, 6 samples published", sim.Text); // 6 s at the board's 1 Hz
        Assert.True(sub.WaitFor(l => l.Count(x => x.Topic.EndsWith("/cells")) == 6 && l.Last().Topic.EndsWith("/availability"), 10000),
            $"{sub.Snapshot().Count} lines");

        var csv = File.ReadAllLines(P("run.csv"));
        var head = csv[0].Split(',');
        int Col(string name) => Array.IndexOf(head, name);
        var rows = csv.Skip(1).Select(l => l.Split(',')).ToDictionary(f => (long)Math.Round(double.Parse(f[0], CultureInfo.InvariantCulture) * 1000));
        double D(string[] row, string col) => double.Parse(row[Col(col)], CultureInfo.InvariantCulture);

        var lines = sub.Snapshot();
        var packs = lines.Where(l => l.Topic == $"solidbms/{rig}/pack").Select(l => ReadBack(l.Topic, l.Payload)).ToList();
        var cells = lines.Where(l => l.Topic == $"solidbms/{rig}/cells").Select(l => ReadBack(l.Topic, l.Payload)).ToDictionary(m => m.Seq);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => (long)i), packs.Select(p => p.Seq)); // every frame, once, in order
        Assert.Single(packs.Select(p => p.Boot).Distinct());
        int compared = 0;
        foreach (var p in packs)
        {
            var row = rows[p.TimeMs]; // the CSV row of the tick whose frame this is
            var c = cells[p.Seq];
            Assert.Equal(p.TimeMs, c.TimeMs);
            Assert.Equal(row[Col("state")], p.State);
            Assert.Equal(row[Col("faults")], string.Join("|", p.Faults));
            Assert.Equal(row[Col("contactor")] == "closed", p.ContactorClosed);
            Assert.InRange(p.SocPct.Value / 100 - D(row, "soc_est"), -0.00051, 0.00051); // per mille vs 4 decimals
            Assert.InRange(p.ChargeLimitA.Value - D(row, "charge_limit_a"), -0.0051, 0.0051);
            Assert.InRange(p.DischargeLimitA.Value - D(row, "discharge_limit_a"), -0.0051, 0.0051);
            Assert.InRange(p.CurrentA.Value - D(row, "current_a"), -0.0051, 0.0051); // the current channel's ADC step
            for (int i = 0; i < 8; i++)
            {
                Assert.InRange(c.CellMv[i].Value / 1000 - D(row, $"v{i + 1}"), -0.002, 0.002); // the ADC step and the rounding to the mV
                Assert.InRange(c.TempC[i].Value - D(row, $"t{i + 1}"), -0.06, 0.06); // 0.1 degC resolution
            }
            Assert.InRange(c.PressureKpa[0].Value - D(row, "pressure_kpa"), -1.1, 1.1);
            Assert.InRange(p.PackV.Value - c.CellMv.Sum(v => v.Value) / 1000, -0.0041, 0.0041); // 8 cells rounded to the mV, the sum once
            compared++;
        }
        Assert.Equal(6, compared);
        Assert.Contains(packs, p => p.CurrentA > 0.9); // the discharge segment is in there, not only rest

        // What a subscriber arriving later (Home Assistant) gets: the retained configs, the fault set and `offline`.
        using var late = new MosquittoSub(_broker.Port, 3, "homeassistant/#", $"solidbms/{rig}/availability", $"solidbms/{rig}/faults");
        Assert.True(late.WaitFor(l => Mine(l, rig).Count >= 7 + 8 + 8 + 1 + 2 + 2, 5000));
        var retained = Mine(late.Snapshot(), rig);
        Assert.All(retained, l => Assert.True(l.Retained, l.Topic));
        var configs = retained.Where(l => l.Topic.StartsWith("homeassistant/")).ToDictionary(l => l.Topic, l => Json(l.Payload));
        Assert.Equal(7 + 8 + 8 + 1 + 2, configs.Count);
        var soc = configs[$"homeassistant/sensor/solidbms_{rig}_soc/config"];
        Assert.Equal(("battery", "%", "measurement", $"solidbms/{rig}/pack", $"solidbms/{rig}/availability"),
            (soc.GetProperty("device_class").GetString(), soc.GetProperty("unit_of_measurement").GetString(), soc.GetProperty("state_class").GetString(),
             soc.GetProperty("state_topic").GetString(), soc.GetProperty("availability_topic").GetString()));
        var device = soc.GetProperty("device");
        Assert.Equal(($"solidbms_{rig}", "SolidBms", "sim-analog-16"),
            (device.GetProperty("identifiers")[0].GetString(), device.GetProperty("manufacturer").GetString(), device.GetProperty("model").GetString()));
        Assert.Equal("voltage", configs[$"homeassistant/sensor/solidbms_{rig}_cell_08_voltage/config"].GetProperty("device_class").GetString());
        Assert.Equal("temperature", configs[$"homeassistant/sensor/solidbms_{rig}_cell_08_temperature/config"].GetProperty("device_class").GetString());
        Assert.Equal("pressure", configs[$"homeassistant/sensor/solidbms_{rig}_stack_01_pressure/config"].GetProperty("device_class").GetString());
        Assert.True(configs.ContainsKey($"homeassistant/binary_sensor/solidbms_{rig}_contactor/config"));
        Assert.Equal("offline", retained.Single(l => l.Topic.EndsWith("/availability")).Payload); // the run ended
    }

    private static MqttMessage ReadBack(string topic, string payload)
    {
        Assert.True(MqttPayloadReader.TryRead(topic, Encoding.UTF8.GetBytes(payload), out var m, out string reason), reason);
        return m;
    }

    /// <summary>sim serving the line protocol on a pty (the device), as SimProcessFixture does.</summary>
    private SolidBmsProcess DeviceOnPty(string pty)
    {
        string scenario = Scenario("mqtt-device", 16, "{ \"durationS\": 600, \"rest\": true }");
        var sim = new SolidBmsProcess("sim", "--scenario", scenario, "--telemetry", pty, "--quiet");
        var sw = Stopwatch.StartNew();
        while (!File.Exists(pty))
        {
            if (sim.Process.HasExited || sw.ElapsedMilliseconds > 30000) throw new InvalidOperationException("sim did not open its pty: " + sim.Text);
            Thread.Sleep(50);
        }
        return sim;
    }

    /// <summary>The lines of this rig only (a topic filter's + must be a whole level, so "homeassistant/#" is filtered here).</summary>
    private static List<(bool Retained, string Topic, string Payload)> Mine(List<(bool Retained, string Topic, string Payload)> l, string rig) =>
        l.Where(x => x.Topic.StartsWith($"solidbms/{rig}/") || x.Topic.Contains($"/solidbms_{rig}_")).ToList();

    private static bool Has(List<(bool Retained, string Topic, string Payload)> l, string topic, string payload) =>
        l.Any(x => x.Topic == topic && x.Payload == payload);

    [MqttFact]
    public void BridgeFollowsTheSerialLinkAndRepublishesDiscoveryWhenHomeAssistantStarts()
    {
        string rig = NewRig("br");
        string pty = P("tty-rig");
        string availability = $"solidbms/{rig}/availability";
        using var sub = new MosquittoSub(_broker.Port, 120, $"solidbms/{rig}/#", "homeassistant/#");
        var device = DeviceOnPty(pty);
        using var bridge = new SolidBmsProcess("bridge", "--port", pty, "--rig", rig, "--mqtt", _broker.Url);
        try
        {
            Assert.True(sub.WaitFor(l => Has(l, availability, "online") && l.Count(x => x.Topic.EndsWith("/pack")) >= 5
                                        && Mine(l, rig).Count(x => x.Topic.StartsWith("homeassistant/")) == 7 + 16 + 16 + 1 + 2, 20000), bridge.Text);
            // The bridge asked the device VERSION: the board's name and firmware are in the device block.
            Assert.True(sub.WaitFor(l => l.Any(x => x.Topic.EndsWith("_soc/config") && x.Payload.Contains("\"model\":\"sim-analog-16\"")), 5000), bridge.Text);

            // Home Assistant starts: the configs come again, live (retain flag 0 for a subscriber already there).
            int before = sub.Snapshot().Count;
            Publish(MqttTopics.HomeAssistantStatus, "online");
            Assert.True(sub.WaitFor(l => Mine(l.Skip(before).ToList(), rig).Count(x => x.Topic.StartsWith("homeassistant/") && !x.Retained) == 7 + 16 + 16 + 1 + 2, 10000),
                "discovery not republished: " + bridge.Text);

            // The serial link dies (the device process is killed): offline after 3 s without a valid frame.
            before = sub.Snapshot().Count;
            device.Process.Kill();
            var killed = Stopwatch.StartNew();
            Assert.True(sub.WaitFor(l => Has(l.Skip(before).ToList(), availability, "offline"), 10000), bridge.Text);
            double offlineS = killed.Elapsed.TotalSeconds;
            _out.WriteLine($"offline {offlineS:0.00} s after the device died");
            Assert.InRange(offlineS, 2.5, 6);
            Assert.False(bridge.Process.HasExited, bridge.Text);

            // The device comes back on the same path: the bridge reopens it and the rig is online again.
            device.Dispose();
            before = sub.Snapshot().Count;
            device = DeviceOnPty(pty);
            Assert.True(sub.WaitFor(l => Has(l.Skip(before).ToList(), availability, "online"), 15000), bridge.Text);
            var packs = sub.Snapshot().Skip(before).Where(x => x.Topic.EndsWith("/pack")).Select(x => ReadBack(x.Topic, x.Payload)).ToList();
            Assert.True(sub.WaitFor(l => l.Skip(before).Any(x => x.Topic.EndsWith("/event") && x.Payload.Contains("\"kind\":\"boot\"")), 5000),
                "a restarted device is a new boot");

            // Ctrl-C: offline for the rig, a clean exit.
            before = sub.Snapshot().Count;
            bridge.Signal(2);
            Assert.Equal(0, bridge.WaitExit(15000));
            Assert.True(sub.WaitFor(l => Has(l.Skip(before).ToList(), availability, "offline"), 5000), bridge.Text);
            Assert.Contains($"bridge: {rig}:", bridge.Text);
        }
        finally
        {
            device.Dispose();
        }
    }

    [MqttFact]
    public void TheLastWillSaysOfflineWhenTheBridgeIsKilled()
    {
        string rig = NewRig("will");
        string pty = P("tty-will");
        using var sub = new MosquittoSub(_broker.Port, 60, $"solidbms/{rig}/availability");
        using var device = DeviceOnPty(pty);
        using var bridge = new SolidBmsProcess("bridge", "--port", pty, "--rig", rig, "--mqtt", _broker.Url);
        Assert.True(sub.WaitFor(l => l.Any(x => x.Payload == "online"), 20000), bridge.Text);
        int before = sub.Snapshot().Count;
        bridge.Process.Kill(); // SIGKILL: no goodbye, the broker publishes the will
        var sw = Stopwatch.StartNew();
        Assert.True(sub.WaitFor(l => l.Skip(before).Any(x => x.Payload == "offline"), 10000));
        _out.WriteLine($"will seen {sw.Elapsed.TotalSeconds:0.00} s after SIGKILL");
        using var late = new MosquittoSub(_broker.Port, 2, $"solidbms/{rig}/availability");
        Assert.True(late.WaitFor(l => l.Count == 1, 3000));
        Assert.Equal((true, "offline"), (late.Snapshot()[0].Retained, late.Snapshot()[0].Payload)); // retained for whoever comes later
    }

    [MqttFact]
    public void FleetRigsEachPublishEveryFrameWhileTheBrokerComesLate()
    {
        // A broker that is not there yet: the rigs queue, reconnect with their backoff, and lose nothing.
        var (exit, output) = MqttBrokerFixture.Script("start");
        Assert.True(exit == 0, output);
        string url = output.Trim().Split('\n').Last();
        int port = int.Parse(url[(url.LastIndexOf(':') + 1)..]);
        MqttBrokerFixture.Script("stop", port.ToString());
        string prefix = NewRig("fl");
        var fleet = new FleetSimulator(Scenario("mqtt-fleet", 4, "{ \"durationS\": 60, \"rest\": true }"), Repo.Files, 3, MqttUrl.Parse(url), prefix)
        {
            Duration = TimeSpan.FromSeconds(4),
            RateHz = 10, // every tick (the board's own rate is 1 Hz)
        };
        FleetResult result = null;
        var run = new Thread(() => result = fleet.Run(CancellationToken.None));
        run.Start();
        try
        {
            Thread.Sleep(1500);
            Assert.Equal(0, MqttBrokerFixture.Script("start", port.ToString()).Exit);
            using var sub = new MosquittoSub(port, 30, "solidbms/+/pack");
            Assert.True(run.Join(40000));
            foreach (var r in result.Rigs)
            {
                _out.WriteLine($"{r.Rig}: {r.Frames} frames, {r.SamplesPublished} published, {r.Dropped} dropped, {r.Unsent} unsent");
                Assert.Equal(40, r.Frames); // 4 s at 10 Hz
                Assert.Equal(r.Frames, r.SamplesPublished);
                Assert.Equal(0, r.Dropped + r.Unsent);
            }
            Assert.Equal(new[] { prefix + "-01", prefix + "-02", prefix + "-03" }, result.Rigs.Select(r => r.Rig));
            // The subscriber came with the broker, so it sees what was sent after that: every rig, no seq twice.
            Assert.True(sub.WaitFor(l => l.Count > 0, 5000));
            foreach (var g in sub.Snapshot().GroupBy(l => l.Topic))
            {
                var seqs = g.Select(x => ReadBack(x.Topic, x.Payload).Seq).ToList();
                Assert.Equal(seqs.Count, seqs.Distinct().Count());
            }
        }
        finally
        {
            MqttBrokerFixture.Script("stop", port.ToString());
        }
    }

    private void Publish(string topic, string payload)
    {
        var psi = new ProcessStartInfo("mosquitto_pub") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in new[] { "-h", "127.0.0.1", "-p", _broker.Port.ToString(), "-q", "1", "-t", topic, "-m", payload }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        Assert.True(p.WaitForExit(10000));
        Assert.Equal(0, p.ExitCode);
    }
}
