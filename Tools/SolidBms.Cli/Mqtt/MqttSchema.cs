namespace SolidBms.Cli.Mqtt;

/// <summary>The version and the limits of the MQTT payloads (docs/mqtt.md).</summary>
public static class MqttSchema
{
    /// <summary>The major version every payload carries as "v"; a reader refuses any other.</summary>
    public const int Version = 1;

    /// <summary>
    /// Larger payloads are refused unread. A 64-cell cells message is about 1.5 KB; the bound leaves room for far
    /// larger packs and stops a broken or hostile publisher from making a reader parse megabytes.
    /// </summary>
    public const int MaxPayloadBytes = 64 * 1024;

    public const string Online = "online", Offline = "offline";

    /// <summary>The kinds of an event message.</summary>
    public const string FaultRaised = "fault_raised", FaultCleared = "fault_cleared", StateChange = "state", Boot = "boot";
}
