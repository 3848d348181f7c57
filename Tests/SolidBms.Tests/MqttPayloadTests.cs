using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using SolidBms.Cli;
using SolidBms.Cli.Mqtt;
using SolidBms.Cli.Serial;

namespace SolidBms.Tests;

/// <summary>The MQTT schema as code (docs/mqtt.md): payloads built from telemetry frames, read back, and refused when off the schema.</summary>
public class MqttPayloadTests
{
    /// <summary>A telemetry line with its real CRC (docs/protocol.md), from the fields between $ and *.</summary>
    public static string Line(string body) => "$" + LineProtocolTests.WithCrc(body);

    private const string DocFrame = "SBT,2,1570,157100,,discharge,802,207,64703,900,1500,0038,V,4,4045,4044,4050,4043,T,4,249,248,253,249,P,1,999,F,0,X,inhibited,B,1,0000000000000004";

    private static TelemetrySample Sample(string body) => TelemetrySample.TryParse(Line(body)) ?? throw new InvalidOperationException("bad frame " + body);

    private static MqttMessage ReadOk(string topic, byte[] payload)
    {
        Assert.True(MqttPayloadReader.TryRead(topic, payload, out var m, out string reason), reason + ": " + Encoding.UTF8.GetString(payload));
        return m;
    }

    [Fact]
    public void PackAndCellsRoundTripWithTheFramesValuesInTheirUnits()
    {
        var s = Sample(DocFrame);
        var pack = MqttPayloadWriter.Pack("r1", "abc-1", s, 1764000000123);
        var p = ReadOk("solidbms/r1/pack", pack);
        Assert.Equal(("r1", "abc-1", 1570L, 157100L, 1764000000123L), (p.Rig, p.Boot, p.Seq, p.TimeMs, p.SentMs));
        Assert.Null(p.UnixS);
        Assert.Equal("discharge", p.State);
        Assert.Equal(80.2, p.SocPct);
        Assert.Equal(0.207, p.CurrentA);
        Assert.Equal(64.703, p.PackV);
        Assert.Equal(0.9, p.ChargeLimitA);
        Assert.Equal(1.5, p.DischargeLimitA);
        Assert.Equal(0x38, p.Status);
        Assert.True(p.ContactorClosed);
        Assert.Equal("inhibited", p.Abuse);
        Assert.Equal(1, p.BalancingCells);
        Assert.Empty(p.Faults);
        // Compact, with the schema's spelling: a value is written as the decimal it is, not as binary noise.
        string json = Encoding.UTF8.GetString(pack);
        Assert.StartsWith("{\"v\":1,\"rig\":\"r1\",\"boot\":\"abc-1\",\"seq\":1570,\"t_ms\":157100,\"unix_s\":null,\"sent_ms\":1764000000123,\"state\":\"discharge\",\"soc_pct\":80.2,\"current_a\":0.207,\"pack_v\":64.703,", json);

        var c = ReadOk("solidbms/r1/cells", MqttPayloadWriter.Cells("r1", "abc-1", s, 5));
        Assert.Equal(new double?[] { 4045, 4044, 4050, 4043 }, c.CellMv);
        Assert.Equal(new double?[] { 24.9, 24.8, 25.3, 24.9 }, c.TempC);
        Assert.Equal(new double?[] { 999 }, c.PressureKpa);
        Assert.Equal("0000000000000004", c.BalancingMask);
        Assert.Equal((1570L, 157100L), (c.Seq, c.TimeMs));
    }

