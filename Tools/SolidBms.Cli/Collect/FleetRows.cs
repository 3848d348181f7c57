using System.Collections.Generic;
using SolidBms.Cli.Mqtt;

namespace SolidBms.Cli.Collect;

/// <summary>
/// A validated message and when the collector received it (lag = received - the publisher's sent_ms). Its
/// idempotent key is (rig, boot, seq), plus (kind, name) for an event: several events may share one frame.
/// </summary>
public sealed record ReceivedMessage(MqttMessage Message, long ReceivedMs);

/// <summary>The messages of one batch, by table, written in one transaction.</summary>
public sealed class FleetBatch
{
    public readonly List<ReceivedMessage> Packs = new(), Cells = new(), Faults = new(), Events = new();
    /// <summary>When the batch went to the database (unix ms): stored_ms of its rows.</summary>
    public long StoredMs;

    public int Count => Packs.Count + Cells.Count + Faults.Count + Events.Count;

    /// <summary>Adds a message of a stored kind; false for availability (not stored: the broker keeps it retained).</summary>
    public bool Add(ReceivedMessage r)
    {
        var list = r.Message.Kind switch
        {
            MqttTopics.Pack => Packs,
            MqttTopics.Cells => Cells,
            MqttTopics.Faults => Faults,
            MqttTopics.Event => Events,
            _ => null,
        };
        list?.Add(r);
        return list != null;
    }

    public void Clear() { Packs.Clear(); Cells.Clear(); Faults.Clear(); Events.Clear(); }
}

/// <summary>Rows a batch added per table; the rest of the batch was already stored (redeliveries, duplicates).</summary>
public readonly record struct BatchResult(int Packs, int Cells, int Faults, int Events)
{
    public int Total => Packs + Cells + Faults + Events;
}
