using System;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using SolidBms.Cli.Collect;
using SolidBms.Cli.Mqtt;

namespace SolidBms.Tests;

/// <summary>
/// The collector's TCP receive window can grow past a few KB. With MQTTnet's default 8 KiB SO_RCVBUF, Linux fixes the
/// window scale at 0 and the window near 6 KB, and 100 rigs at 10 Hz stalled after a minute (docs/benchmarks.md, "The
/// 100-rig stall"). Read from the kernel with `ss -tni` on the collector's live connection to a real broker.
/// </summary>
public sealed class CollectSocketTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("solidbms-collect-socket-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [MqttFact]
    public async Task The_collector_connection_has_a_scaled_receive_window()
    {
        using var brokers = new FleetBrokers(Repo.Root);
        int port = brokers.Start();
        using var store = FleetStore.Open(Path.Combine(_dir, "fleet.sqlite"));
        var log = new StringWriter();
        var collector = new FleetCollector(store, new CollectorOptions(new MqttUrl("127.0.0.1", port), "test-socket") { SummaryEveryS = 0 }, log);
        using var stop = new CancellationTokenSource();
        var running = collector.RunAsync(stop.Token);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!log.ToString().Contains("collect: connected") && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.Contains("collect: connected", log.ToString());
            // The only connection to this broker is the collector's: its end is the one whose peer is the broker's port.
            string ss = Run("ss", "-tni", $"( dport = :{port} )");
            var m = Regex.Match(ss, @"wscale:(\d+),(\d+)");
            Assert.True(m.Success, ss);
            int receiveScale = int.Parse(m.Groups[2].Value);
            Assert.True(receiveScale >= 4, $"receive window scale {receiveScale} (a window of at most {65535 << receiveScale} bytes): {ss}");
        }
        finally
        {
            stop.Cancel();
            await running;
        }
    }

    private static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output;
    }
}
