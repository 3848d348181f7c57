using System;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace SolidBms.Tests;

/// <summary>
/// What a killed `bench fleet` (or test run) leaves behind is cleaned up: its brokers are stopped by the broker script's
/// next start or reap once their owner has gone, and its collector child ends by itself when its parent has gone.
/// </summary>
public sealed class FleetCleanupTests
{
    /// <summary>A stand-in owner that can be killed at will.</summary>
    private static Process Sleeper() => Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;

    private static (int Exit, string Output) BrokerScript(int? owner, params string[] args) => MqttBrokerFixture.ScriptOwnedBy(owner, args);

    private static bool Listening(int port)
    {
        try { using var c = new System.Net.Sockets.TcpClient("127.0.0.1", port); return true; }
        catch (System.Net.Sockets.SocketException) { return false; }
    }

    [MqttFact]
    public void A_broker_whose_owner_has_gone_is_stopped_by_reap_and_one_whose_owner_lives_is_kept()
    {
        using var gone = Sleeper();
        using var alive = Sleeper();
        try
        {
            var (exit, url) = BrokerScript(gone.Id, "start");
            Assert.Equal(0, exit);
            int orphanPort = int.Parse(url.Trim()[(url.Trim().LastIndexOf(':') + 1)..]);
            string orphanDir = BrokerScript(null, "dir", orphanPort.ToString()).Output.Trim();
            var (exit2, url2) = BrokerScript(alive.Id, "start");
            Assert.Equal(0, exit2);
            int keptPort = int.Parse(url2.Trim()[(url2.Trim().LastIndexOf(':') + 1)..]);
            try
            {
                gone.Kill();
                gone.WaitForExit();
                // Another test's start may reap it first (tests run in parallel): the outcome is checked, not who did it.
                var (reapExit, reapOut) = BrokerScript(null, "reap");
                Assert.True(reapExit == 0, reapOut);
                Assert.False(Listening(orphanPort));
                Assert.False(Directory.Exists(orphanDir));
                Assert.True(Listening(keptPort), "the broker of a live owner was stopped");
            }
            finally { BrokerScript(null, "stop", keptPort.ToString()); }
        }
        finally
        {
            if (!alive.HasExited) alive.Kill();
            if (!gone.HasExited) gone.Kill();
        }
    }

    [Fact]
    public void A_collector_whose_parent_has_gone_stops_by_itself()
    {
        using var parent = Sleeper();
        string db = Path.Combine(Directory.CreateTempSubdirectory("solidbms-collect-parent-").FullName, "fleet.sqlite");
        // No broker on port 1: the collector keeps retrying, as an orphan would after its bench's brokers were stopped.
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { typeof(SolidBms.Cli.CliApp).Assembly.Location, "collect", "--mqtt", "mqtt://127.0.0.1:1", "--db", db, "--parent-pid", parent.Id.ToString() })
            psi.ArgumentList.Add(a);
        using var collect = Process.Start(psi)!;
        var output = collect.StandardOutput.ReadToEndAsync();
        try
        {
            Thread.Sleep(3000);
            Assert.False(collect.HasExited, "it stopped while its parent was alive");
            parent.Kill();
            Assert.True(collect.WaitForExit(20_000), "it kept running after its parent had gone");
            Assert.Contains($"collect: process {parent.Id} has gone; stopping", output.Result);
            Assert.Equal(0, collect.ExitCode);
        }
        finally
        {
            if (!collect.HasExited) collect.Kill();
            if (!parent.HasExited) parent.Kill();
            Directory.Delete(Path.GetDirectoryName(db)!, true);
        }
    }
}
