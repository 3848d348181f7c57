using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using SolidBms.CellFit;

namespace SolidBms.Tests;

/// <summary>
/// A fact that needs the measured A123 data (scripts/real-data.sh; board/data/README.md): skipped, with the reason,
/// where the data are not on the machine (it is a public data set kept outside the repository).
/// </summary>
public sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute()
    {
        if (RealData.Dir == null) Skip = "no A123 data: run `bash scripts/real-data.sh` with a mirror of batterysim/esctoolbox-python (board/data/README.md)";
    }
}

public static class RealData
{
    /// <summary>The converted data: SOLIDBMS_REAL_DATA (set by scripts/test.sh), else artifacts/real-data/a123; null when absent.</summary>
    public static readonly string Dir = Find();

    private static string Find()
    {
        string env = Environment.GetEnvironmentVariable("SOLIDBMS_REAL_DATA");
        foreach (var d in new[] { env, Path.Combine(Repo.Root, "artifacts/real-data/a123") })
            if (!string.IsNullOrEmpty(d) && File.Exists(Path.Combine(d, "a123-25c-dyn.csv"))) return d;
        return null;
    }
}

/// <summary>
/// bench real in the test command: fit-cell and the firmware's SOC on measured data of a real cell, scored on what the fit
/// never saw. Asserts the LFP target and that the estimator does better than the coulomb count where the count
/// drifts; writes the table to artifacts/bench-real.txt, which scripts/test.sh prints.
/// </summary>
public sealed class RealDataBenchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("benchreal").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [RealDataFact]
    public void Bench_real_meets_the_lfp_target_on_drives_never_fitted_and_beats_a_drifting_coulomb_count()
    {
        var r = RealDataBench.Run(RealData.Dir, _dir);
        var c = CultureInfo.InvariantCulture;
        var table = new StringBuilder("bench real (A123 LFP, scored on what the fit never saw; points):\n");
        foreach (var q in r.Fit.Quality)
            table.Append(string.Format(c, "  fit {0,-5} {1,4} C  rms {2,6:0.00} mV  max {3,7:0.0} mV  rms at SOC >= 0.1 {4,6:0.00} mV  {5}\n", q.Kind, q.TemperatureC, q.RmsMillivolts, q.MaxMillivolts, q.RmsAboveKneeMillivolts, q.Source));
        foreach (var row in r.Rows)
            table.Append(string.Format(c, "  {0,4} C  soc rms {1,5:0.00} max {2,6:0.00}  count rms {3,5:0.00} max {4,6:0.00}  {5}\n",
                row.TemperatureC, row.Score.RmsPoints, row.Score.MaxPoints, row.Score.CoulombRmsPoints, row.Score.CoulombMaxPoints, row.Test));
        Directory.CreateDirectory(Path.Combine(Repo.Root, "artifacts"));
        File.WriteAllText(Path.Combine(Repo.Root, "artifacts/bench-real.txt"), table.ToString());

        // Hysteresis found where the cell has it (the C/30 branches of this LFP cell sit about 20 mV apart at 25 C).
        var at25 = r.Fit.Impedance.Single(h => h.TemperatureC == 25);
        Assert.True(at25.HysteresisMillivolts + at25.InstantHysteresisMillivolts > 3, table.ToString());
        // The drive-cycle targets (RMS <= 1.0, max <= 2.0; its LFP target alone is RMS <= 2.0), at 25 C and the
        // cold 5 C, from a rested full charge: measured 0.38 / 0.64 and 0.40 / 0.68 (sixth session).
        foreach (var row in r.Rows.Where(x => x.Test.StartsWith("drive", StringComparison.Ordinal)))
        {
            Assert.True(row.Score.Samples > 100_000, table.ToString());
            Assert.True(row.Score.RmsPoints <= 1.0 && row.Score.MaxPoints <= 2.0, table.ToString());
        }
        // fit-cell on real data: every input file, the C/30 records and the whole drives to the cut-off, within the issue's
        // 15 mV RMS (measured 5.4-12.6 mV with the knee gain, the low end and the hysteresis near full fitted).
        foreach (var q in r.Fit.Quality)
            Assert.True(q.RmsMillivolts <= 15, q.Source + ": " + q.RmsMillivolts.ToString("0.00", c) + " mV RMS");
        // Restarted under load with a current-sensor offset, the count drifts; the estimator must stay ahead of it, with
        // or without a saved state.
        var restarts = r.Rows.Where(x => x.Test.StartsWith("restart", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, restarts.Length);
        foreach (var restart in restarts) Assert.True(restart.Score.RmsPoints < restart.Score.CoulombRmsPoints, table.ToString());
        // From the saved state (SocMemory) it starts where it was: the RMS <= 1.0 after 600 s (measured 0.75 / 0.95;
        // the cold start 4.80 / 11.65).
        var saved = restarts.Single(x => x.Test.Contains("saved state", StringComparison.Ordinal));
        Assert.True(saved.Score.RmsPoints <= 1.0 && saved.Score.MaxPoints <= 2.0, table.ToString());
    }
}