    [Fact]
    public void UnknownValuesAreNullNeverAStaleOrMadeUpNumber()
    {
        // A failed cell 2 and thermistor 3, no pack voltage (not every cell valid), no SOC yet, the clock set, no B group.
        var s = Sample("SBT,2,7,700,1764000000,init,,-1500,,0,0,0001,V,3,4000,,4001,T,3,250,251,,P,2,,1002,F,2,cellVoltageSensor:trip,pressureLow:alarm,X,armed:00000003");
        var p = ReadOk("solidbms/r1/pack", MqttPayloadWriter.Pack("r1", "b-1", s, 1));
        Assert.Equal(1764000000L, p.UnixS);
        Assert.Null(p.SocPct);
        Assert.Null(p.PackV);
        Assert.Equal(-1.5, p.CurrentA);
        Assert.Null(p.BalancingCells);
        Assert.False(p.ContactorClosed);
        Assert.Equal("armed:00000003", p.Abuse);
        Assert.Equal(new[] { "cellVoltageSensor:trip", "pressureLow:alarm" }, p.Faults);
        var c = ReadOk("solidbms/r1/cells", MqttPayloadWriter.Cells("r1", "b-1", s, 1));
        Assert.Equal(new double?[] { 4000, null, 4001 }, c.CellMv);
        Assert.Equal(new double?[] { 25.0, 25.1, null }, c.TempC);
        Assert.Equal(new double?[] { null, 1002 }, c.PressureKpa);
        Assert.Null(c.BalancingMask);
        Assert.Contains("\"cell_mv\":[4000,null,4001]", Encoding.UTF8.GetString(MqttPayloadWriter.Cells("r1", "b-1", s, 1)));
    }

    public static TheoryData<string, string, string> BadPayloads => new()
    {
        { "solidbms/r1/pack", "{\"v\":2,\"rig\":\"r1\"}", "schema version 2 is not supported" },
        { "solidbms/r1/pack", "{\"rig\":\"r1\"}", "no schema version" },
        { "solidbms/r1/pack", "{\"v\":1,\"rig\":\"r1\",\"boot\":\"b", "not JSON" },
        { "solidbms/r1/pack", "[1,2]", "not a JSON object" },
        { "solidbms/r1/cells", "{\"v\":1,\"rig\":\"r2\",\"boot\":\"b\",\"seq\":1,\"t_ms\":1,\"sent_ms\":1}", "differs from the topic's 'r1'" },
        { "solidbms/r1/cells", "{\"v\":1,\"rig\":\"r1\",\"boot\":\"b\",\"seq\":-1,\"t_ms\":1,\"sent_ms\":1}", "\"seq\" must be at least 0" },
        { "solidbms/r1/cells", "{\"v\":1,\"rig\":\"r1\",\"boot\":\"b\",\"seq\":1.5,\"t_ms\":1,\"sent_ms\":1}", "\"seq\" must be a whole number" },
        { "solidbms/r1/cells", "{\"v\":1,\"rig\":\"r1\",\"boot\":\"b\",\"seq\":1,\"t_ms\":1,\"sent_ms\":1,\"cell_mv\":[\"4000\"],\"temp_c\":[],\"pressure_kpa\":[],\"balancing_mask\":null}", "\"cell_mv[]\" must be a number or null" },
        { "solidbms/r1/cells", "{\"v\":1,\"rig\":\"r1\",\"boot\":\"b\",\"seq\":1,\"t_ms\":1,\"sent_ms\":1,\"temp_c\":[],\"pressure_kpa\":[],\"balancing_mask\":null}", "missing \"cell_mv\"" },
        { "solidbms/r1/event", "{\"v\":1,\"rig\":\"r1\",\"boot\":\"b\",\"seq\":1,\"t_ms\":1,\"sent_ms\":1,\"kind\":\"reboot\",\"name\":\"x\",\"from\":null}", "unknown event kind 'reboot'" },
        { "solidbms/r1/availability", "maybe", "availability must be 'online' or 'offline'" },
        { "solidbms/r1/commands", "{}", "unknown topic" },
        { "solidbms/bad rig/pack", "{}", "unknown topic" },
        { "other/r1/pack", "{}", "unknown topic" },
    };

