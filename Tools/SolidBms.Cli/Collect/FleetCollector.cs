using System;
using System.Buffers;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using MQTTnet;
using MQTTnet.Protocol;
using SolidBms.Cli.Mqtt;

namespace SolidBms.Cli.Collect;

/// <summary>Settings of <see cref="FleetCollector"/> (docs/fleet.md).</summary>
public sealed record CollectorOptions(MqttUrl Broker, string ClientId)
{
    /// <summary>A batch is written when it holds this many messages or is this old, whichever comes first.</summary>
    public int BatchRows { get; init; } = 1000;
    public int BatchMs { get; init; } = 200;
    /// <summary>How long the broker keeps the session (subscription and queued messages) while the collector is away.</summary>
    public uint SessionExpiryS { get; init; } = 7 * 24 * 3600;
    public int SummaryEveryS { get; init; } = 10;
}

/// <summary>
/// Subscribes to every rig (QoS 1, persistent session under a fixed client id) and stores what arrives in a
/// <see cref="FleetStore"/>. Messages are acknowledged only once the batch holding them is committed: a collector killed
/// between receipt and commit leaves them unacknowledged, and the broker delivers them again on the next connect, where
/// the idempotent key skips whatever had been stored. Bad input is counted, logged and acknowledged (dropped): it would
/// only come back. Reconnects on its own when the broker goes away.
/// </summary>
public sealed class FleetCollector
{
    /// <summary>One received message in arrival order: its validated content (null when dropped) and its acknowledgement.</summary>
    private sealed record Item(ReceivedMessage Message, MqttApplicationMessageReceivedEventArgs Delivery, int Connection);

    /// <summary>Log lines per bad-input category before the rest are only counted (a flood must not flood the log).</summary>
    private const int LoggedPerCategory = 20;

    private readonly FleetStore _store;
    private readonly CollectorOptions _options;
    private readonly TextWriter _log;
    private readonly Channel<Item> _received = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private int _connection;

    public CollectCounts Counts { get; } = new();

    public FleetCollector(FleetStore store, CollectorOptions options, TextWriter log)
    {
        _store = store;
        _options = options;
        _log = TextWriter.Synchronized(log);
    }

