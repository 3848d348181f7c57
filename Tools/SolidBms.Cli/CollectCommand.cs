using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using SolidBms.Cli.Collect;
using SolidBms.Cli.Mqtt;

namespace SolidBms.Cli;

/// <summary>
/// `collect --mqtt URL --db DB [--client-id ID] [--batch-rows N] [--batch-ms MS] [--summary-s S] [--seconds S]
/// [--parent-pid PID]`: stores every rig's pack, cells, faults and event messages in a SQLite file or PostgreSQL
/// (docs/fleet.md). Runs until Ctrl-C or SIGTERM (or S seconds, or process PID has gone), then commits and acknowledges
/// what it holds and prints its counts.
/// </summary>
public static class CollectCommand
{
    public static int Run(CliArgs a, TextWriter stdout, TextWriter stderr)
    {
        var broker = MqttUrl.Parse(a.Get("mqtt") ?? throw new UsageException("collect needs --mqtt mqtt://HOST[:PORT]"));
        string db = a.Get("db") ?? throw new UsageException("collect needs --db FILE.sqlite or --db postgres://...");
        // Fixed by default: the broker keeps the session (and queues for it) under this id while the collector is down.
        string clientId = a.Get("client-id") ?? "solidbms-collect";
        if (clientId.Length is 0 or > 64) throw new UsageException("--client-id must be 1 to 64 characters");
        var options = new CollectorOptions(broker, clientId)
        {
            BatchRows = a.Int("batch-rows", 1000, 1, 100_000),
            BatchMs = a.Int("batch-ms", 200, 1, 60_000),
            SummaryEveryS = a.Int("summary-s", 10, 0, 86_400),
        };
        int seconds = a.Int("seconds", 0, 0, int.MaxValue);
        int parentPid = a.Int("parent-pid", 0, 1, int.MaxValue);
        a.RejectUnknown();
        using var store = FleetStore.Open(db);
        var collector = new FleetCollector(store, options, stdout);
        using var stop = new CancellationTokenSource();
        if (seconds > 0) stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; stop.Cancel(); };
        Console.CancelKeyPress += onCancel;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        if (parentPid > 0) _ = StopWhenGone(parentPid, stop, stdout);
        try { collector.RunAsync(stop.Token).GetAwaiter().GetResult(); }
        finally { Console.CancelKeyPress -= onCancel; }
        return 0;
    }

    /// <summary>
    /// A collector started by another process (`bench fleet`) ends with it, even when that one is killed outright and
    /// cannot stop it: otherwise it would keep reconnecting to a broker that is gone.
    /// </summary>
    private static async System.Threading.Tasks.Task StopWhenGone(int pid, CancellationTokenSource stop, TextWriter log)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var p = System.Diagnostics.Process.GetProcessById(pid);
                if (p.HasExited) break;
            }
            catch (ArgumentException) { break; } // no such process
            try { await System.Threading.Tasks.Task.Delay(1000, stop.Token); } catch (OperationCanceledException) { return; }
        }
        log.WriteLine($"collect: process {pid} has gone; stopping");
        stop.Cancel();
    }
}
