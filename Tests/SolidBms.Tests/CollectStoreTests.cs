using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using SolidBms.Cli.Collect;
using SolidBms.Cli.Mqtt;
using SolidBms.Cli.Report;
using SolidBms.Cli.Serial;

namespace SolidBms.Tests;

/// <summary>
/// The fleet database (Tools/SolidBms.Cli/Collect): what a batch stores, once per key, in SQLite and in a real
/// PostgreSQL; its day partitions; and report/eventlog reading it back as the same run a log CSV gives.
/// </summary>
[Collection("fleet-postgres")]
public sealed class CollectStoreTests : IDisposable
{
    private readonly FleetPostgresFixture _pg;
    private readonly string _dir = Directory.CreateTempSubdirectory("solidbms-fleet-").FullName;

    public CollectStoreTests(FleetPostgresFixture pg) => _pg = pg;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Db(string kind) => kind == "sqlite" ? Path.Combine(_dir, "fleet.sqlite") : _pg.NewDatabase();

    /// <summary>A rig's frames: discharging at 2 A, cell 3 unknown in frame 5, a fault raised at frame 20 and cleared at 30.</summary>
    public static List<TelemetrySample> Frames(int count, long firstSeq = 0, long firstTimeMs = 0)
    {
        var frames = new List<TelemetrySample>();
        for (int k = 0; k < count; k++)
        {
            bool fault = k >= 20 && k < 30;
            frames.Add(new TelemetrySample
            {
                Seq = firstSeq + k, TimeMs = firstTimeMs + 100 * k, State = fault ? "fault" : "discharge",
                SocPermille = 800 - k, CurrentMa = 2000, PackMv = 16_000 - k, ChargeLimitMa = 900, DischargeLimitMa = 1500,
                Status = fault ? 1 : 0x38,
                CellMv = Enumerable.Range(0, 4).Select(c => k == 5 && c == 2 ? double.NaN : 4000.0 - k - c).ToArray(),
                TempDeciC = new[] { 249.0, 251, 250, 252 }, PressureKpa = new[] { 999.0 },
                Faults = fault ? new[] { "pressureLow:trip" } : Array.Empty<string>(), AbuseTest = "inhibited", BalancingCells = 0,
            });
        }
        return frames;
    }

    /// <summary>The messages a publisher builds for the frames (docs/mqtt.md), read back as the collector reads them.</summary>
    public static List<ReceivedMessage> Messages(string rig, IEnumerable<TelemetrySample> frames, long sentMs)
    {
        var publication = new RigPublication(rig, 1_700_000_000_000, () => sentMs);
        var r = new List<ReceivedMessage>();
        foreach (var f in frames)
            foreach (var m in publication.Frame(f))
            {
                Assert.True(MqttPayloadReader.TryRead(m.Topic, m.Payload, out var read, out string reason), reason);
                r.Add(new ReceivedMessage(read, sentMs + 5));
            }
        return r;
    }

