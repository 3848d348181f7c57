using System;
using System.Globalization;
using SolidBms.Cli.Mqtt;

namespace SolidBms.Cli.Collect;

/// <summary>
/// `--db DB --rig NAME [--from T --to T]` of report, plot and eventlog: one rig's history in the fleet database, limited
/// to publisher send times in [from, to). T is an ISO 8601 time (UTC unless it names an offset) or unix seconds.
/// </summary>
public sealed record FleetSelection(string Db, string Rig, long FromMs, long ToMs)
{
    /// <summary>The selection the options name; null when there is no --db (the verb reads a file).</summary>
    public static FleetSelection FromArgs(CliArgs a, string verb)
    {
        string db = a.Get("db");
        string rig = a.Get("rig"), from = a.Get("from"), to = a.Get("to");
        if (db == null)
        {
            if (rig != null || from != null || to != null) throw new UsageException($"{verb}: --rig, --from and --to go with --db DB");
            return null;
        }
        if (rig == null) throw new UsageException($"{verb} --db needs --rig NAME");
        if (MqttTopics.RigNameError(rig) is string bad) throw new UsageException(bad);
        long fromMs = from == null ? long.MinValue : Time(from, "--from"), toMs = to == null ? long.MaxValue : Time(to, "--to");
        if (fromMs >= toMs) throw new UsageException($"--from {from} is not before --to {to}");
        return new FleetSelection(db, rig, fromMs, toMs);
    }

    private static long Time(string text, string option)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double unixS) && double.IsFinite(unixS))
            return (long)Math.Round(unixS * 1000);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return t.ToUnixTimeMilliseconds();
        throw new UsageException($"{option} '{text}' is neither an ISO 8601 time (2026-12-07T12:00:00Z) nor unix seconds");
    }

    /// <summary>Names the selection in reports and errors.</summary>
    public override string ToString() => $"rig {Rig} of {DatabaseName}";

    /// <summary>The database in words without a '/' (a report's title takes the last path part) or a password.</summary>
    private string DatabaseName
    {
        get
        {
            if (!FleetStore.IsPostgres(Db)) return "fleet database " + System.IO.Path.GetFileName(Db);
            var uri = new Uri(Db);
            return $"PostgreSQL database {uri.AbsolutePath.TrimStart('/')} on {uri.Host}:{(uri.Port < 0 ? 5432 : uri.Port)}";
        }
    }
}
