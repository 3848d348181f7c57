using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using SolidBms.Core.Config;
using SolidBms.Simulator;
using SolidBms.Simulator.Hardware;

namespace SolidBms.CellFit;

/// <summary>
/// `bench real`: the firmware's SOC on measured data of a real cell, the A123 LFP cell of Plett's ESC toolbox (converted
/// by scripts/real-data.sh; what is kept: board/data/README.md). fit-cell gets the C/30 OCV tests at -5, 5, 15, 25 and
/// 35 C, the whole dynamic tests (from a rested full charge: a C/2 step and rest, then drive-cycle blocks down to the
/// cut-off) at the temperatures not scored (-5, 15, 35 C), and at the scored ones (25 C and the cold 5 C) the dynamic
/// test only up to <see cref="FitUntilS"/> after its start. The SOC is scored from there to the end, so no scored
/// second was fitted; the estimator itself runs the whole record from the rested start, as a rig would. Truth: the
/// cycler's own Ah counter (discharged_ah) over the capacity of the 25 C C/30 discharge.
/// </summary>
public static class RealDataBench
{
    /// <summary>The scored temperatures: 25 C and a cold one.</summary>
    public static readonly string[] Temperatures = { "25c", "05c" };
    /// <summary>Temperatures whose whole dynamic test the fit gets (never scored): the impedance over the whole SOC range.</summary>
    public static readonly string[] FitOnly = { "m05c", "15c", "35c" };
    /// <summary>Fit on the first part of each dynamic test: the C/2 step, its rest and two drive blocks with their rests (SOC 1.0 to about 0.8).</summary>
    public const double FitUntilS = 6150;
    /// <summary>The restart case: the firmware starts this far into the 25 C record, under load, with a current-sensor offset.</summary>
    public const double RestartAtS = 16000, RestartOffsetA = 0.05, RestartSettleS = 600;
    /// <summary>The SOC memory's flash as the ESP32 composition sizes it (Firmware/Esp32/Program.cs): two 4 KiB blocks.</summary>
    public const int SocFlashBytes = 8 * 1024, SocFlashBlockBytes = 4096;

    public sealed record Row(string Test, int TemperatureC, double ScoredS, SocScore Score);

    public sealed class Result
    {
        public string CellFileText;
        public CellFitResult Fit;
        public List<Row> Rows = new();
        public double FitSeconds, ScoreSeconds;
    }