    /// <summary>Runs until <paramref name="stop"/>: then writes and acknowledges what it holds, and leaves the session for next time.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e => { OnMessage(e); return Task.CompletedTask; };
        var writer = Task.Run(() => WriteLoop(stop));
        var summary = Task.Run(() => SummaryLoop(stop));
        await ConnectLoop(client, stop);
        await writer;
        try { if (client.IsConnected) await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build()); }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException) { }
        await summary;
        _log.WriteLine(Counts.Summary());
    }

    /// <summary>
    /// The socket's receive (and send) buffer. MQTTnet sets SO_RCVBUF to its own 8 KiB by default, which on Linux fixes
    /// the TCP receive window at about 8 KiB with no window scaling: at 2,000 messages/s the broker's send queue then grew
    /// to megabytes while the window, reopened only by delayed ACKs, let some tens of messages a second through
    /// (docs/benchmarks.md, "Fleet"). 1 MiB (the kernel doubles it) holds over a second of a 100-rig fleet.
    /// </summary>
    public const int SocketBufferBytes = 1 << 20;

    private MqttClientOptions ClientOptions()
    {
        var options = BuildClientOptions();
        ((MqttClientTcpOptions)options.ChannelOptions).BufferSize = SocketBufferBytes;
        return options;
    }

    private MqttClientOptions BuildClientOptions() => new MqttClientOptionsBuilder()
        .WithTcpServer(_options.Broker.Host, _options.Broker.Port)
        .WithClientId(_options.ClientId)
        .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
        .WithCleanStart(false)
        .WithSessionExpiryInterval(_options.SessionExpiryS)
        // Messages held for a batch are unacknowledged, so the broker must be allowed to send well past a whole batch:
        // it stops sending to this client once this many are unacknowledged.
        .WithReceiveMaximum(ushort.MaxValue)
        .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
        .WithTimeout(TimeSpan.FromSeconds(10))
        .Build();

    private async Task ConnectLoop(IMqttClient client, CancellationToken stop)
    {
        bool reportedDown = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (!client.IsConnected)
                {
                    // A new generation before connecting: what the session delivers at once belongs to this connection.
                    Interlocked.Increment(ref _connection);
                    var result = await client.ConnectAsync(ClientOptions(), stop);
                    Counts.OnConnected();
                    // A session the broker kept still holds the subscription (and the messages queued meanwhile).
                    if (!result.IsSessionPresent)
                        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                            .WithTopicFilter(MqttTopics.AllRigs, MqttQualityOfServiceLevel.AtLeastOnce).Build(), stop);
                    _log.WriteLine($"collect: connected to {_options.Broker} as {_options.ClientId} (session {(result.IsSessionPresent ? "resumed" : "new")}), storing into {_store.Describe}");
                    reportedDown = false;
                }
                await Task.Delay(500, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or IOException
                                          or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                if (!reportedDown) _log.WriteLine($"collect: broker {_options.Broker} unreachable ({e.Message}); retrying every second");
                reportedDown = true;
                try { await Task.Delay(1000, stop); } catch (OperationCanceledException) { }
            }
        }
    }

    private void OnMessage(MqttApplicationMessageReceivedEventArgs e)
    {
        e.AutoAcknowledge = false;
        Counts.OnReceived();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var msg = e.ApplicationMessage;
        ReceivedMessage good = null;
        long length = msg.Payload.Length;
        // An oversized payload is refused before it is even copied out of the receive buffer.
        if (length > MqttSchema.MaxPayloadBytes) Drop("oversized", $"{msg.Topic}: oversized payload: {length} bytes (limit {MqttSchema.MaxPayloadBytes})");
        else if (!MqttPayloadReader.TryRead(msg.Topic, msg.Payload.ToArray(), out var m, out string reason)) Drop(Category(msg.Topic, reason), $"{msg.Topic}: {reason}");
        else if (m.Kind == MqttTopics.Availability) Counts.OnAvailability();
        else good = new ReceivedMessage(m, now);
        _received.Writer.TryWrite(new Item(good, e, Volatile.Read(ref _connection)));
    }

    private static string Category(string topic, string reason) =>
        !MqttTopics.TryParse(topic, out _, out _) ? "unknown-topic"
        : reason.Contains("version", StringComparison.Ordinal) ? "version"
        : "malformed";

    private void Drop(string category, string line)
    {
        long n = Counts.OnBad(category);
        if (n <= LoggedPerCategory) _log.WriteLine($"collect: dropped ({category}) {line}");
        if (n == LoggedPerCategory) _log.WriteLine($"collect: further {category} input is counted, not logged");
    }

    private async Task WriteLoop(CancellationToken stop)
    {
        var batch = new FleetBatch();
        var held = new System.Collections.Generic.List<Item>();
        var reader = _received.Reader;
        var age = new Stopwatch();
        while (true)
        {
            // Gather up to BatchRows or BatchMs from the first message; on stop, take what has arrived and finish.
            bool stopping = stop.IsCancellationRequested;
            while (held.Count < _options.BatchRows && reader.TryRead(out var item)) { if (held.Count == 0) age.Restart(); held.Add(item); }
            bool due = held.Count >= _options.BatchRows || (held.Count > 0 && age.ElapsedMilliseconds >= _options.BatchMs) || (stopping && held.Count > 0);
            if (!due)
            {
                if (stopping) return;
                int wait = held.Count == 0 ? 1000 : Math.Max(1, _options.BatchMs - (int)age.ElapsedMilliseconds);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                timeout.CancelAfter(wait);
                try { await reader.WaitToReadAsync(timeout.Token); } catch (OperationCanceledException) { }
                continue;
            }
            batch.Clear();
            foreach (var item in held) if (item.Message != null) batch.Add(item.Message);
            // On failure the batch is kept and retried; nothing is acknowledged before it is stored. Stopping, it is left
            // unacknowledged for the broker to deliver again.
            if (!await Commit(batch, stop)) { if (stopping) return; continue; }
            await Acknowledge(held);
            held.Clear();
        }
    }

    private async Task<bool> Commit(FleetBatch batch, CancellationToken stop)
    {
        if (batch.Count == 0) return true;
        batch.StoredMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        try
        {
            var added = await _store.WriteAsync(batch, CancellationToken.None);
            Counts.OnBatch(batch, added);
            return true;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or InvalidOperationException or TimeoutException)
        {
            Counts.OnWriteFailed();
            _log.WriteLine($"collect: writing {batch.Count} messages to {_store.Describe} failed ({e.Message}); retrying in 1 s, unacknowledged");
            try { await Task.Delay(1000, stop); } catch (OperationCanceledException) { return false; }
            return false;
        }
    }

    /// <summary>
    /// Acknowledges in arrival order (MQTT wants PUBACKs in order). A message from an earlier connection is not
    /// acknowledged: its packet id may name another message on the new one, and the broker sends it again anyway.
    /// </summary>
    private async Task Acknowledge(System.Collections.Generic.List<Item> items)
    {
        int current = Volatile.Read(ref _connection);
        foreach (var item in items)
        {
            if (item.Connection != current) continue;
            // Bounded: on a connection that died unnoticed the send can hang, and the writer must go on.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await item.Delivery.AcknowledgeAsync(timeout.Token); }
            catch (Exception e)
            {
                // The connection dropped (MQTTnet says so in several exception types): everything not acknowledged
                // comes again on the next connection, so nothing is lost by giving up here.
                _log.WriteLine($"collect: acknowledging stopped ({e.GetType().Name}: {e.Message}); the broker will deliver the rest again");
                return;
            }
        }
    }

    private async Task SummaryLoop(CancellationToken stop)
    {
        if (_options.SummaryEveryS <= 0) return;
        while (true)
        {
            try { await Task.Delay(TimeSpan.FromSeconds(_options.SummaryEveryS), stop); }
            catch (OperationCanceledException) { return; }
            _log.WriteLine(Counts.Summary());
        }
    }
}
