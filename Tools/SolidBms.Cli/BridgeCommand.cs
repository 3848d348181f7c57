using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using SolidBms.Cli.Mqtt;
using SolidBms.Cli.Serial;

namespace SolidBms.Cli;

/// <summary>
/// `bridge --port DEV --rig NAME [--port DEV --rig NAME ...] --mqtt mqtt://HOST[:PORT] [--baud B]`: reads each rig's line
/// protocol and publishes it on the broker (docs/mqtt.md), one connection per rig. A port without a valid frame for 3 s
/// makes its rig `offline`; a port that closes is reopened every second; a broker that goes away is reconnected with a
/// backoff while frames queue. Runs until Ctrl-C or SIGTERM, which publish `offline` for every rig before leaving.
/// MQTT carries no writes: the only thing the bridge ever sends a device is `VERSION` (open, read-only), for the board name.
/// </summary>
public static class BridgeCommand
{
    /// <summary>How long a rig may send no valid frame before it is `offline`.</summary>
    public const int StaleMs = 3000;

    public static int Run(CliArgs a, TextWriter stdout, TextWriter stderr)
    {
        var ports = a.GetAll("port");
        var rigs = a.GetAll("rig");
        string mqtt = a.Get("mqtt");
        int baud = a.Int("baud", 115200, 9600, 921600);
        a.RejectUnknown();
        if (ports.Count == 0) throw new UsageException("bridge needs --port DEV --rig NAME (repeat both for several rigs) and --mqtt mqtt://HOST[:PORT]");
        if (ports.Count != rigs.Count)
            throw new UsageException($"bridge: each --port needs its --rig, in the same order: {ports.Count} port(s), {rigs.Count} rig name(s)");
        if (mqtt == null) throw new UsageException("bridge needs --mqtt mqtt://HOST[:PORT]");
        var url = MqttUrl.Parse(mqtt);
        foreach (var r in rigs) if (MqttTopics.RigNameError(r) is string e) throw new UsageException("--rig: " + e);
        if (rigs.GroupBy(r => r).FirstOrDefault(g => g.Count() > 1) is { } dupRig) throw new UsageException($"--rig {dupRig.Key} given twice: rig names must differ");
        if (ports.GroupBy(Path.GetFullPath).FirstOrDefault(g => g.Count() > 1) is { } dupPort) throw new UsageException($"--port {dupPort.Key} given twice");

        // Every port opens before anything is published: a typo fails at once, with the device's name.
        var links = new List<HostSerialLink>();
        try
        {
            foreach (var p in ports) links.Add(new HostSerialLink(p, baud));
        }
        catch
        {
            foreach (var l in links) l.Dispose();
            throw;
        }
        long start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var log = TextWriter.Synchronized(stderr);
        var publishers = rigs.Select(r => new RigPublisher(r, url, start, null, log)).ToList();
        using var stop = new ManualResetEventSlim(false);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Set(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Set(); });
        for (int i = 0; i < ports.Count; i++) log.WriteLine($"bridge: {rigs[i]} <- {ports[i]}");
        log.WriteLine($"bridge: publishing to {url} (docs/mqtt.md); Ctrl-C stops");
        var readers = new List<Thread>();
        for (int i = 0; i < ports.Count; i++)
        {
            int k = i;
            var t = new Thread(() => Serve(ports[k], baud, links[k], publishers[k], stop, log)) { IsBackground = true, Name = "bridge " + rigs[k] };
            t.Start();
            readers.Add(t);
        }
        stop.Wait();
        foreach (var t in readers) t.Join(2000);
        System.Threading.Tasks.Task.WaitAll(publishers.Select(p => p.StopAsync(TimeSpan.FromSeconds(3))).ToArray());
        foreach (var p in publishers)
        {
            stdout.WriteLine($"bridge: {p.Rig}: {p.Frames} frames, {p.BadFrames} bad, {p.Client.SamplesPublished} samples published, " +
                             $"{p.Client.Queued} unsent, {p.Client.Dropped} dropped");
            p.DisposeAsync().AsTask().Wait();
        }
        return 0;
    }

    /// <summary>One port's reader: frames to its publisher, the 3 s rule, and reopening a port that closed.</summary>
    private static void Serve(string port, int baud, HostSerialLink link, RigPublisher pub, ManualResetEventSlim stop, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        long lastValidMs = 0, lastOpenTryMs = 0;
        bool dead = false, askVersion = true;
        try
        {
            while (!stop.IsSet)
            {
                if (link == null && clock.ElapsedMilliseconds - lastOpenTryMs >= 1000)
                {
                    lastOpenTryMs = clock.ElapsedMilliseconds;
                    try
                    {
                        link = new HostSerialLink(port, baud);
                        log.WriteLine($"bridge: {pub.Rig}: {port} reopened");
                        askVersion = true;
                    }
                    catch (Exception e) when (e is UsageException or IOException) { }
                }
                if (link != null)
                {
                    try
                    {
                        if (askVersion) { link.WriteLine("VERSION"); askVersion = false; }
                        string line = link.ReadLine(250);
                        if (line != null && pub.OnLine(line))
                        {
                            lastValidMs = clock.ElapsedMilliseconds;
                            if (dead) log.WriteLine($"bridge: {pub.Rig}: frames again: online");
                            if (dead) askVersion = true; // it may be another device, or a new firmware
                            dead = false;
                        }
                    }
                    catch (IOException e)
                    {
                        log.WriteLine($"bridge: {pub.Rig}: {port}: {e.Message}; reopening every second");
                        link.Dispose();
                        link = null;
                    }
                }
                else stop.Wait(100);
                if (!dead && clock.ElapsedMilliseconds - lastValidMs > StaleMs)
                {
                    dead = true;
                    pub.LinkDead();
                    log.WriteLine($"bridge: {pub.Rig}: no valid frame for {StaleMs / 1000} s on {port}: offline");
                }
            }
        }
        finally
        {
            link?.Dispose();
        }
    }
}
