using System;
using System.Collections.Generic;
using System.Linq;
using SolidBms.Cli.Serial;

namespace SolidBms.Cli.Mqtt;

/// <summary>
/// What one rig publishes, frame by frame (docs/mqtt.md): pack and cells for every frame, the retained fault set when it
/// changes, and an event for each boot, state change and fault raised or cleared. Shared by `bridge` (frames from a
/// serial port) and `sim --mqtt` (frames from the simulated firmware), so the two publish the same thing.
/// </summary>
public sealed class RigPublication
{
    private readonly BootTracker _boots;
    private readonly Func<long> _unixMs;
    private string _state;
    private string[] _faults = Array.Empty<string>();

    /// <param name="unixMs">The publisher's wall clock (unix ms): sent_ms of the messages built.</param>
    public RigPublication(string rig, long publisherStartUnixMs, Func<long> unixMs)
    {
        if (MqttTopics.RigNameError(rig) is string error) throw new UsageException(error);
        Rig = rig;
        _boots = new BootTracker(publisherStartUnixMs);
        _unixMs = unixMs;
    }

    public string Rig { get; }
    public string Boot => _boots.Boot;
    /// <summary>The latest frame (null before the first): the discovery configs are sized from it.</summary>
    public TelemetrySample Last { get; private set; }
    /// <summary>True when the latest frame's layout (cells, temperatures, stacks) differs from the one before.</summary>
    public bool LayoutChanged { get; private set; }

    public MqttOutgoing Availability(bool online) =>
        new(MqttTopics.Of(Rig, MqttTopics.Availability), System.Text.Encoding.UTF8.GetBytes(online ? MqttSchema.Online : MqttSchema.Offline), true);

    /// <summary>The messages of one frame, in the order to publish them.</summary>
    public List<MqttOutgoing> Frame(TelemetrySample s)
    {
        long sent = _unixMs();
        var r = new List<MqttOutgoing>(4);
        string previousBoot = _boots.Boot;
        bool newBoot = _boots.Observe(s.Seq, s.TimeMs);
        string boot = _boots.Boot;
        MqttOutgoing Event(string kind, string name, string from) =>
            new(MqttTopics.Of(Rig, MqttTopics.Event), MqttPayloadWriter.Event(Rig, boot, s.Seq, s.TimeMs, sent, kind, name, from), false);
        if (newBoot)
        {
            // A reset clears the device's state and its faults: this boot's first frame is compared with nothing.
            r.Add(Event(MqttSchema.Boot, boot, previousBoot));
            _state = null;
            _faults = null;
        }
        if (s.State != _state) r.Add(Event(MqttSchema.StateChange, s.State, _state));
        var before = _faults ?? Array.Empty<string>();
        foreach (var f in before.Except(s.Faults)) r.Add(Event(MqttSchema.FaultCleared, f, null));
        foreach (var f in s.Faults.Except(before)) r.Add(Event(MqttSchema.FaultRaised, f, null));
        if (_faults == null || !_faults.SequenceEqual(s.Faults))
            r.Add(new(MqttTopics.Of(Rig, MqttTopics.Faults), MqttPayloadWriter.Faults(Rig, boot, s, sent), true));
        r.Add(new(MqttTopics.Of(Rig, MqttTopics.Pack), MqttPayloadWriter.Pack(Rig, boot, s, sent), false));
        r.Add(new(MqttTopics.Of(Rig, MqttTopics.Cells), MqttPayloadWriter.Cells(Rig, boot, s, sent), false));
        _state = s.State;
        _faults = s.Faults;
        LayoutChanged = Last == null || Last.CellMv.Length != s.CellMv.Length || Last.TempDeciC.Length != s.TempDeciC.Length
                        || Last.PressureKpa.Length != s.PressureKpa.Length;
        Last = s;
        return r;
    }
}
