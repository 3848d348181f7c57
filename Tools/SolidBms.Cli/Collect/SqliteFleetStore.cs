using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace SolidBms.Cli.Collect;

/// <summary>
/// The fleet database as one SQLite file (embedded, nothing to install). WAL with synchronous=FULL: a committed batch
/// survives a crash or a power cut, which is what lets the collector acknowledge its messages after the commit.
/// </summary>
public sealed class SqliteFleetStore : FleetStore
{
    private readonly SqliteConnection _connection;
    private readonly string _path;
    private readonly Dictionary<FleetTable, SqliteCommand> _inserts = new();

    private SqliteFleetStore(string path, SqliteConnection connection) { _path = path; _connection = connection; }

    public static SqliteFleetStore Open(string path)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!Directory.Exists(dir)) throw new UsageException($"--db: no such directory: {dir}");
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        c.Open();
        var store = new SqliteFleetStore(path, c);
        store.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;");
        foreach (var t in FleetTable.All)
        {
            string columns = string.Join(", ", t.Columns.Select(col => $"{col.Name} {TypeOf(col.Type)}{(col.NotNull ? " NOT NULL" : "")}"));
            store.Execute($"CREATE TABLE IF NOT EXISTS {t.Name} ({columns}, PRIMARY KEY ({string.Join(", ", t.Key)})) WITHOUT ROWID;"
                + $"CREATE INDEX IF NOT EXISTS {t.Name}_rig_time ON {t.Name} (rig, sent_ms);");
        }
        return store;
    }

    private static string TypeOf(FleetColumnType t) => t switch
    {
        FleetColumnType.Text or FleetColumnType.DoubleArray => "TEXT",
        FleetColumnType.Double => "REAL",
        _ => "INTEGER",
    };

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public override string Describe => $"SQLite {_path}";
    public override DbConnection Connection => _connection;

    public override Task<BatchResult> WriteAsync(FleetBatch batch, CancellationToken ct)
    {
        using var tx = _connection.BeginTransaction();
        var added = FleetTable.All.Select(t => Insert(t, batch, tx)).ToArray();
        tx.Commit();
        return Task.FromResult(new BatchResult(added[0], added[1], added[2], added[3]));
    }

    private int Insert(FleetTable table, FleetBatch batch, SqliteTransaction tx)
    {
        if (!_inserts.TryGetValue(table, out var cmd))
        {
            cmd = _connection.CreateCommand();
            var names = table.Columns.Select((_, i) => "$p" + i).ToArray();
            cmd.CommandText = $"INSERT INTO {table.Name} ({table.ColumnList}) VALUES ({string.Join(", ", names)}) ON CONFLICT DO NOTHING";
            foreach (var n in names) cmd.Parameters.Add(new SqliteParameter(n, null));
            _inserts[table] = cmd;
        }
        cmd.Transaction = tx;
        int added = 0;
        foreach (var row in table.RowsOf(batch))
        {
            var values = table.Values(row, batch.StoredMs);
            for (int i = 0; i < values.Length; i++)
                cmd.Parameters[i].Value = values[i] switch { null => DBNull.Value, double?[] a => ArrayJson(a), bool b => b ? 1 : 0, var v => v };
            added += cmd.ExecuteNonQuery();
        }
        return added;
    }

    /// <summary>A per-cell array as the JSON of the cells payload ([4045,null,...]): readable with SQLite's json_extract.</summary>
    private static string ArrayJson(double?[] a)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < a.Length; i++)
            sb.Append(i == 0 ? "" : ",").Append(a[i] is double v ? v.ToString("R", CultureInfo.InvariantCulture) : "null");
        return sb.Append(']').ToString();
    }

    public override double?[] ReadArray(DbDataReader reader, int ordinal)
    {
        using var doc = JsonDocument.Parse(reader.GetString(ordinal));
        return doc.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? (double?)null : e.GetDouble()).ToArray();
    }

    public override void Dispose()
    {
        foreach (var c in _inserts.Values) c.Dispose();
        _connection.Dispose();
    }
}