    [Theory]
    [MemberData(nameof(BadPayloads))]
    public void BadPayloadsAreRefusedWithTheirReason(string topic, string payload, string reason)
    {
        Assert.False(MqttPayloadReader.TryRead(topic, Encoding.UTF8.GetBytes(payload), out var m, out string why));
        Assert.Null(m);
        Assert.Contains(reason, why);
    }

    [Fact]
    public void OversizedAndNonUtf8PayloadsAreRefused()
    {
        Assert.False(MqttPayloadReader.TryRead("solidbms/r1/pack", new byte[MqttSchema.MaxPayloadBytes + 1], out _, out string why));
        Assert.Contains("oversized payload", why);
        Assert.False(MqttPayloadReader.TryRead("solidbms/r1/availability", new byte[] { 0x6f, 0xff, 0x6e }, out _, out why));
        Assert.Contains("not UTF-8", why);
    }

    [Fact]
    public void RigNamesAreCheckedForTopicsAndEntityIds()
    {
        Assert.Null(MqttTopics.RigNameError("bench-3_A"));
        Assert.Null(MqttTopics.RigNameError(new string('r', 32)));
        foreach (var bad in new[] { "", new string('r', 33), "a/b", "a+b", "#", "rig 1", "rïg" })
            Assert.Contains("is not allowed", MqttTopics.RigNameError(bad));
        Assert.Throws<UsageException>(() => new RigPublication("a/b", 0, () => 0));
    }

    [Fact]
    public void BootChangesWhenSeqOrTimeGoesBack()
    {
        var b = new BootTracker(1764000000000);
        Assert.True(b.Observe(5, 500));
        string first = b.Boot;
        Assert.Equal(BootTracker.Base36(1764000000000) + "-1", first);
        Assert.False(b.Observe(6, 600));
        Assert.False(b.Observe(6, 600)); // a repeated frame is the same boot
        Assert.True(b.Observe(0, 0)); // the device reset: seq back to 0
        Assert.Equal(BootTracker.Base36(1764000000000) + "-2", b.Boot);
        Assert.False(b.Observe(1, 100));
        Assert.True(b.Observe(2, 50)); // t_ms back while seq went on: also a new run
        Assert.Equal(BootTracker.Base36(1764000000000) + "-3", b.Boot);
        Assert.Equal("10", BootTracker.Base36(36));
        Assert.Equal("0", BootTracker.Base36(0));
    }

    [Fact]
    public void PublicationEmitsBootStateAndFaultEventsAndRetainsTheFaultSetOnChange()
    {
        long clock = 1000;
        var pub = new RigPublication("r1", 0, () => clock++);
        string Frame(long seq, string state, params string[] faults) =>
            $"SBT,2,{seq},{seq * 100},,{state},500,0,8000,0,0,0000,V,2,4000,4000,T,2,250,250,P,1,900,F,{faults.Length}{string.Concat(faults.Select(f => "," + f))},X,inhibited";
        MqttMessage[] Publish(string body) => pub.Frame(Sample(body)).Select(o => ReadOk(o.Topic, o.Payload)).ToArray();

        var first = Publish(Frame(10, "idle"));
        Assert.Equal(new[] { "event", "event", "faults", "pack", "cells" }, first.Select(m => m.Kind));
        Assert.Equal((MqttSchema.Boot, pub.Boot, (string)null), (first[0].EventKind, first[0].EventName, first[0].EventFrom));
        Assert.Equal((MqttSchema.StateChange, "idle", (string)null), (first[1].EventKind, first[1].EventName, first[1].EventFrom));
        Assert.All(first, m => Assert.Equal(first[0].SentMs, m.SentMs)); // built once per frame

        var same = Publish(Frame(11, "idle"));
        Assert.Equal(new[] { "pack", "cells" }, same.Select(m => m.Kind)); // nothing changed: no event, no fault set

        var tripped = Publish(Frame(12, "safe", "pressureLow:trip"));
        Assert.Equal(new[] { "event", "event", "faults", "pack", "cells" }, tripped.Select(m => m.Kind));
        Assert.Equal(("safe", "idle"), (tripped[0].EventName, tripped[0].EventFrom));
        Assert.Equal((MqttSchema.FaultRaised, "pressureLow:trip"), (tripped[1].EventKind, tripped[1].EventName));
        Assert.Equal(new[] { "pressureLow:trip" }, tripped[2].Faults);

        var reset = Publish(Frame(0, "init"));
        string oldBoot = first[0].Boot;
        Assert.NotEqual(oldBoot, reset[0].Boot);
        Assert.Equal((MqttSchema.Boot, oldBoot), (reset[0].EventKind, reset[0].EventFrom));
        Assert.Equal((MqttSchema.StateChange, "init", (string)null), (reset[1].EventKind, reset[1].EventName, reset[1].EventFrom));
        Assert.Equal("faults", reset[2].Kind); // the new boot's first fault set, empty
        Assert.Empty(reset[2].Faults);
        Assert.All(reset, m => Assert.Equal(reset[0].Boot, m.Boot));
        var outgoing = pub.Frame(Sample(Frame(1, "init")));
        Assert.DoesNotContain(outgoing, o => o.Retain && o.Topic.EndsWith("/pack"));
    }

