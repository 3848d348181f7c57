using System;
using System.Globalization;
using System.IO;
using System.Linq;
using SolidBms.Cli.Mqtt;
using SolidBms.Simulator;
using SolidBms.Simulator.Run;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Cli;

/// <summary>
/// `sim --scenario FILE|NAME [--csv OUT] [--every N] [--quiet] [--speed N] [--telemetry PATH] [--modbus PATH]`:
/// runs the firmware's control loop against the simulated pack as fast as the host allows, then prints the
/// summary. With --speed, or with a port, it runs paced to wall time (N times real time, default 1) and serves
/// the line protocol and Modbus RTU on pseudo-terminals linked at the paths. Wall time is the host's only:
/// the firmware still sees the simulated clock. With --mqtt it publishes the firmware's telemetry frames on the broker
/// (docs/mqtt.md) as rig --rig (default sim); with --rigs N it runs N such rigs in one process (<see cref="FleetSimulator"/>).
/// </summary>
public static class SimCommand
{
    public static int Run(CliArgs a, TextWriter stdout, TextWriter stderr)
    {
        string scenarioArg = a.Get("scenario") ?? throw new UsageException("sim needs --scenario FILE (or a name from board/scenarios)");
        string csvPath = a.Get("csv");
        int every = a.Int("every", 1, 1, 1_000_000);
        bool quiet = a.Flag("quiet");
        string flashImage = a.Get("flash-image");
        string capturePath = a.Get("capture");
        string telemetryPath = a.Get("telemetry"), modbusPath = a.Get("modbus");
        string speedArg = a.Get("speed");
        double speed = 0;
        if (speedArg != null && (!double.TryParse(speedArg, NumberStyles.Float, CultureInfo.InvariantCulture, out speed) || !(speed > 0 && speed <= 10000)))
            throw new UsageException("--speed must be a number above 0 (times real time), up to 10000");
        string mqttArg = a.Get("mqtt"), rigArg = a.Get("rig");
        int rigs = a.Int("rigs", 0, 1, 1000), seconds = a.Int("seconds", 0, 1, int.MaxValue), rateHz = a.Int("rate-hz", 0, 1, 100);
        if (speed == 0 && (telemetryPath != null || modbusPath != null || mqttArg != null)) speed = 1;
        a.RejectUnknown();
        var broker = mqttArg == null ? null : MqttUrl.Parse(mqttArg);
        if (broker == null && (rigArg != null || rigs > 0)) throw new UsageException("--rig and --rigs publish on a broker: add --mqtt mqtt://HOST[:PORT]");
        if (seconds > 0 && rigs == 0) throw new UsageException("--seconds goes with --rigs (a single rig runs for the scenario's length)");
        if (rateHz > 0 && rigs == 0) throw new UsageException("--rate-hz goes with --rigs (a single rig sends at its board's period)");
        string rigName = rigArg ?? "sim";
        if (rigs == 0 && broker != null && MqttTopics.RigNameError(rigName) is string rigError) throw new UsageException("--rig: " + rigError);
        if (rigs > 0)
        {
            foreach (var (value, option) in new[] { (csvPath, "--csv"), (flashImage, "--flash-image"), (capturePath, "--capture"), (telemetryPath, "--telemetry"), (modbusPath, "--modbus") })
                if (value != null) throw new UsageException($"--rigs runs its rigs without ports or files: {option} is for a single rig");
            return RunFleet(scenarioArg, rigs, rigName, broker, speed, seconds, rateHz, quiet, stdout, stderr);
        }
        // Every output is checked before the run: a long run must not end by losing its results.
        OutputPath.CheckFile(csvPath, "--csv");
        OutputPath.CheckFile(flashImage, "--flash-image");
        OutputPath.CheckFile(capturePath, "--capture");
        OutputPath.CheckDistinct(telemetryPath, "--telemetry", modbusPath, "--modbus");
        OutputPath.CheckDistinct(csvPath, "--csv", flashImage, "--flash-image");
        OutputPath.CheckDistinct(csvPath, "--csv", capturePath, "--capture");
        OutputPath.CheckDistinct(flashImage, "--flash-image", capturePath, "--capture");

        var files = BoardFiles.Locate();
        string path = ScenarioPath(files, scenarioArg);
        foreach (var (output, what) in new[] { (csvPath, "--csv"), (flashImage, "--flash-image"), (capturePath, "--capture") })
            OutputPath.CheckDistinct(path, "the scenario", output, what); // a run must not overwrite its own input
        Scenario scenario;
        ScenarioRunner runner;
        using var ports = new SimPorts();
        RigPublisher publisher = null;
        try
        {
            scenario = ScenarioLoader.LoadFile(path, files);
            ports.Open(telemetryPath, modbusPath);
            Core.Hal.ISerialPort telemetry = ports.Telemetry;
            if (broker != null)
            {
                publisher = new RigPublisher(rigName, broker, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null, TextWriter.Synchronized(stderr));
                telemetry = new TelemetryTap(ports.Telemetry, line => publisher.OnLine(line));
            }
            runner = new ScenarioRunner(scenario, files, telemetry, ports.Modbus);
        }
        catch (ScenarioException e)
        {
            stderr.WriteLine($"error: scenario {path}: {e.Message}");
            return 2;
        }
        if (publisher != null)
        {
            publisher.Device = new HaDiscovery.DeviceInfo(runner.Setup.Board.Name, Core.FirmwareRelease.Version);
            stderr.WriteLine($"sim: publishing rig {rigName} to {broker} (docs/mqtt.md)");
        }
        if (runner.Setup.Board.DeviceKey == Core.Protocol.DeviceAuth.PlaceholderKey)
            stderr.WriteLine($"sim: warning: board {runner.Setup.Board.Name} carries the placeholder device key: every write over the ports is refused until [security] deviceKey is set");
        if (ports.Telemetry != null) stderr.WriteLine($"sim: line protocol on {ports.Telemetry.SlavePath} (linked at {telemetryPath})");
        if (ports.Modbus != null) stderr.WriteLine($"sim: Modbus RTU on {ports.Modbus.SlavePath} (linked at {modbusPath}), slave address {runner.Setup.Board.ModbusAddress}");
        if (!quiet) stderr.WriteLine($"sim: {scenario.Name}: {scenario.Cells} cells, {Hours(scenario.DurationS)} at {scenario.TickMs} ms ticks ({runner.TotalTicks:N0} ticks)");
        // The flash image and the capture are written as they change, the CSV in whole rows at least once a wall second:
        // a run killed at any moment (kill -9 included) leaves every output readable, up to its last write.
        using var flash = runner.Flash;
        if (flashImage != null) flash.MirrorTo(flashImage);
        var capture = capturePath == null ? null : new CaptureFile(capturePath, scenario.Cells);
        if (capture != null)
        {
            capture.Write(runner.Controller.Lab.Capture);
            runner.AfterStep = r => capture.Update(r.Controller.Lab.Capture);
        }
        RunSummary summary;
        if (speed > 0) summary = RunPaced(runner, scenario, speed, csvPath, every, quiet, stdout, stderr); // null: stopped early
        else
        {
            using var csv = csvPath == null ? null : new WholeRowFile(csvPath);
            summary = runner.Run(csv, every, quiet ? null : f => stderr.WriteLine($"sim: {f * 100,3:0}% ({Hours(f * scenario.DurationS)} simulated)"));
        }
        if (summary != null) Print(summary, csvPath, stdout);
        if (flashImage != null) stdout.WriteLine($"flash image: {flashImage} (decode: solidbms eventlog {flashImage})");
        if (capture != null)
        {
            capture.Write(runner.Controller.Lab.Capture);
            stdout.WriteLine($"capture: {capturePath} ({capture.Samples} samples, {CaptureWindow(runner.Controller.Lab.Capture)})");
        }
        if (publisher != null)
        {
            publisher.StopAsync(TimeSpan.FromSeconds(10)).Wait(); // what is queued goes out, then `offline`
            stdout.WriteLine($"mqtt: {rigName}: {publisher.Frames} frames, {publisher.Client.SamplesPublished} samples published to {broker}, " +
                             $"{publisher.Client.Queued} unsent, {publisher.Client.Dropped} dropped");
            publisher.DisposeAsync().AsTask().Wait();
        }
        return 0;
    }

