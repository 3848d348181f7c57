using System;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SolidBms.Cli.Collect;

/// <summary>`solidbms collect` as a child process (so `bench fleet` can kill it with SIGKILL, as a crash would).</summary>
public sealed partial class CollectorProcess : IDisposable
{
    private readonly Process _process;
    private readonly object _lock = new();
    private string _lastSummary = "";
    private readonly System.Text.StringBuilder _output = new();

    public CollectorProcess(string mqttUrl, string db, string clientId)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { typeof(CliApp).Assembly.Location, "collect", "--mqtt", mqttUrl, "--db", db, "--client-id", clientId, "--summary-s", "2",
                                  "--parent-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(a);
        _process = Process.Start(psi);
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == null) return;
            lock (_lock) _output.Append(e.Data).Append('\n');
            if (e.Data.StartsWith("collect: received", StringComparison.Ordinal)) lock (_lock) _lastSummary = e.Data;
            if (e.Data.StartsWith("collect: connected", StringComparison.Ordinal)) _connected.Set();
        };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private readonly System.Threading.ManualResetEventSlim _connected = new();

    /// <summary>
    /// Waits until it has connected: from then on the broker keeps its session, so nothing published is missed even
    /// while it is down (before its first connect, the broker knows no subscriber to queue for).
    /// </summary>
    public bool WaitConnected(TimeSpan timeout) => _connected.Wait(timeout);

    /// <summary>Duplicates the collector skipped, as of its latest summary line.</summary>
    public long Duplicates
    {
        get
        {
            lock (_lock)
            {
                var m = DuplicatesPattern().Match(_lastSummary);
                return m.Success ? long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            }
        }
    }

    public string LastSummary { get { lock (_lock) return _lastSummary; } }

    /// <summary>Everything it has printed on stdout so far (its log: connects, dropped input, summaries).</summary>
    public string Output { get { lock (_lock) return _output.ToString(); } }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: no flush, no disconnect; whatever it had not committed is unacknowledged at the broker.</summary>
    public void Crash() { _process.Kill(); _process.WaitForExit(); }

    /// <summary>SIGTERM: it commits what it holds, acknowledges, prints its counts and exits.</summary>
    public void Stop()
    {
        if (_process.HasExited) return;
        Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
        if (!_process.WaitForExit(30_000)) _process.Kill();
        _process.WaitForExit();
    }

    private int _disposed;

    /// <summary>Kills it if still running; once only (a signal handler and the normal exit may both call it).</summary>
    public void Dispose()
    {
        if (System.Threading.Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }

    [GeneratedRegex(@"duplicates skipped (\d+)")]
    private static partial Regex DuplicatesPattern();
}
