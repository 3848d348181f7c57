using System;
using System.Globalization;
using System.IO;
using System.Linq;
using SolidBms.Simulator;
using SolidBms.Simulator.Run;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Cli;

/// <summary>
/// `sim --scenario FILE|NAME [--csv OUT] [--every N] [--quiet]`: runs the firmware's control loop against
/// the simulated pack as fast as the host allows, then prints the summary.
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
        a.RejectUnknown();

        var files = BoardFiles.Locate();
        string path = File.Exists(scenarioArg) ? scenarioArg : files.ScenarioPath(scenarioArg);
        Scenario scenario;
        ScenarioRunner runner;
        try
        {
            scenario = ScenarioLoader.LoadFile(path, files);
            runner = new ScenarioRunner(scenario, files);
        }
        catch (ScenarioException e)
        {
            stderr.WriteLine($"error: scenario {path}: {e.Message}");
            return 2;
        }

        if (!quiet) stderr.WriteLine($"sim: {scenario.Name}: {scenario.Cells} cells, {Hours(scenario.DurationS)} at {scenario.TickMs} ms ticks ({runner.TotalTicks:N0} ticks)");
        RunSummary summary;
        using (var csv = csvPath == null ? null : new BufferedStream(File.Create(csvPath), 1 << 16))
        {
            summary = runner.Run(csv, every, quiet ? null : f => stderr.WriteLine($"sim: {f * 100,3:0}% ({Hours(f * scenario.DurationS)} simulated)"));
        }
        Print(summary, csvPath, stdout);
        if (flashImage != null)
        {
            File.WriteAllBytes(flashImage, runner.Flash.Image);
            stdout.WriteLine($"flash image: {flashImage} (decode: solidbms eventlog {flashImage})");
        }
        if (capturePath != null)
        {
            using var w = new StreamWriter(capturePath);
            int n = CaptureCsv.Write(runner.Controller.Lab.Capture, scenario.Cells, w);
            stdout.WriteLine($"capture: {capturePath} ({n} samples{(runner.Controller.Lab.Capture.Frozen ? ", frozen around the first trip" : ", no trigger: the most recent samples")})");
        }
        return 0;
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
        if (csvPath != null) o.WriteLine($"csv: {csvPath}");
    }
}