    /// <summary>
    /// `sim --rigs N --mqtt URL [--rate-hz R]`: N rigs publishing (R frames per second each; default the board's period),
    /// until the scenario's end, --seconds, SIGINT or SIGTERM.
    /// </summary>
    private static int RunFleet(string scenarioArg, int rigs, string prefix, MqttUrl broker, double speed, int seconds, int rateHz, bool quiet, TextWriter stdout, TextWriter stderr)
    {
        var files = BoardFiles.Locate();
        var fleet = new FleetSimulator(ScenarioPath(files, scenarioArg), files, rigs, broker, prefix)
        {
            Speed = speed,
            Duration = TimeSpan.FromSeconds(seconds),
            RateHz = rateHz,
            Log = quiet ? TextWriter.Null : stderr,
        };
        using var stop = new System.Threading.CancellationTokenSource();
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        FleetResult r;
        try { r = fleet.Run(stop.Token); }
        catch (ScenarioException e)
        {
            stderr.WriteLine($"error: scenario {scenarioArg}: {e.Message}");
            return 2;
        }
        var ci = CultureInfo.InvariantCulture;
        foreach (var rig in r.Rigs)
            stdout.WriteLine($"fleet: {rig.Rig}: {rig.Frames} frames, {rig.SamplesPublished} samples published, {rig.Unsent} unsent, {rig.Dropped} dropped");
        stdout.WriteLine(string.Format(ci, "fleet: {0} rigs, {1} ticks in {2:0.0} s wall, {3} frames, {4} samples published, at most {5:0} ms behind the wall clock",
            r.Rigs.Count, r.Ticks, r.WallSeconds, r.Frames, r.SamplesPublished, r.MaxBehindMs));
        return 0;
    }

