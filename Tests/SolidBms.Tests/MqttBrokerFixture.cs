using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;

namespace SolidBms.Tests;

/// <summary>
/// A private Mosquitto (Debian's package; scripts/install-deps.sh installs it) started by scripts/mqtt-broker.sh on a free
/// port for the tests of one collection, stopped and deleted after them. Tests that need it use [MqttFact] (skipped, with
/// the reason, only where mosquitto is not installed) and [Collection(MqttBrokerCollection.Name)].
/// </summary>
public sealed class MqttBrokerFixture : IDisposable
{
    public MqttBrokerFixture()
    {
        if (MqttFactAttribute.Missing != null) return;
        var (exit, output) = Script("start");
        if (exit != 0) throw new InvalidOperationException("scripts/mqtt-broker.sh start failed: " + output);
        Url = output.Trim().Split('\n').Last().Trim();
        Port = int.Parse(Url[(Url.LastIndexOf(':') + 1)..]);
    }

    /// <summary>mqtt://127.0.0.1:PORT</summary>
    public string Url { get; }
    public int Port { get; }

    /// <summary>Runs scripts/mqtt-broker.sh; the brokers it starts belong to this test process (reaped if it is killed).</summary>
    public static (int Exit, string Output) Script(params string[] args) => ScriptOwnedBy(Environment.ProcessId, args);

    /// <summary>Runs scripts/mqtt-broker.sh with SOLIDBMS_MQTT_OWNER set to <paramref name="owner"/> (null: no owner).</summary>
    public static (int Exit, string Output) ScriptOwnedBy(int? owner, params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(Repo.Root, "scripts/mqtt-broker.sh"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["SOLIDBMS_MQTT_OWNER"] = owner?.ToString() ?? "";
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(20000)) { p.Kill(true); throw new TimeoutException("mqtt-broker.sh " + string.Join(" ", args)); }
        return (p.ExitCode, o.Result + e.Result);
    }

    public void Dispose()
    {
        if (Port != 0) Script("stop", Port.ToString());
    }
}

[CollectionDefinition(Name)]
public sealed class MqttBrokerCollection : ICollectionFixture<MqttBrokerFixture>
{
    public const string Name = "mqtt broker";
}

/// <summary>A fact that needs Mosquitto and its clients: skipped with the reason only when they are not installed.</summary>
public sealed class MqttFactAttribute : FactAttribute
{
    public static readonly string Missing =
        !File.Exists("/usr/sbin/mosquitto") ? "mosquitto is not installed (run scripts/install-deps.sh as root)"
        : !File.Exists("/usr/bin/mosquitto_sub") ? "mosquitto-clients is not installed (run scripts/install-deps.sh as root)"
        : null;

    public MqttFactAttribute()
    {
        if (Missing != null) Skip = Missing;
    }
}

/// <summary>
/// Debian's mosquitto_sub as the real subscriber: each line "RETAIN TOPIC PAYLOAD" (-F '%r %t %p'; RETAIN 1 for a retained
/// copy delivered on subscribing, 0 for a live message). Ends after its -W timeout or on Dispose.
/// </summary>
public sealed class MosquittoSub : IDisposable
{
    private readonly Process _p;
    public readonly ConcurrentQueue<(bool Retained, string Topic, string Payload)> Lines = new();

    public MosquittoSub(int port, int seconds, params string[] topics)
    {
        var psi = new ProcessStartInfo("mosquitto_sub") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-h", "127.0.0.1", "-p", port.ToString(), "-q", "1", "-W", seconds.ToString(), "-F", "%r %t %p" }) psi.ArgumentList.Add(a);
        foreach (var t in topics) { psi.ArgumentList.Add("-t"); psi.ArgumentList.Add(t); }
        _p = Process.Start(psi)!;
        _p.OutputDataReceived += (_, e) =>
        {
            if (e.Data == null) return;
            var parts = e.Data.Split(' ', 3);
            if (parts.Length >= 2) Lines.Enqueue((parts[0] == "1", parts[1], parts.Length > 2 ? parts[2] : ""));
        };
        _p.BeginOutputReadLine();
        _p.BeginErrorReadLine();
        Thread.Sleep(300); // subscribed before the test publishes (mosquitto_sub has no ready signal)
    }

    public List<(bool Retained, string Topic, string Payload)> Snapshot() => Lines.ToList();

    /// <summary>Waits until the lines received satisfy the condition; false at the timeout.</summary>
    public bool WaitFor(Func<List<(bool Retained, string Topic, string Payload)>, bool> condition, int timeoutMs)
    {
        var sw = Stopwatch.StartNew();
        while (sw.ElapsedMilliseconds < timeoutMs)
        {
            if (condition(Snapshot())) return true;
            Thread.Sleep(50);
        }
        return condition(Snapshot());
    }

    public void Dispose()
    {
        try { if (!_p.HasExited) _p.Kill(); _p.WaitForExit(2000); } catch (InvalidOperationException) { }
        _p.Dispose();
    }
}