    [Fact]
    public void DiscoveryConfigsFollowTheSchema()
    {
        var configs = HaDiscovery.Configs("r1", 16, 16, 1, new HaDiscovery.DeviceInfo("sim-analog-16", "0.3.0"));
        Assert.All(configs, c => Assert.True(c.Retain));
        var byTopic = configs.ToDictionary(c => c.Topic, c => JsonDocument.Parse(c.Payload).RootElement);
        Assert.Equal(7 + 16 + 16 + 1 + 2, byTopic.Count);
        var soc = byTopic["homeassistant/sensor/solidbms_r1_soc/config"];
        Assert.Equal("battery", soc.GetProperty("device_class").GetString());
        Assert.Equal("solidbms/r1/pack", soc.GetProperty("state_topic").GetString());
        Assert.Equal("solidbms/r1/availability", soc.GetProperty("availability_topic").GetString());
        Assert.Equal("solidbms_r1_soc", soc.GetProperty("unique_id").GetString());
        Assert.Equal("solidbms_r1", soc.GetProperty("device").GetProperty("identifiers")[0].GetString());
        Assert.Equal("sim-analog-16", soc.GetProperty("device").GetProperty("model").GetString());
        var cell16 = byTopic["homeassistant/sensor/solidbms_r1_cell_16_voltage/config"];
        Assert.Equal(("voltage", "mV", "{{ value_json.cell_mv[15] }}", "solidbms/r1/cells"),
            (cell16.GetProperty("device_class").GetString(), cell16.GetProperty("unit_of_measurement").GetString(),
             cell16.GetProperty("value_template").GetString(), cell16.GetProperty("state_topic").GetString()));
        Assert.Equal("pressure", byTopic["homeassistant/sensor/solidbms_r1_stack_01_pressure/config"].GetProperty("device_class").GetString());
        Assert.Equal("problem", byTopic["homeassistant/binary_sensor/solidbms_r1_trip/config"].GetProperty("device_class").GetString());
        Assert.False(byTopic["homeassistant/sensor/solidbms_r1_state/config"].TryGetProperty("state_class", out _));
    }

    [Fact]
    public void BrokerUrlsAreCheckedWithAClearError()
    {
        Assert.Equal(new MqttUrl("localhost", 1883), MqttUrl.Parse("mqtt://localhost"));
        Assert.Equal(new MqttUrl("10.0.0.2", 18830), MqttUrl.Parse("mqtt://10.0.0.2:18830"));
        foreach (var bad in new[] { "localhost:1883", "http://h", "mqtt://", "mqtt://h:99999", "mqtt://u:p@h", "mqtt://h/x" })
            Assert.Contains("mqtt://HOST[:PORT]", Assert.Throws<UsageException>(() => MqttUrl.Parse(bad)).Message);
    }
}
