using System.Globalization;
using System.IO;
using System.Linq;
using SolidBms.Simulator.Run;

namespace SolidBms.Cli.Collect;

/// <summary>
/// A rig's stored events as the CSV `eventlog` decodes from a flash image (<see cref="EventLogCsv.Header"/>), so one
/// script reads both: the event's kind and name, and the readings of the frame it came with (its pack and cells rows).
/// </summary>
public static class FleetEvents
{
    public static int Write(FleetStore store, FleetSelection sel, TextWriter o)
    {
        var timeline = FleetTimeline.Load(store, sel);
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = """
            SELECT e.boot, e.seq, e.t_ms, e.kind, e.name, e.from_state, s.current_a, s.soc_pct, s.state, c.cell_mv, c.temp_c, c.pressure_kpa
            FROM events e
            LEFT JOIN samples s ON s.rig = e.rig AND s.boot = e.boot AND s.seq = e.seq
            LEFT JOIN cell_samples c ON c.rig = e.rig AND c.boot = e.boot AND c.seq = e.seq
            WHERE e.rig = @rig AND e.sent_ms >= @from AND e.sent_ms < @to
            ORDER BY e.sent_ms, e.boot, e.seq, e.kind, e.name
            """;
        store.Parameter(cmd, "rig", sel.Rig);
        store.Parameter(cmd, "from", sel.FromMs);
        store.Parameter(cmd, "to", sel.ToMs);
        var ci = CultureInfo.InvariantCulture;
        string F(double? v, double scale, string format) => v is double d ? (d * scale).ToString(format, ci) : "";
        double? Min(double?[] a) => a?.Where(v => v.HasValue).DefaultIfEmpty(null).Min();
        double? Max(double?[] a) => a?.Where(v => v.HasValue).DefaultIfEmpty(null).Max();
        o.WriteLine(EventLogCsv.Header);
        int n = 0;
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            string kind = r.GetString(3).Replace('_', '-'); // fault_raised -> fault-raised, as the flash log names it
            string detail = r.IsDBNull(5) ? r.GetString(4) : r.GetString(5) + "->" + r.GetString(4);
            double?[] cells = r.IsDBNull(9) ? null : store.ReadArray(r, 9), temps = r.IsDBNull(10) ? null : store.ReadArray(r, 10);
            double?[] pressure = r.IsDBNull(11) ? null : store.ReadArray(r, 11);
            double? meanPressure = pressure?.Where(v => v.HasValue).DefaultIfEmpty(null).Average();
            o.WriteLine(string.Join(",",
                r.GetInt64(1).ToString(ci),
                timeline.TimeS(r.GetString(0), r.GetInt64(2)).ToString("0.000", ci),
                kind, "", detail,
                F(Min(cells), 0.001, "0.000"), F(Max(cells), 0.001, "0.000"), F(Max(temps), 1, "0.00"),
                F(r.IsDBNull(6) ? null : r.GetDouble(6), 1, "0.00"), F(meanPressure, 1, "0"),
                F(r.IsDBNull(7) ? null : r.GetDouble(7), 0.01, "0.000"),
                r.IsDBNull(8) ? "" : r.GetString(8)));
            n++;
        }
        return n;
    }
}
