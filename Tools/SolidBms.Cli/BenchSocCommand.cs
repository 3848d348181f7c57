using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using SolidBms.Simulator;
using SolidBms.Simulator.Run;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Cli;

/// <summary>
/// `bench soc [--scenario FILE|NAME] [--seeds N]`: runs the SOC benchmark scenarios (board/scenarios/soc-*.json by
/// default) and prints one row of figures per scenario. Figures, not a pass/fail: the targets are in
/// docs/estimation.md. With --seeds, each scenario also runs with N seeds (its own and the next N - 1) and a second
/// table gives the spread of the scored errors: one seed's row moves by a few hundredths of a point whenever the
/// simulator draws its noise differently, so a change to the estimator is judged on the spread, not on one row.
/// </summary>
public static class BenchSocCommand
{
    public static int Run(CliArgs a, TextWriter stdout, TextWriter stderr)
    {
        if (a.Positional.Count != 0) throw new UsageException($"bench soc: unexpected argument '{a.Positional[0]}'");
        string only = a.Get("scenario");
        int seeds = a.Int("seeds", 1, 1, 100);
        a.RejectUnknown();
        var files = BoardFiles.Locate();
        var paths = new List<string>();
        if (only != null) paths.Add(SimCommand.ScenarioPath(files, only));
        else
        {
            paths.AddRange(Directory.GetFiles(Path.Combine(files.Root, "scenarios"), "soc-*.json"));
            paths.Sort(StringComparer.Ordinal);
        }
        var scenarios = new List<Scenario>();
        foreach (var p in paths)
        {
            try { scenarios.Add(ScenarioLoader.LoadFile(p, files)); }
            catch (ScenarioException e)
            {
                stderr.WriteLine($"error: scenario {p}: {e.Message}");
                return 2;
            }
        }
        // The honest rows first: the cells are the physics-based reference cell, the firmware has the cell file fitted
        // from that cell's lab tests. Then the self-consistent rows (the simulated cells are the firmware's own model).
        double wall = 0;
        foreach (bool reference in new[] { true, false })
        {
            var group = scenarios.FindAll(s => (s.Cell.Model == CellModels.Reference) == reference);
            if (group.Count == 0) continue;
            stdout.WriteLine(reference
                ? "reference cell (single-particle physics; firmware given the cell file fitted from its C/20 and HPPC tests):"
                : "sanity check only (self-consistent: the simulated cells are the firmware's own equivalent circuit):");
            stdout.WriteLine(Header);
            foreach (var s in group)
            {
                var r = SocBench.Run(s, files);
                wall += r.WallS;
                stdout.WriteLine(Row(r));
            }
        }
        stdout.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "{0} scenarios, wall {1:0.0} s. SOC errors in points after convergence (conv = first time within {2:0} points; settle = within them from then to the end);",
            scenarios.Count, wall, SocBench.ConvergedPoints));
        stdout.WriteLine("cc = plain coulomb counting (raw current, nominal capacity, same start) in the same run over the same window; cell-max = worst single cell.");
        stdout.WriteLine("r0 = worst cell |R0 est - true| / true after 10 min of dynamic load and at the end; cap = worst cell capacity error at the end (updates = fewest per cell).");
        stdout.WriteLine($"rms/max@{SocBench.ScoreAfterS:0} and cc@{SocBench.ScoreAfterS:0} = pack SOC error (estimator, coulomb counting) from {SocBench.ScoreAfterS:0} s after the start to the end, whatever the convergence.");
        if (seeds > 1) PrintSeedSpread(scenarios, files, seeds, stdout);
        return 0;
    }

    /// <summary>Each scenario with seeds s, s+1, .. s+n-1: mean, standard deviation and worst of rms@600 and max@600.</summary>
    private static void PrintSeedSpread(List<Scenario> scenarios, BoardFiles files, int n, TextWriter stdout)
    {
        var ci = CultureInfo.InvariantCulture;
        stdout.WriteLine();
        stdout.WriteLine($"seed spread: each scenario with its own seed and the next {n - 1} (the pack's spread and every noise sequence drawn afresh), points");
        stdout.WriteLine("scenario                       seeds  rms@600 mean     sd  worst  max@600 mean     sd  worst");
        double wall = 0;
        foreach (var s in scenarios)
        {
            var rms = new double[n];
            var max = new double[n];
            for (int k = 0; k < n; k++)
            {
                var r = SocBench.Run(s.WithSeed(unchecked(s.Seed + k)), files);
                wall += r.WallS;
                rms[k] = r.SocRmsAfterPoints;
                max[k] = r.SocMaxAfterPoints;
            }
            stdout.WriteLine(string.Format(ci, "{0,-30} {1,5} {2,13:0.000} {3,6:0.000} {4,6:0.00} {5,13:0.000} {6,6:0.000} {7,6:0.00}",
                s.Name, n, Mean(rms), Sd(rms), Worst(rms), Mean(max), Sd(max), Worst(max)));
        }
        stdout.WriteLine(string.Format(ci, "{0} runs, wall {1:0.0} s; sd = sample standard deviation over the seeds.", scenarios.Count * n, wall));
    }

    private static double Mean(double[] v)
    {
        double sum = 0;
        foreach (double x in v) sum += x;
        return sum / v.Length;
    }

    private static double Sd(double[] v)
    {
        double mean = Mean(v), sum = 0;
        foreach (double x in v) sum += (x - mean) * (x - mean);
        return Math.Sqrt(sum / (v.Length - 1));
    }

    private static double Worst(double[] v)
    {
        double worst = double.NegativeInfinity;
        foreach (double x in v) worst = Math.Max(worst, x);
        return worst;
    }

    public const string Header =
        "scenario                       T(C)  conv(s) conv-dyn(s) settle(s)  soc-rms  soc-max cell-max   cc-rms   cc-max  r0@10m%  r0-end%   cap%  cap-upd  offset(A)  rms@600  max@600 ccrms@600 ccmax@600";

    public static string Row(SocBenchResult r)
    {
        var ci = CultureInfo.InvariantCulture;
        return string.Format(ci, "{0,-30} {1,4:0} {2,8} {3,11} {14,9} {4,8} {5,8} {6,8} {7,8} {8,8} {9,8} {10,8} {11,6} {12,8} {13,10} {15,8} {16,8} {17,9} {18,9}",
            r.Scenario, r.AmbientC, F(r.ConvergeS, "0"), F(r.ConvergeDynamicS, "0"), F(r.SocRmsPoints, "0.00"), F(r.SocMaxPoints, "0.00"),
            F(r.CellSocMaxPoints, "0.00"), F(r.CcRmsPoints, "0.00"), F(r.CcMaxPoints, "0.00"), F(r.R0ErrorPctAt10Min, "0.0"),
            F(r.R0ErrorPctEnd, "0.0"), F(r.CapacityErrorPct, "0.0"), r.CapacityUpdates,
            string.Format(ci, "{0:0.000}/{1:0.000}", r.OffsetLearntA, r.OffsetTrueA), F(r.SettleS, "0"),
            F(r.SocRmsAfterPoints, "0.00"), F(r.SocMaxAfterPoints, "0.00"), F(r.CcRmsAfterPoints, "0.00"), F(r.CcMaxAfterPoints, "0.00"));
    }

    private static string F(double v, string format) => double.IsNaN(v) ? "-" : v.ToString(format, CultureInfo.InvariantCulture);
}
