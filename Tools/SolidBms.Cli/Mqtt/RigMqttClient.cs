using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace SolidBms.Cli.Mqtt;

/// <summary>
/// One rig's MQTT connection (docs/mqtt.md): its own connection because the last will (`offline`, retained) is one per
/// connection. Frames are queued and sent by a background loop that reconnects with a backoff whenever the broker goes
/// away, so the caller (a serial reader, the simulator's tick) never waits on the network. The availability and the
/// discovery configs are state, not queue entries: the loop publishes the latest availability and, when due, the
/// discovery after each (re)connection, on request, and when Home Assistant announces itself.
/// </summary>
public sealed class RigMqttClient : IAsyncDisposable
{
    /// <summary>Messages kept while the broker is unreachable (about 16 minutes of a rig at 10 Hz); the oldest go first.</summary>
    public const int MaxQueued = 20_000;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(500), MaxBackoff = TimeSpan.FromSeconds(10);

    private readonly MqttUrl _url;
    private readonly RigPublication _rig;
    private readonly Func<List<MqttOutgoing>> _discovery;
    private readonly TextWriter _log;
    private readonly IMqttClient _client;
    private readonly LinkedList<MqttOutgoing> _queue = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private bool _online, _availabilityDue, _discoveryDue;
    private long _published, _samples, _dropped;

