namespace SolidBms.Cli.Mqtt;

/// <summary>
/// One message read back from solidbms/&lt;rig&gt;/&lt;kind&gt; and validated by <see cref="MqttPayloadReader"/>. Only the
/// members of its kind are set; a null number is a value the device did not know.
/// </summary>
public sealed class MqttMessage
{
    public string Kind; // MqttTopics.Availability, Pack, Cells, Faults or Event
    public string Rig;

    /// <summary>Availability: true for `online`, false for `offline`.</summary>
    public bool Online;

    // Every JSON payload: the idempotent key (Rig, Boot, Seq), the device's clock and the publisher's send time.
    public string Boot;
    public long Seq, TimeMs, SentMs;

    // pack
    public long? UnixS;
    public string State, Abuse;
    public double? SocPct, CurrentA, PackV, ChargeLimitA, DischargeLimitA;
    public int Status;
    public bool ContactorClosed;
    public int? BalancingCells;
    /// <summary>pack: the frame's active faults; faults: the active set.</summary>
    public string[] Faults;

    // cells
    public double?[] CellMv, TempC, PressureKpa;
    public string BalancingMask;

    // event
    public string EventKind, EventName, EventFrom;
}