    private static FleetBatch Batch(IEnumerable<ReceivedMessage> messages)
    {
        var b = new FleetBatch { StoredMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
        foreach (var m in messages) b.Add(m);
        return b;
    }

    private static long Count(FleetStore store, string sql)
    {
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Each_key_is_stored_once_however_often_it_arrives(string kind)
    {
        var messages = Messages("r1", Frames(50), 1_765_000_000_000);
        using var store = FleetStore.Open(Db(kind));
        var first = await store.WriteAsync(Batch(messages), default);
        // Fault sets: the first frame's, raised, cleared. Events: boot, state null->discharge, the fault raised with
        // discharge->fault, then cleared with fault->discharge.
        Assert.Equal(new BatchResult(50, 50, 3, 6), first);
        // The same messages again (a redelivery), and within one batch twice (a duplicate publish): nothing added.
        Assert.Equal(0, (await store.WriteAsync(Batch(messages), default)).Total);
        Assert.Equal(0, (await store.WriteAsync(Batch(messages.Concat(messages.Take(10))), default)).Total);
        Assert.Equal(50, Count(store, "SELECT COUNT(*) FROM samples WHERE rig = 'r1'"));
        Assert.Equal(50, Count(store, "SELECT COUNT(*) FROM cell_samples"));
        Assert.Equal(50, Count(store, "SELECT COUNT(DISTINCT seq) FROM samples"));
        // Unknown stays unknown: frame 5's third cell is null, not a stale or zero value.
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = "SELECT cell_mv FROM cell_samples WHERE seq = 5";
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.Equal(new double?[] { 3995, 3994, null, 3992 }, store.ReadArray(r, 0));
    }

    [Fact]
    public async Task Postgres_puts_each_day_in_its_own_partition()
    {
        const long day = 86_400_000, midnight = 20_400 * day; // 2025-11-08T00:00Z
        using var store = FleetStore.Open(_pg.NewDatabase());
        var before = Messages("r1", Frames(3), midnight - 1);
        var after = Messages("r1", Frames(3, 3, 300), midnight);
        await store.WriteAsync(Batch(before.Concat(after)), default);
        Assert.Equal(2, Count(store, "SELECT COUNT(*) FROM pg_inherits WHERE inhparent = 'samples'::regclass"));
        Assert.Equal(3, Count(store, "SELECT COUNT(*) FROM samples_d20251107"));
        Assert.Equal(3, Count(store, "SELECT COUNT(*) FROM samples_d20251108"));
        // A later batch of a known day creates nothing new.
        await store.WriteAsync(Batch(Messages("r1", Frames(2, 6, 600), midnight + 1000)), default);
        Assert.Equal(2, Count(store, "SELECT COUNT(*) FROM pg_inherits WHERE inhparent = 'cell_samples'::regclass"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Report_from_the_database_matches_the_report_of_the_same_frames_logged_to_csv(string kind)
    {
        var frames = Frames(60);
        string csvPath = Path.Combine(_dir, "log.csv");
        File.WriteAllLines(csvPath, frames.Select(TelemetryCsv.Row).Prepend(TelemetryCsv.Header(4)));
        var fromCsv = RunReport.From(RunCsv.Read(csvPath));
        string db = Db(kind);
        using (var store = FleetStore.Open(db))
        {
            await store.WriteAsync(Batch(Messages("r1", frames, 1_765_000_000_000)), default);
            await store.WriteAsync(Batch(Messages("other", Frames(10), 1_765_000_000_000)), default);
        }
        var outDir = Directory.CreateDirectory(Path.Combine(_dir, "report")).FullName;
        var (code, stdout, stderr) = Cli("report", "--db", db, "--rig", "r1", "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("60 rows", stdout);
        using var store2 = FleetStore.Open(db);
        var run = FleetRun.Load(store2, new FleetSelection(db, "r1", long.MinValue, long.MaxValue)).Run;
        var fromDb = RunReport.From(run);
        Assert.Equal(60, run.Rows.Count);
        Assert.Equal(fromCsv.DurationS, fromDb.DurationS, 6);
        Assert.Equal(fromCsv.MinCellV, fromDb.MinCellV, 6);
        Assert.Equal(fromCsv.DischargedAh, fromDb.DischargedAh, 9);
        Assert.Equal(fromCsv.Faults.Select(f => (f.Fault, f.LastS - f.FirstS)), fromDb.Faults.Select(f => (f.Fault, f.LastS - f.FirstS)));
        // --from/--to select by send time: none of this rig's samples were sent after it.
        var (none, _, err) = Cli("report", "--db", db, "--rig", "r1", "--from", "1765000001", "--out", outDir);
        Assert.Equal(2, none);
        Assert.Contains("no samples", err);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Eventlog_csv_lists_the_stored_events_with_their_frame(string kind)
    {
        string db = Db(kind);
        using (var store = FleetStore.Open(db))
            await store.WriteAsync(Batch(Messages("r1", Frames(40), 1_765_000_000_000)), default);
        string csv = Path.Combine(_dir, "events.csv");
        var (code, _, stderr) = Cli("eventlog", "--db", db, "--rig", "r1", "--csv", csv);
        Assert.True(code == 0, stderr);
        var lines = File.ReadAllLines(csv);
        Assert.Equal(SolidBms.Simulator.Run.EventLogCsv.Header, lines[0]);
        var raised = lines.Single(l => l.Contains(",fault-raised,"));
        var f = raised.Split(',');
        Assert.Equal("20", f[0]);
        Assert.Equal("2.000", f[1]);
        Assert.Equal("pressureLow:trip", f[4]);
        Assert.Equal("3.977", f[5]); // the lowest cell of frame 20: 4000 - 20 - 3 mV
        Assert.Contains(lines, l => l.Contains(",fault-cleared,") && l.StartsWith("30,"));
        Assert.Contains(lines, l => l.Contains(",state,") && l.Contains("discharge->fault"));
    }

    [Fact]
    public void Bad_database_arguments_are_refused_with_a_clear_error()
    {
        Assert.Contains("not a postgres://", Cli("report", "--db", "postgres://", "--rig", "r1", "--out", _dir).Stderr);
        Assert.Contains("needs --rig", Cli("plot", "--db", Path.Combine(_dir, "x.sqlite"), "--png", Path.Combine(_dir, "x.png")).Stderr);
        Assert.Contains("is not allowed", Cli("eventlog", "--db", Path.Combine(_dir, "x.sqlite"), "--rig", "a/b").Stderr);
        Assert.Contains("neither an ISO 8601", Cli("plot", "--db", Path.Combine(_dir, "x.sqlite"), "--rig", "r1", "--from", "yesterday", "--png", Path.Combine(_dir, "x.png")).Stderr);
        Assert.Contains("go with --db", Cli("plot", "x.csv", "--rig", "r1", "--png", Path.Combine(_dir, "x.png")).Stderr);
    }

    public static (int Code, string Stdout, string Stderr) Cli(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = SolidBms.Cli.CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }
}