    public static Result Run(string dataDir, string workDir, string traceDir = null, string cellFileText = null)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var ocv = Temperatures.Concat(FitOnly).Select(t => Path.Combine(dataDir, $"a123-{t}-ocv.csv")).ToArray();
        var dyn = Temperatures.Select(t => Path.Combine(dataDir, $"a123-{t}-dyn.csv")).ToArray();
        var whole = FitOnly.Select(t => Path.Combine(dataDir, $"a123-{t}-dyn.csv")).ToArray();
        foreach (var f in ocv.Concat(dyn).Concat(whole)) if (!File.Exists(f)) throw new CellFitException($"{f}: not found (bash scripts/real-data.sh prepares the data)");
        Result result;
        if (cellFileText == null)
        {
            var fitParts = dyn.Select(f => Head(f, FitUntilS, Path.Combine(workDir, Path.GetFileNameWithoutExtension(f) + "-fit.csv"))).Concat(whole).ToArray();
            var fit = CellFitter.Fit(ocv, Array.Empty<string>(), fitParts, "a123-lfp-bench", BoardFiles.Locate().CellPath(CellFitter.DefaultTemplateName));
            if (!fit.Ok) throw new CellFitException("the fit of the bench's own data failed: " + fit.RefusalReason);
            result = new Result { CellFileText = fit.CellFileText, Fit = fit, FitSeconds = sw.Elapsed.TotalSeconds };
        }
        else result = new Result { CellFileText = cellFileText };
        var cell = CellModel.Load(KeyValueDocument.Parse(result.CellFileText, "a123-lfp-bench.cell"));
        sw.Restart();
        for (int i = 0; i < Temperatures.Length; i++)
        {
            var log = CyclerLog.Read(dyn[i]);
            var truth = Truth(dyn[i], log.Count, cell.CapacityAh);
            double from = log.TimeS[0] + FitUntilS;
            var score = SocReplay.Run(log, cell, truth, from, trace: Trace(traceDir, Temperatures[i] + "-drive"));
            result.Rows.Add(new Row("drive, from a rested full charge", (int)Math.Round(log.MeanTemperatureC), log.TimeS[^1] - from, score));
            if (i == 0)
            {
                int start = Array.FindIndex(log.TimeS, t => t >= log.TimeS[0] + RestartAtS);
                while (start < log.Count && Math.Abs(log.CurrentA[start]) < 0.5) start++; // under load
                double settle = log.TimeS[start] + RestartSettleS;
                // A cold restart knows only the voltage behind the load. A reset of a running rig finds the state the firmware
                // saved (SocMemory): the same sensor, offset and all, ran the record up to the reset, saving as it went.
                var cold = SocReplay.Run(log, cell, truth, settle, (float)RestartOffsetA, start, trace: Trace(traceDir, "restart-cold"));
                int temperatureC = (int)Math.Round(log.MeanTemperatureC);
                result.Rows.Add(new Row($"restart under load at {RestartAtS:0} s, nothing saved, +{RestartOffsetA * 1000:0} mA offset, after {RestartSettleS:0} s", temperatureC, log.TimeS[^1] - settle, cold));
                var flash = new SimFlash(SocFlashBytes, SocFlashBlockBytes);
                SocReplay.Run(log, cell, truth, double.PositiveInfinity, (float)RestartOffsetA, 0, socFlash: flash, endRow: start);
                var saved = SocReplay.Run(log, cell, truth, settle, (float)RestartOffsetA, start, socFlash: flash, trace: Trace(traceDir, "restart-saved"));
                result.Rows.Add(new Row($"restart under load at {RestartAtS:0} s, from the saved state, +{RestartOffsetA * 1000:0} mA offset, after {RestartSettleS:0} s", temperatureC, log.TimeS[^1] - settle, saved));
            }
        }
        result.ScoreSeconds = sw.Elapsed.TotalSeconds;
        return result;
    }

    /// <summary>A trace file in <paramref name="dir"/> (null: none), its header written; closed when the process ends.</summary>
    private static TextWriter Trace(string dir, string name)
    {
        if (dir == null) return null;
        Directory.CreateDirectory(dir);
        var w = new StreamWriter(Path.Combine(dir, name + ".csv")) { AutoFlush = true };
        w.WriteLine(SocReplay.TraceHeader);
        return w;
    }

    /// <summary>The rows of a log up to <paramref name="untilS"/> after its first, written to a file of their own (the fit's part).</summary>
    private static string Head(string path, double untilS, string into)
    {
        using var reader = new StreamReader(path);
        using var writer = new StreamWriter(into);
        string header = reader.ReadLine();
        writer.WriteLine(header);
        double t0 = double.NaN;
        string line;
        while ((line = reader.ReadLine()) != null)
        {
            double t = double.Parse(line.AsSpan(0, line.IndexOf(',')), NumberStyles.Float, CultureInfo.InvariantCulture);
            if (double.IsNaN(t0)) t0 = t;
            if (t - t0 > untilS) break;
            writer.WriteLine(line);
        }
        return into;
    }

    /// <summary>SOC truth per row: 1 - discharged_ah / capacity (the record starts from a full charge).</summary>
    private static double[] Truth(string path, int rows, double capacityAh)
    {
        var lines = File.ReadLines(path).ToList();
        int col = Array.IndexOf(lines[0].Split(','), "discharged_ah");
        if (col < 0) throw new CellFitException($"{path}:1: no discharged_ah column (the cycler's Ah counter, the truth)");
        var truth = new double[rows];
        for (int k = 0; k < rows; k++)
            truth[k] = 1 - double.Parse(lines[k + 1].Split(',')[col], NumberStyles.Float, CultureInfo.InvariantCulture) / capacityAh;
        return truth;
    }
}