    /// <summary>Runs tick i at wall time i * tick / speed; ends at the scenario's end, on SIGINT or SIGTERM.</summary>
    private static RunSummary RunPaced(ScenarioRunner runner, Scenario scenario, double speed, string csvPath, int every, bool quiet, TextWriter stdout, TextWriter stderr)
    {
        var stop = new System.Threading.ManualResetEventSlim(false);
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; stop.Set(); });
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Set(); });
        if (!quiet) stderr.WriteLine(string.Format(CultureInfo.InvariantCulture, "sim: paced at {0} x real time; Ctrl-C stops", speed));
        var wall = System.Diagnostics.Stopwatch.StartNew();
        double tickWallMs = scenario.TickMs / speed;
        RunSummary summary;
        using (var csv = csvPath == null ? null : new WholeRowFile(csvPath))
        {
            try
            {
                summary = runner.Run(csv, every, null, i =>
                {
                    double wait = i * tickWallMs - wall.Elapsed.TotalMilliseconds;
                    if (wait > 0 && stop.Wait(TimeSpan.FromMilliseconds(wait))) throw new OperationCanceledException();
                    if (stop.IsSet) throw new OperationCanceledException();
                });
            }
            catch (OperationCanceledException)
            {
                csv?.Flush();
                stdout.WriteLine(string.Format(CultureInfo.InvariantCulture, "stopped at {0:0.0} s simulated ({1:0.0} s wall)", runner.TimeS, wall.Elapsed.TotalSeconds));
                return null;
            }
        }
        return summary;
    }

    /// <summary>A path (an existing file, a directory part or a .json ending) is taken as given; a bare name looks in board/scenarios.</summary>
    public static string ScenarioPath(BoardFiles files, string arg)
    {
        bool isPath = File.Exists(arg) || arg.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            || arg.Contains('/') || arg.Contains(Path.DirectorySeparatorChar);
        return isPath ? arg : files.ScenarioPath(arg);
    }

    /// <summary>What the capture holds, as it is: which trigger, when, and whether the window is complete.</summary>
    public static string CaptureWindow(Core.Lab.CaptureBuffer c)
    {
        if (!c.Triggered) return "no trigger: the most recent samples";
        string cause = c.TriggerCause switch
        {
            Core.Lab.CaptureBuffer.TriggerTrip => "the first trip",
            Core.Lab.CaptureBuffer.TriggerManual => "a manual trigger",
            _ => "a trip (it replaced a manual window)",
        };
        return string.Format(CultureInfo.InvariantCulture, "{0} around {1} at {2:0.0} s", c.Frozen ? "frozen" : "still recording (post-trigger window incomplete)", cause, c.TriggerTimeMs / 1000.0);
    }

    private static string Hours(double s) => s >= 3600 ? $"{s / 3600:0.##} h" : $"{s:0.#} s";

    public static void Print(RunSummary s, string csvPath, TextWriter o)
    {
        var ci = CultureInfo.InvariantCulture;
        o.WriteLine($"scenario: {s.Scenario} ({s.Cells} cells, {s.Ticks:N0} ticks)");
        o.WriteLine(string.Format(ci, "simulated: {0:0.0} s ({1:0.00} h)", s.SimulatedSeconds, s.SimulatedSeconds / 3600));
        o.WriteLine(string.Format(ci, "wall: {0:0.000} s", s.WallSeconds));
        o.WriteLine(string.Format(ci, "speedup: {0:0} x", s.Speedup));
        o.WriteLine($"final state: {s.FinalState}");
        o.WriteLine(string.Format(ci, "final soc: true {0:0.0} %, estimated {1:0.0} %, max |error| {2:0.00} points",
            s.FinalSocTrue * 100, s.FinalSocEstimated * 100, s.MaxAbsSocError * 100));
        o.WriteLine(string.Format(ci, "cell voltage: {0:0} .. {1:0} mV, max temperature {2:0.0} C", s.MinCellMillivolts, s.MaxCellMillivolts, s.MaxTemperatureC));
        o.WriteLine($"loop overruns: {s.LoopOverruns}, watchdog resets: {s.WatchdogResets}");
        o.WriteLine(s.FaultsSeen.Count == 0
            ? "faults seen: none"
            : "faults seen: " + string.Join(", ", s.FaultsSeen.Select(kv => string.Format(ci, "{0} at {1:0.0} s", kv.Key, kv.Value))));
        foreach (var line in s.I2cDevices) o.WriteLine("i2c " + line);
        if (csvPath != null) o.WriteLine($"csv: {csvPath}");
    }
}
