using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using SolidBms.Cli.Report;
using SolidBms.Cli.Serial;

namespace SolidBms.Cli.Collect;

/// <summary>
/// One rig's history from the fleet database as the same in-memory run a `log` CSV gives (<see cref="RunCsv"/>): each
/// pack sample joined with its cells becomes a <see cref="TelemetrySample"/>, written as a row of <see cref="TelemetryCsv"/>
/// and read back by <see cref="RunCsv"/>, so report and plot have one code path and one set of checks for both sources.
/// </summary>
public static class FleetRun
{
    public sealed record Loaded(RunCsv Run, int LeftOut, string Note);

    /// <summary>
    /// The run a verb reads: the CSV file given as its one argument, or with --db the selected rig's history (what was
    /// left out said on stderr). Checks the remaining options; null (error said) when the run has no rows.
    /// </summary>
    public static RunCsv ReadRun(CliArgs a, string verb, string usage, TextWriter stderr)
    {
        var sel = FleetSelection.FromArgs(a, verb);
        a.RejectUnknown();
        if (sel != null)
        {
            if (a.Positional.Count != 0) throw new UsageException($"{verb} reads either a CSV file or --db, not both");
            using var store = FleetStore.Open(sel.Db);
            var loaded = Load(store, sel);
            if (loaded.Note.Length > 0) stderr.WriteLine($"{verb}: {sel}: {loaded.Note}");
            return loaded.Run;
        }
        if (a.Positional.Count != 1) throw new UsageException($"{verb} needs one CSV file: {usage}");
        string csvPath = a.Positional[0];
        if (!File.Exists(csvPath)) throw new UsageException($"no such file: {csvPath}");
        var csv = RunCsv.Read(csvPath);
        if (csv.Rows.Count == 0) { stderr.WriteLine($"error: {csvPath} has no rows"); return null; }
        return csv;
    }

    public static Loaded Load(FleetStore store, FleetSelection sel)
    {
        var timeline = FleetTimeline.Load(store, sel);
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = """
            SELECT s.boot, s.seq, s.t_ms, s.unix_s, s.state, s.soc_pct, s.current_a, s.pack_v, s.charge_limit_a,
                   s.discharge_limit_a, s.status, s.abuse, s.balancing_cells, s.faults, c.cell_mv, c.temp_c, c.pressure_kpa, c.balancing_mask
            FROM samples s LEFT JOIN cell_samples c ON c.rig = s.rig AND c.boot = s.boot AND c.seq = s.seq
            WHERE s.rig = @rig AND s.sent_ms >= @from AND s.sent_ms < @to
            ORDER BY s.sent_ms, s.boot, s.seq
            """;
        store.Parameter(cmd, "rig", sel.Rig);
        store.Parameter(cmd, "from", sel.FromMs);
        store.Parameter(cmd, "to", sel.ToMs);
        var csv = new StringBuilder();
        int cells = -1, temperatures = -1, withoutCells = 0, otherCells = 0, rows = 0;
        double lastTimeS = 0;
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                if (r.IsDBNull(14)) { withoutCells++; continue; } // its cells message never arrived
                var s = new TelemetrySample
                {
                    Seq = r.GetInt64(1),
                    UnixS = r.IsDBNull(3) ? -1 : r.GetInt64(3),
                    State = r.IsDBNull(4) ? "" : r.GetString(4),
                    SocPermille = Scaled(r, 5, 10), CurrentMa = Scaled(r, 6, 1000), PackMv = Scaled(r, 7, 1000),
                    ChargeLimitMa = Scaled(r, 8, 1000), DischargeLimitMa = Scaled(r, 9, 1000),
                    Status = r.GetInt32(10),
                    AbuseTest = r.IsDBNull(11) ? "" : r.GetString(11),
                    BalancingCells = r.IsDBNull(12) ? -1 : r.GetInt32(12),
                    Faults = r.GetString(13).Split('|', StringSplitOptions.RemoveEmptyEntries),
                    CellMv = Values(store.ReadArray(r, 14), 1),
                    TempDeciC = Values(store.ReadArray(r, 15), 10),
                    PressureKpa = Values(store.ReadArray(r, 16), 1),
                    BalancingMask = r.IsDBNull(17) ? 0 : ulong.Parse(r.GetString(17), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                };
                if (cells < 0) { cells = s.CellMv.Length; temperatures = s.TempDeciC.Length; csv.Append(TelemetryCsv.Header(cells)).Append('\n'); }
                if (s.CellMv.Length != cells || s.TempDeciC.Length != temperatures) { otherCells++; continue; }
                // The run's clock: each boot placed at its first send time, then the device's own t_ms; never backwards.
                lastTimeS = Math.Max(lastTimeS, timeline.TimeS(r.GetString(0), r.GetInt64(2)));
                s.TimeMs = (long)Math.Round(lastTimeS * 1000);
                csv.Append(TelemetryCsv.Row(s)).Append('\n');
                rows++;
            }
        }
        if (rows == 0) throw new UsageException($"no samples of rig {sel} (with their cells)");
        var note = new List<string>();
        if (withoutCells > 0) note.Add($"{withoutCells} sample(s) without their cells message left out");
        if (otherCells > 0) note.Add($"{otherCells} sample(s) with another layout than the first ({cells} cells, {temperatures} temperatures) left out");
        if (timeline.Boots > 1) note.Add($"{timeline.Boots} boots, each placed at its first send time");
        var run = RunCsv.Read(new StringReader(csv.ToString()), sel.ToString());
        return new Loaded(run, withoutCells + otherCells, string.Join("; ", note));
    }

    private static double Scaled(System.Data.Common.DbDataReader r, int i, double factor) => r.IsDBNull(i) ? double.NaN : r.GetDouble(i) * factor;

    private static double[] Values(double?[] a, double factor) => a.Select(v => v is double d ? d * factor : double.NaN).ToArray();
}

/// <summary>
/// The time axis of a rig's stored history. The device's t_ms restarts with each boot, so each boot is placed at its
/// first publisher send time (relative to the selection's first) and runs on t_ms from there: a run paced faster or
/// slower than real time keeps its own clock within a boot.
/// </summary>
public sealed class FleetTimeline
{
    private readonly Dictionary<string, (long FirstSentMs, long FirstTMs)> _boots = new();
    private long _originMs;

    public int Boots => _boots.Count;

    public static FleetTimeline Load(FleetStore store, FleetSelection sel)
    {
        var t = new FleetTimeline();
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = "SELECT boot, MIN(sent_ms), MIN(t_ms) FROM samples WHERE rig = @rig AND sent_ms >= @from AND sent_ms < @to GROUP BY boot";
        store.Parameter(cmd, "rig", sel.Rig);
        store.Parameter(cmd, "from", sel.FromMs);
        store.Parameter(cmd, "to", sel.ToMs);
        using var r = cmd.ExecuteReader();
        while (r.Read()) t._boots[r.GetString(0)] = (r.GetInt64(1), r.GetInt64(2));
        t._originMs = t._boots.Count == 0 ? 0 : t._boots.Values.Min(b => b.FirstSentMs);
        return t;
    }

    /// <summary>Seconds since the selection's start; a boot with no stored sample falls back to t_ms alone.</summary>
    public double TimeS(string boot, long tMs) =>
        _boots.TryGetValue(boot, out var b) ? ((b.FirstSentMs - _originMs) + (tMs - b.FirstTMs)) / 1000.0 : tMs / 1000.0;
}
