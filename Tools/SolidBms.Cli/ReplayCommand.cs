using System;
using System.Globalization;
using System.IO;
using SolidBms.Core.Config;
using SolidBms.Core.Loop;
using SolidBms.Simulator;
using SolidBms.Simulator.Replay;

namespace SolidBms.Cli;

/// <summary>
/// `replay LOG.csv --cell FILE [--board B] [--profile P] --csv OUT [--every N] [--pressure-kpa K] [--temperature-c T]`: recorded
/// measurements through the firmware's full loop (see <see cref="ReplayRunner"/>); prints a summary of what the firmware decided.
/// </summary>
public static class ReplayCommand
{
    public const string DefaultBoard = "sim-analog-16";

    public static int Run(CliArgs a, TextWriter stdout, TextWriter stderr)
    {
        string cellArg = a.Get("cell") ?? throw new UsageException("replay needs --cell FILE (a board/cells/*.cell file or its name)");
        string boardArg = a.Get("board") ?? DefaultBoard;
        string profileArg = a.Get("profile");
        string csvPath = a.Get("csv") ?? throw new UsageException("replay needs --csv OUT");
        int every = a.Int("every", 1, 1, 1_000_000);
        string pressureArg = a.Get("pressure-kpa");
        float pressure = float.NaN;
        if (pressureArg != null && (!float.TryParse(pressureArg, NumberStyles.Float, CultureInfo.InvariantCulture, out pressure) || !(pressure >= 0 && pressure <= 100000)))
            throw new UsageException("--pressure-kpa must be a number from 0 to 100000");
        string temperatureArg = a.Get("temperature-c");
        float temperature = float.NaN;
        // The range the board's thermistor tables read (Drivers/SolidBms.Drivers/Ntc/NtcParts.cs).
        if (temperatureArg != null && (!float.TryParse(temperatureArg, NumberStyles.Float, CultureInfo.InvariantCulture, out temperature) || !(temperature >= -40 && temperature <= 125)))
            throw new UsageException("--temperature-c must be a number from -40 to 125 (C)");
        a.RejectUnknown();
        if (a.Positional.Count != 1) throw new UsageException("replay needs one LOG.csv (columns time_s,current_a,v1..vN[,t1..tN][,p1..pM])");

        var files = BoardFiles.Locate();
        ReplayLog log;
        ReplayRunner runner;
        try
        {
            log = ReplayLog.Read(a.Positional[0]);
            var board = BoardConfig.Load(ReadNamed(boardArg, files.BoardPath, "--board"), Path.GetFileName(Resolve(boardArg, files.BoardPath)));
            string profilePath = Resolve(profileArg ?? board.ProfileName, files.ProfilePath);
            var profile = LimitProfile.Load(ReadNamed(profilePath, files.ProfilePath, "--profile"), Path.GetFileName(profilePath));
            string cellPath = Resolve(cellArg, files.CellPath);
            var cell = CellModel.Load(KeyValueDocument.Parse(ReadNamed(cellPath, files.CellPath, "--cell"), Path.GetFileName(cellPath)));
            runner = new ReplayRunner(log, board, profile, cell, pressure, temperature);
        }
        catch (ReplayLogException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (ConfigException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 2;
        }

        var seenStates = new bool[BmsStateNames.Count];
        int staleTicks = 0;
        string firstFault = null;
        var names = new string[64];
        runner.AfterTick = r =>
        {
            seenStates[(int)r.Controller.State] = true;
            if (!r.Sensors.Fresh) staleTicks++;
            if (firstFault == null && r.Controller.CopyFaultNames(names) > 0)
                firstFault = string.Format(CultureInfo.InvariantCulture, "{0} at {1:0.0} s", names[0], r.TimeS);
        };
        long ticks;
        using (var csv = new BufferedStream(File.Create(csvPath), 1 << 16)) ticks = runner.Run(csv, every);

        var ctl = runner.Controller;
        var c = CultureInfo.InvariantCulture;
        var sensors = runner.Sensors;
        stdout.WriteLine(string.Format(c, "replay: {0}: {1} rows, {2} cells, {3} stacks, {4:0.0} s of log (rows every {5:0.###} s, held {6} ms, to the next row across gaps under {7} ms) -> {8:N0} ticks of {9} ms",
            log.Name, log.Count, log.Cells, log.Stacks, log.TimeS[^1] - log.TimeS[0], log.MedianStepS, sensors.HoldMs, sensors.QualifyMs, ticks, runner.Board.TickMs));
        // Rows further apart than the qualification time still replay (held for their spacing), but a reading missing
        // from one row is then missing for longer than the supervisor waits: say so, rather than leave the fault unexplained.
        if (log.MedianStepS * 1000 > sensors.QualifyMs)
            stdout.WriteLine(string.Format(c, "note: rows every {0:0.###} s are further apart than the sensor fault qualification time ({1} ms, [sensors] faultQualifyMs): a reading stands for its whole row, so one empty field can trip a sensor fault",
                log.MedianStepS, sensors.QualifyMs));
        int held = sensors.GapsHeld(out double longestHeldS);
        stdout.WriteLine(string.Format(c, "ticks without a fresh row (gaps): {0}", staleTicks) + (held == 0 ? "" : string.Format(c, "; gaps held to the next row: {0} (longest {1:0.###} s)", held, longestHeldS)));
        stdout.WriteLine(string.Format(c, "final: state {0}, SOC {1:0.0} % (coulomb count {2:0.0} %), limits charge {3:0.00} A discharge {4:0.00} A, R0 growth {5}",
            BmsStateNames.Of(ctl.State), ctl.Estimator.PackSoc * 100, ctl.Estimator.CoulombCountSoc * 100, ctl.ChargeLimitA, ctl.DischargeLimitA,
            float.IsNaN(ctl.Estimator.R0GrowthPercentMax) ? "unknown" : ctl.Estimator.R0GrowthPercentMax.ToString("0.0", c) + " %"));
        int n = ctl.CopyFaultNames(names);
        stdout.WriteLine("faults now: " + (n == 0 ? "none" : string.Join("|", names, 0, n)) + "; first: " + (firstFault ?? "none"));
        stdout.WriteLine($"wrote {csvPath}");
        return 0;
    }

    private static string Resolve(string arg, Func<string, string> named) => File.Exists(arg) ? arg : named(arg);

    private static string ReadNamed(string arg, Func<string, string> named, string option)
    {
        string path = Resolve(arg, named);
        if (!File.Exists(path)) throw new UsageException($"{option}: no file '{arg}' (and no {path})");
        return File.ReadAllText(path);
    }
}
