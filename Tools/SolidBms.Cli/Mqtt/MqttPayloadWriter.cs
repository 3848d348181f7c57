using System;
using System.Buffers;
using System.Globalization;
using System.Text.Json;
using SolidBms.Cli.Serial;

namespace SolidBms.Cli.Mqtt;

/// <summary>
/// Builds the JSON payloads of docs/mqtt.md from a parsed telemetry frame: compact UTF-8, SI-ish units named in the keys,
/// and null for every value the frame left empty (a failed sensor is never given a stale or made-up number).
/// </summary>
public static class MqttPayloadWriter
{
    // Relaxed escaping: a template's quotes and braces stay readable in mosquitto_sub (the JSON is the same to a parser).
    private static readonly JsonWriterOptions Compact = new() { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Pack(string rig, string boot, TelemetrySample s, long sentMs) => Write(w =>
    {
        Header(w, rig, boot, s.Seq, s.TimeMs, sentMs, s.UnixS);
        w.WriteString("state", s.State);
        Number(w, "soc_pct", s.SocPermille / 10);
        Number(w, "current_a", s.CurrentMa / 1000);
        Number(w, "pack_v", s.PackMv / 1000);
        Number(w, "charge_limit_a", s.ChargeLimitMa / 1000);
        Number(w, "discharge_limit_a", s.DischargeLimitMa / 1000);
        w.WriteNumber("status", s.Status);
        w.WriteBoolean("contactor_closed", s.ContactorClosed);
        w.WriteString("abuse", s.AbuseTest);
        if (s.BalancingCells >= 0) w.WriteNumber("balancing_cells", s.BalancingCells); else w.WriteNull("balancing_cells");
        Strings(w, "faults", s.Faults);
    });

    public static byte[] Cells(string rig, string boot, TelemetrySample s, long sentMs) => Write(w =>
    {
        Header(w, rig, boot, s.Seq, s.TimeMs, sentMs);
        Numbers(w, "cell_mv", s.CellMv, 1);
        Numbers(w, "temp_c", s.TempDeciC, 10);
        Numbers(w, "pressure_kpa", s.PressureKpa, 1);
        if (s.BalancingCells >= 0) w.WriteString("balancing_mask", s.BalancingMask.ToString("X16", CultureInfo.InvariantCulture));
        else w.WriteNull("balancing_mask");
    });

    public static byte[] Faults(string rig, string boot, TelemetrySample s, long sentMs) => Write(w =>
    {
        Header(w, rig, boot, s.Seq, s.TimeMs, sentMs);
        Strings(w, "active", s.Faults);
    });

    /// <param name="kind">One of <see cref="MqttSchema.FaultRaised"/>, FaultCleared, StateChange, Boot.</param>
    /// <param name="from">The state left (a state change), the previous boot id (a boot), else null.</param>
    public static byte[] Event(string rig, string boot, long seq, long timeMs, long sentMs, string kind, string name, string from) => Write(w =>
    {
        Header(w, rig, boot, seq, timeMs, sentMs);
        w.WriteString("kind", kind);
        w.WriteString("name", name);
        if (from != null) w.WriteString("from", from); else w.WriteNull("from");
    });

    /// <summary>A compact JSON object with the given members (the discovery configs share it).</summary>
    public static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, Compact))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <param name="unixS">pack only: the device's wall clock (-1 unknown, written null); long.MinValue: not a member.</param>
    private static void Header(Utf8JsonWriter w, string rig, string boot, long seq, long timeMs, long sentMs, long unixS = long.MinValue)
    {
        w.WriteNumber("v", MqttSchema.Version);
        w.WriteString("rig", rig);
        w.WriteString("boot", boot);
        w.WriteNumber("seq", seq);
        w.WriteNumber("t_ms", timeMs);
        if (unixS >= 0) w.WriteNumber("unix_s", unixS);
        else if (unixS != long.MinValue) w.WriteNull("unix_s");
        w.WriteNumber("sent_ms", sentMs);
    }

    // An integer count divided by a power of ten is the double nearest the decimal, which JSON writes shortest (802 -> 80.2).
    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsNaN(value)) w.WriteNull(name); else w.WriteNumber(name, value);
    }

    private static void Numbers(Utf8JsonWriter w, string name, double[] values, double divisor)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
            if (double.IsNaN(v)) w.WriteNullValue(); else w.WriteNumberValue(v / divisor);
        w.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter w, string name, string[] values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
