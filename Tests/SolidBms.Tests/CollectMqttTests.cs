using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MQTTnet;
using MQTTnet.Protocol;
using SolidBms.Cli.Collect;
using SolidBms.Cli.Mqtt;

namespace SolidBms.Tests;

/// <summary>
/// `collect` against real Mosquitto brokers (scripts/mqtt-broker.sh) and real databases: bad input counted and dropped
/// while good input is stored; and short `bench fleet` runs (a few rigs, seconds) through a collector crash, a broker
/// restart and a 30 s outage of the central broker behind a bench bridge, each counting the rows in the database.
/// </summary>
[Collection("fleet-postgres")]
public sealed class CollectMqttTests : IDisposable
{
    private readonly FleetPostgresFixture _pg;
    private readonly string _dir = Directory.CreateTempSubdirectory("solidbms-collect-").FullName;

    public CollectMqttTests(FleetPostgresFixture pg) => _pg = pg;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task Bad_input_is_counted_and_dropped_and_the_collector_keeps_storing()
    {
        using var brokers = new FleetBrokers(Repo.Root);
        int port = brokers.Start();
        string db = Path.Combine(_dir, "fleet.sqlite");
        using var store = FleetStore.Open(db);
        var log = new StringWriter();
        var collector = new FleetCollector(store, new CollectorOptions(new MqttUrl("127.0.0.1", port), "test-collect") { SummaryEveryS = 0 }, log);
        using var stop = new CancellationTokenSource();
        var running = collector.RunAsync(stop.Token);
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).Build());
        await WaitFor(() => log.ToString().Contains("collect: connected"));
        async Task Publish(string topic, byte[] payload) =>
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        var good = CollectStoreTests.Frames(10);
        var publication = new RigPublication("r1", 1_700_000_000_000, () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        foreach (var (frame, k) in good.Select((f, k) => (f, k)))
        {
            foreach (var m in publication.Frame(frame)) await Publish(m.Topic, m.Payload);
            // Between good frames, one of each kind of bad input.
            switch (k)
            {
                case 1: await Publish("solidbms/r1/pack", Encoding.UTF8.GetBytes("{\"v\":1,\"rig\":")); break;
                case 2: await Publish("solidbms/r1/pack", Encoding.UTF8.GetBytes("{\"v\":2,\"rig\":\"r1\"}")); break;
                case 3: await Publish("solidbms/r1/settings", Encoding.UTF8.GetBytes("{\"v\":1}")); break;
                case 4: await Publish("solidbms/r1/cells", new byte[MqttSchema.MaxPayloadBytes + 1]); break;
                case 5: await Publish("solidbms/r1/pack", new byte[] { 0xff, 0xfe }); break;
            }
        }
        await WaitFor(() => collector.Counts.StoredSamples == 10 && collector.Counts.Bad == 5);
        stop.Cancel();
        await running;
        Assert.Equal(1, collector.Counts.BadOf("unknown-topic"));
        Assert.Equal(1, collector.Counts.BadOf("oversized"));
        Assert.Equal(1, collector.Counts.BadOf("version"));
        Assert.Equal(2, collector.Counts.BadOf("malformed"));
        string text = log.ToString();
        Assert.Equal(5, Regex.Matches(text, "collect: dropped").Count); // one log line each
        Assert.Contains("solidbms/r1/settings", text);
        Assert.Contains("collect: received", text); // the summary on exit
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM cell_samples WHERE rig = 'r1'";
        Assert.Equal(10L, Convert.ToInt64(cmd.ExecuteScalar()));
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met within 60 s");
            await Task.Delay(50);
        }
    }

    /// <summary>Runs `bench fleet` and reads its counts: frames, stored, lost and duplicated rows.</summary>
    private static (long Frames, long Stored, long Lost, long Duplicated, string Output) Bench(params string[] args)
    {
        var (code, stdout, stderr) = CollectStoreTests.Cli(new[] { "bench", "fleet", "--rate-hz", "10" }.Concat(args).ToArray());
        Assert.True(code == 0, stderr);
        var m = Regex.Match(stdout, @"samples: frames (\d+), .*stored (\d+), lost (-?\d+), duplicated rows (\d+)");
        Assert.True(m.Success, stdout);
        return (long.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value), long.Parse(m.Groups[3].Value), long.Parse(m.Groups[4].Value), stdout + stderr);
    }

    /// <summary>Every frame has its row in the database, and only one.</summary>
    private static void NothingLostOrTwice((long Frames, long Stored, long Lost, long Duplicated, string Output) r)
    {
        Assert.True(r.Frames == r.Stored, r.Output);
        Assert.Equal(0, r.Lost);
        Assert.Equal(0, r.Duplicated);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void A_collector_killed_and_restarted_loses_nothing_and_stores_nothing_twice(string kind)
    {
        string db = kind == "sqlite" ? Path.Combine(_dir, "fleet.sqlite") : _pg.NewDatabase();
        var r = Bench("--rigs", "3", "--duration-s", "10", "--kill-collector-at", "4", "--collector-down-s", "2", "--db", db);
        Assert.True(r.Frames >= 3 * 90, r.Output); // 3 rigs, 10 Hz, 10 s
        Assert.Contains("collector killed", r.Output);
        NothingLostOrTwice(r);
    }

    [Fact]
    public void A_broker_restart_loses_nothing()
    {
        var r = Bench("--rigs", "3", "--duration-s", "10", "--restart-broker-at", "4", "--db", _pg.NewDatabase());
        Assert.Contains("restarted", r.Output);
        NothingLostOrTwice(r);
    }

    [Fact]
    public void The_central_broker_down_30_s_behind_a_bench_bridge_loses_nothing()
    {
        var r = Bench("--rigs", "2", "--duration-s", "40", "--bridge", "--central-down-at", "4", "--central-down-s", "30", "--db", Path.Combine(_dir, "fleet.sqlite"));
        Assert.Contains("central broker down for 30 s", r.Output);
        Assert.True(r.Frames >= 2 * 390, r.Output);
        NothingLostOrTwice(r);
    }
}
