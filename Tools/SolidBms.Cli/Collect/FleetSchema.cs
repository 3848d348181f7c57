using System;
using System.Collections.Generic;
using System.Linq;
using SolidBms.Cli.Mqtt;

namespace SolidBms.Cli.Collect;

public enum FleetColumnType { Text, Int64, Int32, Double, Bool, DoubleArray }

public sealed record FleetColumn(string Name, FleetColumnType Type, bool NotNull = false);

/// <summary>
/// One table of the fleet database, described once for both stores (SQLite and PostgreSQL name the types differently).
/// Every table starts with the message key and times; <see cref="Key"/> is its primary key, which includes sent_ms
/// because PostgreSQL's partition column must be part of it (sent_ms is fixed per message, so this is still one row per
/// (rig, boot, seq)).
/// </summary>
public sealed class FleetTable
{
    public string Name { get; }
    public IReadOnlyList<FleetColumn> Columns { get; }
    public IReadOnlyList<string> Key { get; }
    private readonly Func<MqttMessage, object[]> _rest;

    private FleetTable(string name, string[] extraKey, FleetColumn[] rest, Func<MqttMessage, object[]> restValues)
    {
        Name = name;
        Columns = Common.Concat(rest).ToArray();
        Key = new[] { "rig", "boot", "seq" }.Concat(extraKey).Append("sent_ms").ToArray();
        _rest = restValues;
    }

    private static readonly FleetColumn[] Common =
    {
        new("rig", FleetColumnType.Text, true), new("boot", FleetColumnType.Text, true), new("seq", FleetColumnType.Int64, true),
        new("sent_ms", FleetColumnType.Int64, true), new("t_ms", FleetColumnType.Int64, true),
        new("received_ms", FleetColumnType.Int64, true), new("stored_ms", FleetColumnType.Int64, true),
    };

    /// <summary>The row's values in <see cref="Columns"/> order (null = SQL NULL); stored_ms is the batch's commit time.</summary>
    public object[] Values(ReceivedMessage r, long storedMs)
    {
        var m = r.Message;
        return new object[] { m.Rig, m.Boot, m.Seq, m.SentMs, m.TimeMs, r.ReceivedMs, storedMs }.Concat(_rest(m)).ToArray();
    }

    public static readonly FleetTable Samples = new("samples", Array.Empty<string>(), new FleetColumn[]
    {
        new("unix_s", FleetColumnType.Int64), new("state", FleetColumnType.Text), new("soc_pct", FleetColumnType.Double),
        new("current_a", FleetColumnType.Double), new("pack_v", FleetColumnType.Double), new("charge_limit_a", FleetColumnType.Double),
        new("discharge_limit_a", FleetColumnType.Double), new("status", FleetColumnType.Int32, true),
        new("contactor_closed", FleetColumnType.Bool, true), new("abuse", FleetColumnType.Text),
        new("balancing_cells", FleetColumnType.Int32), new("faults", FleetColumnType.Text, true),
    }, p => new object[]
    {
        p.UnixS, p.State, p.SocPct, p.CurrentA, p.PackV, p.ChargeLimitA, p.DischargeLimitA, p.Status, p.ContactorClosed,
        p.Abuse, p.BalancingCells, string.Join("|", p.Faults),
    });

    public static readonly FleetTable CellSamples = new("cell_samples", Array.Empty<string>(), new FleetColumn[]
    {
        new("cell_mv", FleetColumnType.DoubleArray, true), new("temp_c", FleetColumnType.DoubleArray, true),
        new("pressure_kpa", FleetColumnType.DoubleArray, true), new("balancing_mask", FleetColumnType.Text),
    }, c => new object[] { c.CellMv, c.TempC, c.PressureKpa, c.BalancingMask });

    public static readonly FleetTable FaultSets = new("fault_sets", Array.Empty<string>(), new FleetColumn[]
    {
        new("active", FleetColumnType.Text, true),
    }, f => new object[] { string.Join("|", f.Faults) });

    public static readonly FleetTable Events = new("events", new[] { "kind", "name" }, new FleetColumn[]
    {
        new("kind", FleetColumnType.Text, true), new("name", FleetColumnType.Text, true), new("from_state", FleetColumnType.Text),
    }, e => new object[] { e.EventKind, e.EventName, e.EventFrom });

    public static readonly FleetTable[] All = { Samples, CellSamples, FaultSets, Events };

    /// <summary>A batch's rows for this table.</summary>
    public IReadOnlyList<ReceivedMessage> RowsOf(FleetBatch b) =>
        this == Samples ? b.Packs : this == CellSamples ? b.Cells : this == FaultSets ? b.Faults : b.Events;

    public string ColumnList => string.Join(", ", Columns.Select(c => c.Name));
}
