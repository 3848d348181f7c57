using System.Globalization;
using System.IO;
using SolidBms.CellFit;

namespace SolidBms.Cli;

/// <summary>
/// `bench real [--data DIR] [--cell-out FILE] [--trace-dir DIR]`: fits and scores the firmware's SOC on measured data of a real cell
/// (<see cref="RealDataBench"/>). DIR defaults to what scripts/real-data.sh prepared (artifacts/real-data/a123).
/// Figures, not pass/fail: the targets are in docs/estimation.md.
/// </summary>
public static class BenchRealCommand
{
    public const string DefaultData = "artifacts/real-data/a123";

    public static int Run(CliArgs a, TextWriter stdout, TextWriter stderr)
    {
        if (a.Positional.Count != 0) throw new UsageException($"bench real: unexpected argument '{a.Positional[0]}'");
        string data = a.Get("data") ?? Path.Combine(Simulator.BoardFiles.Locate().Root, "..", DefaultData);
        string cellOut = a.Get("cell-out");
        string traceDir = a.Get("trace-dir");
        string cellIn = a.Get("cell");
        a.RejectUnknown();
        if (!Directory.Exists(data))
        {
            stderr.WriteLine($"error: bench real: no data at {data}: run `bash scripts/real-data.sh` first (board/data/README.md)");
            return 2;
        }
        var work = Directory.CreateTempSubdirectory("bench-real").FullName;
        RealDataBench.Result r;
        try { r = RealDataBench.Run(data, work, traceDir, cellIn == null ? null : File.ReadAllText(cellIn)); }
        catch (CellFitException e)
        {
            stderr.WriteLine($"error: bench real: {e.Message}");
            return 2;
        }
        finally { Directory.Delete(work, true); }
        if (cellOut != null) File.WriteAllText(cellOut, r.CellFileText);
        var c = CultureInfo.InvariantCulture;
        if (r.Fit == null) stdout.WriteLine($"A123 LFP cell (Plett's ESC toolbox data, MIT): the cell file {cellIn}, not fitted here");
        else
        {
            stdout.WriteLine("A123 LFP cell (Plett's ESC toolbox data, MIT): fit-cell on the C/30 OCV tests and the first "
                + (RealDataBench.FitUntilS / 3600).ToString("0.0#", c) + " h of each dynamic test");
            foreach (var h in r.Fit.Impedance)
                stdout.WriteLine(string.Format(c, "  {0,3} C  R0 {1:0.0} mOhm, R1 {2:0.0} mOhm / {3:0} s, R2 {4:0.0} mOhm / {5:0} s, hysteresis M {6:0.0} mV M0 {7:0.0} mV rate {8:0.#}",
                    h.TemperatureC, h.R0MilliOhm, h.R1MilliOhm, h.Tau1Seconds, h.R2MilliOhm, h.Tau2Seconds, h.HysteresisMillivolts, h.InstantHysteresisMillivolts, h.HysteresisRate));
            stdout.WriteLine("fit quality (the written file replayed on each input):");
            foreach (var q in r.Fit.Quality)
                stdout.WriteLine(string.Format(c, "  {0,-5} {1,4} C  {2,8} samples  rms {3,6:0.00} mV  max {4,7:0.0} mV  rms at SOC >= 0.1 {5,6:0.00} mV  {6}", q.Kind, q.TemperatureC, q.Samples, q.RmsMillivolts, q.MaxMillivolts, q.RmsAboveKneeMillivolts, q.Source));
        }
        stdout.WriteLine("SOC on the parts never fitted (percentage points; cc = the firmware's plain coulomb count from the same start):");
        stdout.WriteLine("  temp_c  scored_s   soc_rms  soc_max   cc_rms   cc_max  test");
        foreach (var row in r.Rows)
            stdout.WriteLine(string.Format(c, "  {0,6} {1,9:0} {2,9:0.00} {3,8:0.00} {4,8:0.00} {5,8:0.00}  {6}", row.TemperatureC, row.ScoredS,
                row.Score.RmsPoints, row.Score.MaxPoints, row.Score.CoulombRmsPoints, row.Score.CoulombMaxPoints, row.Test));
        stdout.WriteLine(string.Format(c, "fit {0:0.0} s, replays {1:0.0} s", r.FitSeconds, r.ScoreSeconds));
        return 0;
    }
}
