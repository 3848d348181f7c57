using System;
using System.Linq;
using Npgsql;

namespace SolidBms.Cli.Collect;

/// <summary>postgres://user[:password]@host[:port]/database[?sslmode=...] as an Npgsql connection string.</summary>
public static class PostgresUrl
{
    /// <summary>The connection string, and the URL without its password for logs.</summary>
    public static (string ConnectionString, string Describe) Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "postgres" && uri.Scheme != "postgresql") || uri.Host.Length == 0)
            throw new UsageException($"--db '{url}' is not a postgres://user@host[:port]/database URL");
        string database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0) throw new UsageException($"--db '{url}' names no database (postgres://user@host/DATABASE)");
        var b = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port, Database = database };
        var user = uri.UserInfo.Split(':', 2);
        if (user[0].Length > 0) b.Username = Uri.UnescapeDataString(user[0]);
        if (user.Length > 1) b.Password = Uri.UnescapeDataString(user[1]);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)))
        {
            if (pair.Length != 2 || !pair[0].Equals("sslmode", StringComparison.OrdinalIgnoreCase) || !Enum.TryParse<SslMode>(pair[1], true, out var ssl))
                throw new UsageException($"--db '{url}': unsupported query '{string.Join("=", pair)}' (only sslmode=...)");
            b.SslMode = ssl;
        }
        string describe = $"PostgreSQL {uri.Scheme}://{(user[0].Length > 0 ? user[0] + "@" : "")}{uri.Host}:{b.Port}/{database}";
        return (b.ConnectionString, describe);
    }
}
