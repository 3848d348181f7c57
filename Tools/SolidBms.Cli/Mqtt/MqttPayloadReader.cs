using System;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SolidBms.Cli.Mqtt;

/// <summary>
/// Reads and validates a message of docs/mqtt.md. Anything off the schema is refused with a reason a log line can carry:
/// a foreign or malformed topic, an oversized payload, bad UTF-8 or JSON, another major version, a rig that disagrees with
/// its topic, a missing member or one of the wrong type. Members unknown to version 1 are ignored (they may be added
/// within a version); nothing is guessed for a member that is missing.
/// </summary>
public static class MqttPayloadReader
{
    private sealed class Bad : Exception
    {
        public Bad(string reason) : base(reason) { }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>True and the message when it is valid; false and the reason when not.</summary>
    public static bool TryRead(string topic, ReadOnlySpan<byte> payload, out MqttMessage message, out string reason)
    {
        message = null;
        reason = null;
        try
        {
            message = Read(topic, payload);
            return true;
        }
        catch (Bad e)
        {
            reason = e.Message;
            return false;
        }
    }

    private static MqttMessage Read(string topic, ReadOnlySpan<byte> payload)
    {
        if (!MqttTopics.TryParse(topic, out string rig, out string kind))
            throw new Bad($"unknown topic '{topic}' (expected solidbms/<rig>/availability|pack|cells|faults|event)");
        if (payload.Length > MqttSchema.MaxPayloadBytes)
            throw new Bad($"oversized payload: {payload.Length} bytes (limit {MqttSchema.MaxPayloadBytes})");
        var m = new MqttMessage { Kind = kind, Rig = rig };
        if (kind == MqttTopics.Availability)
        {
            string text = Text(payload);
            if (text != MqttSchema.Online && text != MqttSchema.Offline) throw new Bad($"availability must be 'online' or 'offline', not '{Clip(text)}'");
            m.Online = text == MqttSchema.Online;
            return m;
        }
        JsonDocument doc;
        try { doc = JsonDocument.Parse(payload.ToArray(), new JsonDocumentOptions { MaxDepth = 4 }); }
        catch (JsonException e) { throw new Bad("not JSON: " + e.Message); }
        using (doc)
        {
            var o = doc.RootElement;
            if (o.ValueKind != JsonValueKind.Object) throw new Bad("payload is not a JSON object");
            if (!o.TryGetProperty("v", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int version))
                throw new Bad("no schema version \"v\"");
            if (version != MqttSchema.Version) throw new Bad($"schema version {version} is not supported (this reader knows {MqttSchema.Version})");
            string bodyRig = Str(o, "rig");
            if (bodyRig != rig) throw new Bad($"rig '{Clip(bodyRig)}' in the payload differs from the topic's '{rig}'");
            m.Boot = Str(o, "boot");
            if (m.Boot.Length == 0 || m.Boot.Length > 64) throw new Bad("boot must be 1 to 64 characters");
            m.Seq = Long(o, "seq", 0);
            m.TimeMs = Long(o, "t_ms", 0);
            m.SentMs = Long(o, "sent_ms", 0);
            switch (kind)
            {
                case MqttTopics.Pack:
                    m.UnixS = NullableLong(o, "unix_s");
                    m.State = Str(o, "state");
                    m.SocPct = NullableNumber(o, "soc_pct");
                    m.CurrentA = NullableNumber(o, "current_a");
                    m.PackV = NullableNumber(o, "pack_v");
                    m.ChargeLimitA = NullableNumber(o, "charge_limit_a");
                    m.DischargeLimitA = NullableNumber(o, "discharge_limit_a");
                    long status = Long(o, "status", 0);
                    if (status > 0xFFFF) throw new Bad("status is a 16-bit word");
                    m.Status = (int)status;
                    m.ContactorClosed = Member(o, "contactor_closed").ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        _ => throw new Bad("contactor_closed must be true or false"),
                    };
                    m.Abuse = Str(o, "abuse");
                    long? balancing = NullableLong(o, "balancing_cells");
                    if (balancing > 64) throw new Bad("balancing_cells beyond 64 (the mask's width)");
                    m.BalancingCells = (int?)balancing;
                    m.Faults = StrArray(o, "faults");
                    break;
                case MqttTopics.Cells:
                    m.CellMv = NumberArray(o, "cell_mv");
                    m.TempC = NumberArray(o, "temp_c");
                    m.PressureKpa = NumberArray(o, "pressure_kpa");
                    var mask = Member(o, "balancing_mask");
                    if (mask.ValueKind == JsonValueKind.String && mask.GetString().Length == 16
                        && ulong.TryParse(mask.GetString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out _)) m.BalancingMask = mask.GetString();
                    else if (mask.ValueKind != JsonValueKind.Null) throw new Bad("balancing_mask must be 16 hex digits or null");
                    break;
                case MqttTopics.Faults:
                    m.Faults = StrArray(o, "active");
                    break;
                case MqttTopics.Event:
                    m.EventKind = Str(o, "kind");
                    if (m.EventKind is not (MqttSchema.FaultRaised or MqttSchema.FaultCleared or MqttSchema.StateChange or MqttSchema.Boot))
                        throw new Bad($"unknown event kind '{Clip(m.EventKind)}'");
                    m.EventName = Str(o, "name");
                    var from = Member(o, "from");
                    m.EventFrom = from.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.String => from.GetString(),
                        _ => throw new Bad("from must be a string or null"),
                    };
                    break;
            }
        }
        return m;
    }

    private static string Text(ReadOnlySpan<byte> payload)
    {
        try { return StrictUtf8.GetString(payload); }
        catch (DecoderFallbackException) { throw new Bad("payload is not UTF-8"); }
    }

    private static string Clip(string s) => s == null ? "null" : s.Length <= 40 ? s : s[..40] + "...";

    private static JsonElement Member(JsonElement o, string name) =>
        o.TryGetProperty(name, out var e) ? e : throw new Bad($"missing \"{name}\"");

    private static string Str(JsonElement o, string name)
    {
        var e = Member(o, name);
        return e.ValueKind == JsonValueKind.String ? e.GetString() : throw new Bad($"\"{name}\" must be a string");
    }

    private static long Long(JsonElement o, string name, long min)
    {
        var e = Member(o, name);
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long v)) throw new Bad($"\"{name}\" must be a whole number");
        return v >= min ? v : throw new Bad($"\"{name}\" must be at least {min}");
    }

    private static long? NullableLong(JsonElement o, string name) =>
        Member(o, name).ValueKind == JsonValueKind.Null ? null : Long(o, name, 0);

    private static double? NullableNumber(JsonElement o, string name) => Number(Member(o, name), name);

    private static double? Number(JsonElement e, string name) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Number => e.GetDouble(),
        _ => throw new Bad($"\"{name}\" must be a number or null"),
    };

    private static double?[] NumberArray(JsonElement o, string name)
    {
        var e = Member(o, name);
        if (e.ValueKind != JsonValueKind.Array) throw new Bad($"\"{name}\" must be an array");
        var r = new double?[e.GetArrayLength()];
        int i = 0;
        foreach (var x in e.EnumerateArray()) r[i++] = Number(x, name + "[]");
        return r;
    }

    private static string[] StrArray(JsonElement o, string name)
    {
        var e = Member(o, name);
        if (e.ValueKind != JsonValueKind.Array) throw new Bad($"\"{name}\" must be an array");
        var r = new string[e.GetArrayLength()];
        int i = 0;
        foreach (var x in e.EnumerateArray()) r[i++] = x.ValueKind == JsonValueKind.String ? x.GetString() : throw new Bad($"\"{name}\" must hold strings");
        return r;
    }
}
