using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using SolidBms.Cli.Collect;
using SolidBms.Cli.Mqtt;

namespace SolidBms.Tests;

/// <summary>
/// The `collect` process against a real Mosquitto, fed by Debian's mosquitto_pub (a third-party publisher, not our
/// MQTTnet code): each kind of bad input is counted by category, logged once and dropped, the good frames sent around it
/// are all stored, and the process is still running afterwards.
/// </summary>
public sealed class CollectBadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("solidbms-collect-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [MqttFact]
    public void Bad_input_from_mosquitto_pub_is_counted_logged_and_dropped_and_the_collect_process_keeps_storing()
    {
        using var brokers = new FleetBrokers(Repo.Root);
        int port = brokers.Start();
        string db = Path.Combine(_dir, "fleet.sqlite");
        using var collector = new CollectorProcess($"mqtt://127.0.0.1:{port}", db, "test-collect-bad");
        Assert.True(collector.WaitConnected(TimeSpan.FromSeconds(60)), collector.Output);
        var publication = new RigPublication("r1", 1_700_000_000_000, () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var bad = new (string Topic, byte[] Payload)[]
        {
            ("solidbms/r1/pack", Encoding.UTF8.GetBytes("{\"v\":1,\"rig\":")),       // malformed: cut JSON
            ("solidbms/r1/pack", new byte[] { 0xff, 0xfe, 0x00 }),                   // malformed: not UTF-8 text
            ("solidbms/r1/pack", Encoding.UTF8.GetBytes("{\"v\":2,\"rig\":\"r1\"}")), // version: another major version
            ("solidbms/r1/settings", Encoding.UTF8.GetBytes("{\"v\":1}")),           // unknown topic
            ("solidbms/r1/cells", new byte[MqttSchema.MaxPayloadBytes + 1]),         // oversized
        };
        var frames = CollectStoreTests.Frames(bad.Length + 1);
        for (int k = 0; k < frames.Count; k++)
        {
            foreach (var m in publication.Frame(frames[k])) Publish(port, m.Topic, m.Payload);
            if (k < bad.Length) Publish(port, bad[k].Topic, bad[k].Payload);
        }
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Regex.IsMatch(collector.LastSummary, $@"samples {frames.Count},.* bad {bad.Length} ") && DateTime.UtcNow < deadline) Thread.Sleep(100);
        Assert.False(collector.HasExited, collector.Output);
        collector.Stop();
        string log = collector.Output;
        Assert.Matches($@"samples {frames.Count}, cells {frames.Count},", collector.LastSummary);
        Assert.Contains($"bad {bad.Length} (malformed 2, oversized 1, unknown-topic 1, version 1)", collector.LastSummary);
        var dropped = log.Split('\n').Where(l => l.StartsWith("collect: dropped", StringComparison.Ordinal)).ToList();
        Assert.Equal(bad.Length, dropped.Count); // one line each, naming the topic
        Assert.Contains(dropped, l => l.StartsWith("collect: dropped (unknown-topic) solidbms/r1/settings", StringComparison.Ordinal));
        Assert.Contains(dropped, l => l.StartsWith("collect: dropped (oversized) solidbms/r1/cells", StringComparison.Ordinal));
        using var store = FleetStore.Open(db);
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM samples WHERE rig = 'r1'";
        Assert.Equal((long)frames.Count, Convert.ToInt64(cmd.ExecuteScalar()));
    }

    /// <summary>One QoS 1 message through mosquitto_pub, its payload from a file (byte-exact, any size).</summary>
    private void Publish(int port, string topic, byte[] payload)
    {
        string file = Path.Combine(_dir, "payload.bin");
        File.WriteAllBytes(file, payload);
        var psi = new ProcessStartInfo("mosquitto_pub") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-p", port.ToString(), "-q", "1", "-t", topic, "-f", file }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(20_000), "mosquitto_pub did not finish");
        Assert.True(p.ExitCode == 0, $"mosquitto_pub -t {topic}: {err}");
    }
}
