using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Npgsql;

namespace SolidBms.Tests;

/// <summary>
/// A PostgreSQL server for the fleet tests: the one scripts/test.sh started (SOLIDBMS_POSTGRES_URL), else a private one
/// started here with scripts/postgres.sh and stopped on dispose, so a focused `dotnet test` run has one too. Each test
/// takes a database of its own (<see cref="NewDatabase"/>).
/// </summary>
public sealed class FleetPostgresFixture : IDisposable
{
    private readonly bool _ours;
    private int _databases;

    public string Url { get; }

    public FleetPostgresFixture()
    {
        Url = Environment.GetEnvironmentVariable("SOLIDBMS_POSTGRES_URL");
        if (!string.IsNullOrEmpty(Url)) return;
        Url = Script("start").Trim();
        _ours = true;
    }

    /// <summary>A fresh, empty database on the server; its postgres:// URL.</summary>
    public string NewDatabase()
    {
        string name = $"fleet_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}_{DateTime.UtcNow.Ticks % 1_000_000}";
        using (var c = new NpgsqlConnection(SolidBms.Cli.Collect.PostgresUrl.Parse(Url).ConnectionString))
        {
            c.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            cmd.ExecuteNonQuery();
        }
        return Url[..(Url.LastIndexOf('/') + 1)] + name;
    }

    private static string Script(string args)
    {
        var psi = new ProcessStartInfo("bash", $"scripts/postgres.sh {args}")
        { WorkingDirectory = Repo.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd(), error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"scripts/postgres.sh {args} failed: {error}");
        return output;
    }

    public void Dispose()
    {
        if (_ours) Script("stop " + Url);
    }
}

[CollectionDefinition("fleet-postgres")]
public sealed class FleetPostgresCollection : ICollectionFixture<FleetPostgresFixture> { }
