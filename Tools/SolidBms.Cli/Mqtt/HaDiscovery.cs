using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace SolidBms.Cli.Mqtt;

/// <summary>
/// Home Assistant MQTT discovery (docs/mqtt.md): one retained config per entity under homeassistant/, all on one device
/// per rig, each available only while the rig's availability topic says `online`. Pack values read .../pack, per-cell and
/// per-stack values .../cells. A null in the payload renders as `None`, which Home Assistant shows as unknown.
/// </summary>
public static class HaDiscovery
{
    /// <summary>What the device block says of the rig; null members are left out.</summary>
    public sealed record DeviceInfo(string Model, string SwVersion);

    private sealed record Sensor(string Entity, string Name, string Kind, string Value, string Unit, string DeviceClass, bool Numeric);

    public static List<MqttOutgoing> Configs(string rig, int cells, int temperatures, int stacks, DeviceInfo device)
    {
        var sensors = new List<Sensor>
        {
            new("soc", "SOC", MqttTopics.Pack, "value_json.soc_pct", "%", "battery", true),
            new("current", "Current", MqttTopics.Pack, "value_json.current_a", "A", "current", true),
            new("pack_voltage", "Pack voltage", MqttTopics.Pack, "value_json.pack_v", "V", "voltage", true),
            new("charge_limit", "Charge limit", MqttTopics.Pack, "value_json.charge_limit_a", "A", "current", true),
            new("discharge_limit", "Discharge limit", MqttTopics.Pack, "value_json.discharge_limit_a", "A", "current", true),
            new("balancing_cells", "Cells balancing", MqttTopics.Pack, "value_json.balancing_cells", null, null, true),
            new("state", "State", MqttTopics.Pack, "value_json.state", null, null, false),
        };
        for (int i = 0; i < cells; i++)
            sensors.Add(new(Index("cell", i, "voltage"), $"Cell {i + 1} voltage", MqttTopics.Cells, $"value_json.cell_mv[{i}]", "mV", "voltage", true));
        for (int i = 0; i < temperatures; i++)
            sensors.Add(new(Index("cell", i, "temperature"), $"Cell {i + 1} temperature", MqttTopics.Cells, $"value_json.temp_c[{i}]", "°C", "temperature", true));
        for (int i = 0; i < stacks; i++)
            sensors.Add(new(Index("stack", i, "pressure"), $"Stack {i + 1} pressure", MqttTopics.Cells, $"value_json.pressure_kpa[{i}]", "kPa", "pressure", true));

        var r = new List<MqttOutgoing>();
        foreach (var s in sensors)
            r.Add(Config("sensor", rig, s.Entity, s.Name, s.Kind, "{{ " + s.Value + " }}", device, w =>
            {
                if (s.Unit != null) w.WriteString("unit_of_measurement", s.Unit);
                if (s.DeviceClass != null) w.WriteString("device_class", s.DeviceClass);
                if (s.Numeric) w.WriteString("state_class", "measurement"); // a text sensor (the state) has no statistics
            }));
        r.Add(Config("binary_sensor", rig, "contactor", "Contactor closed", MqttTopics.Pack,
            "{{ 'ON' if value_json.contactor_closed else 'OFF' }}", device, null));
        // Bit 0 of the status word (docs/protocol.md): a trip is latched until CLEAR.
        r.Add(Config("binary_sensor", rig, "trip", "Trip latched", MqttTopics.Pack,
            "{{ 'ON' if value_json.status is number and value_json.status % 2 == 1 else 'OFF' }}", device, w => w.WriteString("device_class", "problem")));
        return r;
    }

    private static string Index(string what, int i, string quantity) =>
        what + "_" + (i + 1).ToString("00", CultureInfo.InvariantCulture) + "_" + quantity;

    private static MqttOutgoing Config(string component, string rig, string entity, string name, string kind, string template,
        DeviceInfo device, System.Action<Utf8JsonWriter> extra)
    {
        string id = MqttTopics.EntityId(rig, entity);
        var payload = MqttPayloadWriter.Write(w =>
        {
            w.WriteString("name", name);
            w.WriteString("unique_id", id);
            w.WriteString("object_id", id);
            w.WriteString("state_topic", MqttTopics.Of(rig, kind));
            w.WriteString("value_template", template);
            extra?.Invoke(w);
            w.WriteString("availability_topic", MqttTopics.Of(rig, MqttTopics.Availability));
            w.WriteString("payload_available", MqttSchema.Online);
            w.WriteString("payload_not_available", MqttSchema.Offline);
            w.WriteStartObject("device");
            w.WriteStartArray("identifiers");
            w.WriteStringValue("solidbms_" + rig);
            w.WriteEndArray();
            w.WriteString("name", "SolidBms " + rig);
            w.WriteString("manufacturer", "SolidBms");
            if (device?.Model != null) w.WriteString("model", device.Model);
            if (device?.SwVersion != null) w.WriteString("sw_version", device.SwVersion);
            w.WriteEndObject();
        });
        return new MqttOutgoing(MqttTopics.Discovery(component, rig, entity), payload, true);
    }
}
