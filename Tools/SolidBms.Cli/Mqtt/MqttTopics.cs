using System.Text.RegularExpressions;

namespace SolidBms.Cli.Mqtt;

/// <summary>
/// The topic names of docs/mqtt.md (schema version <see cref="MqttSchema.Version"/>): everything a rig publishes lives
/// under <c>solidbms/&lt;rig&gt;/</c>, Home Assistant's discovery configs under <c>homeassistant/</c>.
/// </summary>
public static partial class MqttTopics
{
    public const string Prefix = "solidbms/";
    public const string Availability = "availability", Pack = "pack", Cells = "cells", Faults = "faults", Event = "event";
    /// <summary>Where Home Assistant announces itself (`online` when it starts): the cue to republish discovery.</summary>
    public const string HomeAssistantStatus = "homeassistant/status";
    /// <summary>Every rig's topics, for a subscriber (the collector).</summary>
    public const string AllRigs = "solidbms/+/+";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex RigPattern();

    /// <summary>Null when the name may be a rig's, else why not (a rig name becomes a topic level and an entity id).</summary>
    public static string RigNameError(string rig) =>
        rig != null && RigPattern().IsMatch(rig) ? null
            : $"rig name '{rig}' is not allowed: 1 to 32 characters from A-Z, a-z, 0-9, '_' and '-' (it becomes an MQTT topic level)";

    public static string Of(string rig, string kind) => Prefix + rig + "/" + kind;

    /// <summary>Splits solidbms/&lt;rig&gt;/&lt;kind&gt;; false for any other topic, an invalid rig or an unknown kind.</summary>
    public static bool TryParse(string topic, out string rig, out string kind)
    {
        rig = kind = null;
        if (topic == null || !topic.StartsWith(Prefix)) return false;
        var parts = topic.Substring(Prefix.Length).Split('/');
        if (parts.Length != 2 || RigNameError(parts[0]) != null) return false;
        if (parts[1] is not (Availability or Pack or Cells or Faults or Event)) return false;
        rig = parts[0];
        kind = parts[1];
        return true;
    }

    /// <summary>homeassistant/&lt;component&gt;/solidbms_&lt;rig&gt;_&lt;entity&gt;/config</summary>
    public static string Discovery(string component, string rig, string entity) =>
        "homeassistant/" + component + "/" + EntityId(rig, entity) + "/config";

    public static string EntityId(string rig, string entity) => "solidbms_" + rig + "_" + entity;
}
