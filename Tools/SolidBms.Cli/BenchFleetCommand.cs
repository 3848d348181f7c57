using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SolidBms.Cli.Collect;
using SolidBms.Cli.Mqtt;
using SolidBms.Simulator;

namespace SolidBms.Cli;

/// <summary>
/// `bench fleet [--rigs 100] [--rate-hz 10] [--duration-s 600] [--db sqlite|FILE|postgres://...] [--scenario NAME]
/// [--kill-collector-at S] [--restart-broker-at S] [--bridge [--central-down-at S] [--central-down-s 30]]`: N simulated
/// rigs (in-process, <see cref="FleetSimulator"/>) publishing through private Mosquitto brokers to `collect` (a child
/// process) and its database; prints samples published, stored, lost and duplicated, the end-to-end lag and the insert
/// rate (docs/fleet.md). Prints figures, asserts nothing.
/// </summary>
public static class BenchFleetCommand
{
    public static int Run(CliArgs a, TextWriter o, TextWriter err)
    {
        int rigs = a.Int("rigs", 100, 1, 1000);
        int rateHz = a.Int("rate-hz", 10, 1, 100);
        int durationS = a.Int("duration-s", 600, 1, 86_400);
        string dbArg = a.Get("db") ?? "sqlite";
        string scenario = a.Get("scenario") ?? "assb-16s-24h";
        int killAt = a.Int("kill-collector-at", 0, 0, 86_400), killForS = a.Int("collector-down-s", 5, 0, 3600);
        int restartBrokerAt = a.Int("restart-broker-at", 0, 0, 86_400);
        bool bridge = a.Flag("bridge");
        int centralDownAt = a.Int("central-down-at", 0, 0, 86_400), centralDownS = a.Int("central-down-s", 30, 1, 3600);
        a.RejectUnknown();
        if (centralDownAt > 0 && !bridge) throw new UsageException("--central-down-at needs --bridge");
        var files = BoardFiles.Locate();
        string root = Path.GetDirectoryName(files.Root);
        string work = Directory.CreateTempSubdirectory("solidbms-bench-fleet-").FullName;
        string db = dbArg == "sqlite" ? Path.Combine(work, "fleet.sqlite") : dbArg;
        // Rig names unique to this run, so a database with earlier runs is counted for this one only.
        string prefix = "f" + BootTracker.Base36(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() % (36L * 36 * 36 * 36 * 36));
        using var brokers = new FleetBrokers(root);
        int publishPort = brokers.Start(), collectPort = publishPort;
        if (bridge)
        {
            collectPort = brokers.Start();
            brokers.Bridge(publishPort, collectPort);
        }
        o.WriteLine($"bench fleet: {rigs} rigs at {rateHz} Hz for {durationS} s, scenario {scenario}, publishing to mqtt://127.0.0.1:{publishPort}"
            + (bridge ? $" bridged to mqtt://127.0.0.1:{collectPort}" : "") + $", collecting into {(FleetStore.IsPostgres(db) ? PostgresUrl.Parse(db).Describe : db)}");
        using (FleetStore.Open(db)) { } // tables exist before the first collector starts
        string collectUrl = $"mqtt://127.0.0.1:{collectPort}", clientId = "bench-" + prefix;
        var collector = new CollectorProcess(collectUrl, db, clientId);
        if (!collector.WaitConnected(TimeSpan.FromSeconds(60))) throw new InvalidOperationException("bench fleet: the collector did not connect within 60 s");
        long duplicatesBefore = 0;
        var fleet = new FleetSimulator(SimCommand.ScenarioPath(files, scenario), files, rigs, new MqttUrl("127.0.0.1", publishPort), prefix)
        { RateHz = rateHz, Duration = TimeSpan.FromSeconds(durationS), DrainTimeout = TimeSpan.FromSeconds(120), Log = err };
        // Ctrl-C or SIGTERM: stop the collector and the brokers before the process ends (SIGKILL leaves the brokers to
        // the broker script's next start, which stops those whose owner has gone).
        Action cleanUp = () => { collector.Dispose(); brokers.Dispose(); };
        using var onInt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, _ => cleanUp());
        using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, _ => cleanUp());
        var clock = Stopwatch.StartNew();
        var run = Task.Run(() => fleet.Run(CancellationToken.None));
        var disruptions = new List<(int AtS, string What, Action Act)>();
        if (killAt > 0) disruptions.Add((killAt, $"collector killed (SIGKILL) for {killForS} s", () =>
        {
            collector.Crash();
            duplicatesBefore += collector.Duplicates;
            collector.Dispose();
            Thread.Sleep(killForS * 1000);
            collector = new CollectorProcess(collectUrl, db, clientId);
        }));
        if (restartBrokerAt > 0) disruptions.Add((restartBrokerAt, $"broker mqtt://127.0.0.1:{publishPort} restarted", () => brokers.Restart(publishPort)));
        if (centralDownAt > 0) disruptions.Add((centralDownAt, $"central broker down for {centralDownS} s", () =>
        {
            brokers.Down(collectPort);
            Thread.Sleep(centralDownS * 1000);
            brokers.Up(collectPort);
        }));
        foreach (var d in disruptions.OrderBy(d => d.AtS))
        {
            while (clock.Elapsed.TotalSeconds < d.AtS && !run.IsCompleted) Thread.Sleep(100);
            if (run.IsCompleted) break;
            err.WriteLine($"bench fleet: t={clock.Elapsed.TotalSeconds:0} s: {d.What}");
            d.Act();
        }
        var result = run.Result;
        double publishS = clock.Elapsed.TotalSeconds;
        // Wait for the collector to store every frame's pack and cells (at most 60 s without progress, and 120 s plus half
        // the run in all: a collector that fell far behind is reported as such), then stop it cleanly.
        using var store = FleetStore.Open(db);
        string rigList = string.Join(", ", fleet.RigNames.Select(r => "'" + r + "'"));
        long stored = 0, last = -1;
        var idle = Stopwatch.StartNew();
        var draining = Stopwatch.StartNew();
        while (idle.Elapsed.TotalSeconds < 60 && draining.Elapsed.TotalSeconds < 120 + durationS / 2)
        {
            stored = Scalar(store, $"SELECT COUNT(*) FROM samples WHERE rig IN ({rigList})")
                     + Scalar(store, $"SELECT COUNT(*) FROM cell_samples WHERE rig IN ({rigList})");
            if (stored >= 2 * result.Frames) break;
            if (stored != last) { last = stored; idle.Restart(); }
            Thread.Sleep(500);
        }
        err.WriteLine($"bench fleet: the collector drained for {draining.Elapsed.TotalSeconds:0} s after the rigs stopped");
        collector.Stop();
        long duplicates = duplicatesBefore + collector.Duplicates;
        err.WriteLine("bench fleet: " + collector.LastSummary);
        collector.Dispose();
        stored = Scalar(store, $"SELECT COUNT(*) FROM samples WHERE rig IN ({rigList})");
        long distinct = Scalar(store, $"SELECT COUNT(*) FROM (SELECT DISTINCT rig, boot, seq FROM samples WHERE rig IN ({rigList})) k");
        long rows = FleetTable.All.Sum(t => Scalar(store, $"SELECT COUNT(*) FROM {t.Name} WHERE rig IN ({rigList})"));
        var (firstStored, lastStored) = (Scalar(store, $"SELECT MIN(stored_ms) FROM samples WHERE rig IN ({rigList})"),
            Scalar(store, $"SELECT MAX(stored_ms) FROM samples WHERE rig IN ({rigList})"));
        var lags = Column(store, $"SELECT received_ms - sent_ms FROM samples WHERE rig IN ({rigList})");
        var commitLags = Column(store, $"SELECT stored_ms - sent_ms FROM samples WHERE rig IN ({rigList})");
        var ci = CultureInfo.InvariantCulture;
        o.WriteLine(string.Format(ci, "rigs {0}, rate {1} Hz, published for {2:0.0} s (at most {3:0} ms behind the wall clock)", rigs, rateHz, publishS, result.MaxBehindMs));
        o.WriteLine(string.Format(ci, "samples: frames {0}, published (broker-acknowledged) {1}, publisher dropped {2}, stored {3}, lost {4}, duplicated rows {5}, redeliveries skipped {6}",
            result.Frames, result.SamplesPublished, result.Rigs.Sum(r => r.Dropped), stored, result.Frames - distinct, stored - distinct, duplicates));
        o.WriteLine(string.Format(ci, "end-to-end lag (receive - sent_ms): p50 {0} ms, p99 {1} ms, max {2} ms; to commit (stored - sent_ms): p50 {3} ms, p99 {4} ms, max {5} ms",
            Percentile(lags, 0.5), Percentile(lags, 0.99), lags.DefaultIfEmpty().Max(), Percentile(commitLags, 0.5), Percentile(commitLags, 0.99), commitLags.DefaultIfEmpty().Max()));
        double spanS = Math.Max(1, lastStored - firstStored) / 1000.0;
        o.WriteLine(string.Format(ci, "inserts: {0} rows in 4 tables over {1:0.0} s, {2:0} rows/s ({3:0} samples/s)", rows, spanS, rows / spanS, stored / spanS));
        if (dbArg == "sqlite") Directory.Delete(work, true);
        return 0;
    }

    private static long Scalar(FleetStore store, string sql)
    {
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = sql;
        var v = cmd.ExecuteScalar();
        return v is DBNull or null ? 0 : Convert.ToInt64(v, CultureInfo.InvariantCulture);
    }

    private static long[] Column(FleetStore store, string sql)
    {
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = sql;
        var r = new List<long>();
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) r.Add(reader.GetInt64(0));
        r.Sort();
        return r.ToArray();
    }

    private static long Percentile(long[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
