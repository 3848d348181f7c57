using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SolidBms.Simulator;
using SolidBms.Simulator.Run;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Cli.Mqtt;

/// <summary>What one simulated rig of a fleet did: frames its firmware sent, samples the broker acknowledged.</summary>
public sealed record FleetRigResult(string Rig, long Frames, long SamplesPublished, long Dropped, long Unsent);

public sealed record FleetResult(IReadOnlyList<FleetRigResult> Rigs, long Ticks, double WallSeconds, double MaxBehindMs)
{
    public long Frames => Rigs.Sum(r => r.Frames);
    public long SamplesPublished => Rigs.Sum(r => r.SamplesPublished);
}

/// <summary>
/// N simulated rigs in one process, each the firmware's own loop on the same scenario, each publishing its telemetry
/// frames on the broker through its own connection (`sim --rigs N --mqtt URL`, and `bench fleet` in-process), paced to
/// wall time. One thread steps every rig tick by tick; the network is the rigs' clients' (background) business.
/// </summary>
public sealed class FleetSimulator
{
    private readonly string _scenarioPath;
    private readonly BoardFiles _files;

    /// <param name="scenarioPath">A scenario file (see <see cref="SimCommand.ScenarioPath"/> for names).</param>
    public FleetSimulator(string scenarioPath, BoardFiles files, int rigs, MqttUrl broker, string rigPrefix = "sim")
    {
        if (rigs < 1) throw new UsageException("--rigs must be at least 1");
        _scenarioPath = scenarioPath;
        _files = files;
        RigCount = rigs;
        Broker = broker;
        RigNames = Enumerable.Range(1, rigs).Select(i => RigName(rigPrefix, i, rigs)).ToArray();
        if (MqttTopics.RigNameError(RigNames[^1]) is string e) throw new UsageException("--rig: " + e);
    }

    public int RigCount { get; }
    public MqttUrl Broker { get; }
    public IReadOnlyList<string> RigNames { get; }
    /// <summary>Telemetry frames per second per rig; 0: the board's period. Set as an operator would: CAPTURE START periodMs.</summary>
    public double RateHz { get; init; }
    /// <summary>How long to run (wall time); zero: the scenario's length.</summary>
    public TimeSpan Duration { get; init; }
    /// <summary>Times real time (1: each rig at its telemetry rate).</summary>
    public double Speed { get; init; } = 1;
    /// <summary>How long to wait at the end for the queued messages to reach the broker.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public TextWriter Log { get; init; } = TextWriter.Null;

    /// <summary>prefix-01 .. prefix-N, zero-padded to the width of N (at least 2 digits).</summary>
    public static string RigName(string prefix, int index, int count) =>
        prefix + "-" + index.ToString(CultureInfo.InvariantCulture).PadLeft(Math.Max(2, count.ToString(CultureInfo.InvariantCulture).Length), '0');

    public FleetResult Run(CancellationToken stop)
    {
        var scenario = ScenarioLoader.LoadFile(_scenarioPath, _files);
        long start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var log = TextWriter.Synchronized(Log);
        var publishers = new List<RigPublisher>();
        var runners = new List<ScenarioRunner>();
        try
        {
            foreach (var name in RigNames)
            {
                var pub = new RigPublisher(name, Broker, start, null, log);
                publishers.Add(pub);
                var runner = new ScenarioRunner(scenario, _files, new TelemetryTap(null, line => pub.OnLine(line)));
                pub.Device = new HaDiscovery.DeviceInfo(runner.Setup.Board.Name, Core.FirmwareRelease.Version);
                if (RateHz > 0)
                {
                    int periodMs = (int)Math.Round(1000 / RateHz);
                    var ep = runner.Controller.Protocol;
                    if (ep.Capture(true, periodMs, Core.Protocol.WriteLog.SourceLine, 0) != Core.Protocol.WriteLog.ResultAccepted)
                        throw new UsageException($"rate {RateHz} Hz: {ep.LastRefusal} (the tick is {scenario.TickMs} ms)");
                }
                runners.Add(runner);
            }
            long ticks = runners[0].TotalTicks;
            if (Duration > TimeSpan.Zero) ticks = Math.Min(ticks, (long)(Duration.TotalMilliseconds * Speed / scenario.TickMs));
            double tickWallMs = scenario.TickMs / Speed, behindMs = 0;
            log.WriteLine($"fleet: {RigCount} rigs ({RigNames[0]}..{RigNames[^1]}), {ticks} ticks of {scenario.TickMs} ms, publishing to {Broker}");
            var wall = Stopwatch.StartNew();
            long i = 0;
            for (; i < ticks && !stop.IsCancellationRequested; i++)
            {
                double wait = i * tickWallMs - wall.Elapsed.TotalMilliseconds;
                if (wait > 0) stop.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(wait));
                else behindMs = Math.Max(behindMs, -wait);
                foreach (var r in runners) r.Step();
            }
            double seconds = wall.Elapsed.TotalSeconds;
            Task.WaitAll(publishers.Select(p => p.StopAsync(DrainTimeout)).ToArray());
            var rigs = publishers.Select(p => new FleetRigResult(p.Rig, p.Frames, p.Client.SamplesPublished, p.Client.Dropped, p.Client.Queued)).ToList();
            return new FleetResult(rigs, i, seconds, behindMs);
        }
        finally
        {
            foreach (var p in publishers) p.DisposeAsync().AsTask().Wait();
        }
    }
}