    /// <param name="discovery">The discovery configs to publish now (null or empty: nothing known yet).</param>
    public RigMqttClient(MqttUrl url, RigPublication rig, Func<List<MqttOutgoing>> discovery, TextWriter log)
    {
        _url = url;
        _rig = rig;
        _discovery = discovery;
        _log = log;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            // Home Assistant (re)started: it has lost the entities unless they are retained, so they are sent again.
            if (e.ApplicationMessage.Topic == MqttTopics.HomeAssistantStatus && e.ApplicationMessage.ConvertPayloadToString() == MqttSchema.Online)
                RequestDiscovery();
            return Task.CompletedTask;
        };
        _loop = Task.Run(RunAsync);
    }

    public string Rig => _rig.Rig;
    public bool Connected => _client.IsConnected;
    /// <summary>Messages the broker acknowledged (QoS 1).</summary>
    public long Published => Interlocked.Read(ref _published);
    /// <summary>Pack messages acknowledged: one per sample.</summary>
    public long SamplesPublished => Interlocked.Read(ref _samples);
    /// <summary>Messages dropped because the queue was full while the broker was away.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);
    public int Queued { get { lock (_queue) return _queue.Count; } }

    public void Enqueue(IEnumerable<MqttOutgoing> messages)
    {
        lock (_queue)
        {
            foreach (var m in messages)
            {
                _queue.AddLast(m);
                if (_queue.Count > MaxQueued) { _queue.RemoveFirst(); _dropped++; }
            }
        }
        _wake.Release();
    }

    /// <summary>Sets the rig's availability; it is published (retained) as soon as the connection allows, once per change.</summary>
    public void SetAvailability(bool online)
    {
        lock (_queue)
        {
            if (online == _online && !_availabilityDue) return;
            _online = online;
            _availabilityDue = true;
        }
        _wake.Release();
    }

    public void RequestDiscovery()
    {
        lock (_queue) _discoveryDue = true;
        _wake.Release();
    }

    /// <summary>
    /// Sends what is queued (up to the timeout), publishes `offline` and disconnects cleanly (a clean disconnect does not fire
    /// the will, hence the explicit `offline`).
    /// </summary>
    public async Task StopAsync(TimeSpan drainTimeout)
    {
        // The samples first, then `offline`: the loop sends availability ahead of the queue, so it is set once the queue is empty.
        // Connected or not: a broker down when the stop comes may be back within the drain time (the loop keeps trying);
        // waiting only while connected gave up at once on a rig between two reconnect attempts, with its queue unsent.
        var deadline = DateTime.UtcNow + drainTimeout;
        while (DateTime.UtcNow < deadline && Queued > 0) await Task.Delay(20);
        SetAvailability(false);
        while (DateTime.UtcNow < deadline && AvailabilityDue) await Task.Delay(20);
        _stop.Cancel();
        _wake.Release();
        try { await _loop; } catch (OperationCanceledException) { }
        if (_client.IsConnected)
        {
            try
            {
                using var t = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                if (AvailabilityDue) await PublishAsync(_rig.Availability(false), t.Token);
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), t.Token);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _log.WriteLine($"mqtt: {Rig}: could not say offline before leaving ({e.Message}); the broker's will says it");
            }
        }
    }

    private bool AvailabilityDue { get { lock (_queue) return _availabilityDue; } }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync(TimeSpan.Zero);
        _client.Dispose();
    }

    private async Task RunAsync()
    {
        var backoff = FirstBackoff;
        bool reportedDown = false;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    await ConnectAsync();
                    _log.WriteLine($"mqtt: {Rig}: connected to {_url}");
                    backoff = FirstBackoff;
                    reportedDown = false;
                }
                await SendPendingAsync();
                await _wake.WaitAsync(500, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The broker is down or went away: keep everything queued and try again later; never give up.
                if (!reportedDown || backoff == MaxBackoff)
                    _log.WriteLine($"mqtt: {Rig}: broker {_url} unavailable ({e.Message}); retrying in {backoff.TotalSeconds:0.#} s, {Queued} messages queued");
                reportedDown = true;
                try { await Task.Delay(backoff, _stop.Token); } catch (OperationCanceledException) { return; }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private async Task ConnectAsync()
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(_url.Host, _url.Port)
            .WithClientId($"solidbms-{Rig}-{Guid.NewGuid().ToString("N")[..8]}")
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(5))
            .WithWillTopic(MqttTopics.Of(Rig, MqttTopics.Availability))
            .WithWillPayload(System.Text.Encoding.UTF8.GetBytes(MqttSchema.Offline))
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await _client.ConnectAsync(options, timeout.Token);
        lock (_queue)
        {
            _availabilityDue = true; // the broker may have lost the retained state, or holds the will's `offline`
            _discoveryDue = true;
        }
        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(MqttTopics.HomeAssistantStatus, MqttQualityOfServiceLevel.AtLeastOnce).Build();
        await _client.SubscribeAsync(subscribe, timeout.Token);
    }

    private async Task SendPendingAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            MqttOutgoing next = null;
            List<MqttOutgoing> discovery = null;
            bool availability = false, online;
            lock (_queue)
            {
                online = _online;
                if (_availabilityDue) availability = true;
                else if (_discoveryDue) { _discoveryDue = false; discovery = _discovery() ?? new List<MqttOutgoing>(); }
                else if (_queue.Count > 0) next = _queue.First.Value;
            }
            if (availability)
            {
                await PublishAsync(_rig.Availability(online), _stop.Token);
                lock (_queue) if (_online == online) _availabilityDue = false;
            }
            else if (discovery != null)
            {
                try { foreach (var d in discovery) await PublishAsync(d, _stop.Token); }
                catch { lock (_queue) _discoveryDue = true; throw; }
            }
            else if (next != null)
            {
                await PublishAsync(next, _stop.Token);
                lock (_queue) if (_queue.Count > 0 && ReferenceEquals(_queue.First.Value, next)) _queue.RemoveFirst();
                if (next.Topic.EndsWith("/" + MqttTopics.Pack, StringComparison.Ordinal)) Interlocked.Increment(ref _samples);
            }
            else return;
        }
    }

    private async Task PublishAsync(MqttOutgoing m, CancellationToken ct)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(m.Topic)
            .WithPayload(m.Payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(m.Retain)
            .Build();
        var result = await _client.PublishAsync(message, ct);
        if (!result.IsSuccess) throw new IOException($"publish to {m.Topic} refused: {result.ReasonCode} {result.ReasonString}");
        Interlocked.Increment(ref _published);
    }
}
