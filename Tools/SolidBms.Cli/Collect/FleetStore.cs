using System;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;

namespace SolidBms.Cli.Collect;

/// <summary>
/// The fleet database `collect` writes and `report`/`plot`/`eventlog --db` read (docs/fleet.md): a SQLite file by
/// default, or a PostgreSQL server given as postgres://user[:password]@host[:port]/database.
/// </summary>
public abstract class FleetStore : IDisposable
{
    public static bool IsPostgres(string db) => db.StartsWith("postgres://", StringComparison.Ordinal) || db.StartsWith("postgresql://", StringComparison.Ordinal);

    /// <summary>Opens (and creates the tables of) the database <paramref name="db"/>.</summary>
    public static FleetStore Open(string db)
    {
        if (string.IsNullOrWhiteSpace(db)) throw new UsageException("--db needs a SQLite file or a postgres:// URL");
        return IsPostgres(db) ? PostgresFleetStore.Open(db) : SqliteFleetStore.Open(db);
    }

    /// <summary>The database in words for logs (never a password).</summary>
    public abstract string Describe { get; }

    /// <summary>The connection readers query; the SQL of <see cref="FleetQueries"/> runs on both stores.</summary>
    public abstract DbConnection Connection { get; }

    /// <summary>
    /// Writes a batch in one transaction; rows whose key is already stored are skipped (INSERT ... ON CONFLICT DO
    /// NOTHING), so a redelivered or duplicated message stores nothing twice. Returns the rows added per table.
    /// </summary>
    public abstract Task<BatchResult> WriteAsync(FleetBatch batch, CancellationToken ct);

    /// <summary>A per-cell array column (JSON text in SQLite, double precision[] in PostgreSQL).</summary>
    public abstract double?[] ReadArray(DbDataReader reader, int ordinal);

    /// <summary>A parameter for <see cref="FleetQueries"/>' @name placeholders.</summary>
    public DbParameter Parameter(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
        return p;
    }

    public abstract void Dispose();
}
