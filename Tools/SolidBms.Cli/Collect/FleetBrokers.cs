using System;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace SolidBms.Cli.Collect;

/// <summary>
/// The private Mosquitto brokers of `bench fleet`, started and stopped through scripts/mqtt-broker.sh; a bench broker
/// bridged to a central one with board/mqtt/bench-bridge.conf; and a broker taken down and brought back on the same
/// port and persistence directory (an outage, not a restart).
/// </summary>
public sealed class FleetBrokers : IDisposable
{
    private readonly string _root;
    private readonly System.Collections.Generic.List<int> _ports = new();

    public FleetBrokers(string repoRoot) => _root = repoRoot;

    /// <summary>Starts a broker; its port.</summary>
    public int Start()
    {
        string url = Script("start").Trim();
        int port = int.Parse(url[(url.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        lock (_ports) _ports.Add(port);
        return port;
    }

    /// <summary>Makes the broker on <paramref name="benchPort"/> bridge everything under solidbms/ to the one on <paramref name="centralPort"/>.</summary>
    public void Bridge(int benchPort, int centralPort)
    {
        string conf = File.ReadAllText(Path.Combine(_root, "board/mqtt/bench-bridge.conf"))
            .Replace("address 127.0.0.1:1883", $"address 127.0.0.1:{centralPort}")
            .Replace("solidbms-bridge-bench1", $"solidbms-bridge-{benchPort}");
        File.AppendAllText(Path.Combine(Dir(benchPort), "mosquitto.conf"), "\n" + conf);
        Script($"restart {benchPort}");
    }

    public void Restart(int port) => Script($"restart {port}");

    /// <summary>
    /// Stops the broker (SIGTERM: it saves its persistence) and leaves it down until <see cref="Up"/>. Not
    /// <see cref="Process.Kill(bool)"/>: on Linux that is SIGKILL, and a broker killed so loses what it acknowledged since
    /// its last autosave (1 s) but had not yet delivered: the bench then lost about one frame in four runs.
    /// </summary>
    public void Down(int port)
    {
        string pidFile = Path.Combine(Dir(port), "mosquitto.pid");
        var p = Process.GetProcessById(int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture));
        if (SendSignal(p.Id, SigTerm) != 0) p.Kill(false);
        if (!p.WaitForExit(10_000)) p.Kill(true);
    }

    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>Brings a broker taken <see cref="Down"/> back with its config and persistence.</summary>
    public void Up(int port) => Script($"restart {port}");

    public string Dir(int port) => Script($"dir {port}").Trim();

    private string Script(string args)
    {
        var psi = new ProcessStartInfo("bash", $"scripts/mqtt-broker.sh {args}")
        { WorkingDirectory = _root, RedirectStandardOutput = true, RedirectStandardError = true };
        // This process owns the brokers it starts: if it is killed before Dispose, the script's next start stops them.
        psi.Environment["SOLIDBMS_MQTT_OWNER"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var p = Process.Start(psi);
        string output = p.StandardOutput.ReadToEnd(), error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"scripts/mqtt-broker.sh {args}: {error.Trim()}");
        return output;
    }

    /// <summary>Stops and deletes every broker it started; a second call (a signal handler and the normal exit) does nothing.</summary>
    public void Dispose()
    {
        int[] ports;
        lock (_ports) { ports = _ports.ToArray(); _ports.Clear(); }
        foreach (int port in ports)
            try { Script($"stop {port}"); } catch (InvalidOperationException) { }
    }
}
