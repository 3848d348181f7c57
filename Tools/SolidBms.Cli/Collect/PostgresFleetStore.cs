using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;

namespace SolidBms.Cli.Collect;

/// <summary>
/// The fleet database on a PostgreSQL server (Npgsql). Each table is range-partitioned by sent_ms, one partition per
/// UTC day, created when a batch first needs it (old days can then be detached or dropped whole). A batch goes in by
/// binary COPY into a per-connection staging table, then one INSERT ... SELECT ... ON CONFLICT DO NOTHING per table,
/// all in one transaction: COPY alone cannot skip rows already stored.
/// </summary>
public sealed class PostgresFleetStore : FleetStore
{
    private const long DayMs = 86_400_000;
    private readonly NpgsqlConnection _connection;
    private readonly string _describe;
    private readonly HashSet<(string Table, long Day)> _partitions = new();

    private PostgresFleetStore(NpgsqlConnection connection, string describe) { _connection = connection; _describe = describe; }

    public static PostgresFleetStore Open(string url)
    {
        var (connectionString, describe) = PostgresUrl.Parse(url);
        var c = new NpgsqlConnection(connectionString);
        c.Open();
        var store = new PostgresFleetStore(c, describe);
        foreach (var t in FleetTable.All)
        {
            string columns = string.Join(", ", t.Columns.Select(col => $"{col.Name} {TypeOf(col.Type)}{(col.NotNull ? " NOT NULL" : "")}"));
            store.Execute($"CREATE TABLE IF NOT EXISTS {t.Name} ({columns}, PRIMARY KEY ({string.Join(", ", t.Key)})) PARTITION BY RANGE (sent_ms);"
                + $"CREATE INDEX IF NOT EXISTS {t.Name}_rig_time ON {t.Name} (rig, sent_ms);"
                + $"CREATE TEMP TABLE IF NOT EXISTS stage_{t.Name} (LIKE {t.Name}) ON COMMIT DELETE ROWS;");
        }
        return store;
    }

    private static string TypeOf(FleetColumnType t) => t switch
    {
        FleetColumnType.Text => "text",
        FleetColumnType.Int64 => "bigint",
        FleetColumnType.Int32 => "integer",
        FleetColumnType.Double => "double precision",
        FleetColumnType.Bool => "boolean",
        _ => "double precision[]",
    };

    private static NpgsqlDbType DbTypeOf(FleetColumnType t) => t switch
    {
        FleetColumnType.Text => NpgsqlDbType.Text,
        FleetColumnType.Int64 => NpgsqlDbType.Bigint,
        FleetColumnType.Int32 => NpgsqlDbType.Integer,
        FleetColumnType.Double => NpgsqlDbType.Double,
        FleetColumnType.Bool => NpgsqlDbType.Boolean,
        _ => NpgsqlDbType.Array | NpgsqlDbType.Double,
    };

    private int Execute(string sql, NpgsqlTransaction tx = null)
    {
        using var cmd = new NpgsqlCommand(sql, _connection, tx);
        return cmd.ExecuteNonQuery();
    }

    public override string Describe => _describe;
    public override DbConnection Connection => _connection;

    public override async Task<BatchResult> WriteAsync(FleetBatch batch, CancellationToken ct)
    {
        foreach (var t in FleetTable.All)
            foreach (long day in t.RowsOf(batch).Select(r => (long)Math.Floor(r.Message.SentMs / (double)DayMs)).Distinct())
                EnsurePartition(t, day);
        await using var tx = await _connection.BeginTransactionAsync(ct);
        var added = new int[FleetTable.All.Length];
        for (int k = 0; k < FleetTable.All.Length; k++)
        {
            var t = FleetTable.All[k];
            var rows = t.RowsOf(batch);
            if (rows.Count == 0) continue;
            await using (var w = await _connection.BeginBinaryImportAsync($"COPY stage_{t.Name} ({t.ColumnList}) FROM STDIN (FORMAT BINARY)", ct))
            {
                foreach (var row in rows)
                {
                    await w.StartRowAsync(ct);
                    var values = t.Values(row, batch.StoredMs);
                    for (int i = 0; i < values.Length; i++)
                        await WriteValue(w, values[i], t.Columns[i].Type, ct);
                }
                await w.CompleteAsync(ct);
            }
            await using var insert = new NpgsqlCommand(
                $"INSERT INTO {t.Name} ({t.ColumnList}) SELECT {t.ColumnList} FROM stage_{t.Name} ON CONFLICT DO NOTHING", _connection, tx);
            added[k] = await insert.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return new BatchResult(added[0], added[1], added[2], added[3]);
    }

    private static Task WriteValue(NpgsqlBinaryImporter w, object value, FleetColumnType type, CancellationToken ct) => value switch
    {
        null => w.WriteNullAsync(ct),
        string s => w.WriteAsync(s, NpgsqlDbType.Text, ct),
        long l => w.WriteAsync(l, DbTypeOf(type), ct),
        int i => w.WriteAsync(i, DbTypeOf(type), ct),
        double d => w.WriteAsync(d, NpgsqlDbType.Double, ct),
        bool b => w.WriteAsync(b, NpgsqlDbType.Boolean, ct),
        double?[] a => w.WriteAsync(a, NpgsqlDbType.Array | NpgsqlDbType.Double, ct),
        _ => throw new ArgumentException($"no PostgreSQL type for {value.GetType().Name}"),
    };

    /// <summary>The day's partition of a table (named table_dYYYYMMDD), created once; a concurrent creator is harmless.</summary>
    private void EnsurePartition(FleetTable t, long day)
    {
        if (_partitions.Contains((t.Name, day))) return;
        string name = $"{t.Name}_d{DateTimeOffset.FromUnixTimeMilliseconds(day * DayMs):yyyyMMdd}";
        try
        {
            Execute(string.Format(CultureInfo.InvariantCulture,
                "CREATE TABLE IF NOT EXISTS {0} PARTITION OF {1} FOR VALUES FROM ({2}) TO ({3})", name, t.Name, day * DayMs, (day + 1) * DayMs));
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.UniqueViolation) { }
        _partitions.Add((t.Name, day));
    }

    public override double?[] ReadArray(DbDataReader reader, int ordinal) => reader.GetFieldValue<double?[]>(ordinal);

    public override void Dispose() => _connection.Dispose();
}
