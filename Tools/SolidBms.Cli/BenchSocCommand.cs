using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using SolidBms.Simulator;
using SolidBms.Simulator.Run;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Cli;

/// <summary>
/// `bench soc [--scenario FILE|NAME]...`: runs the SOC benchmark scenarios (board/scenarios/soc-*.json by
/// default) and prints one row of figures per scenario. Figures, not a pass/fail: the targets are in
/// docs/estimation.md.
/// </summary>
public static class BenchSocCommand
{
    public static int Run(CliArgs a, TextWriter stdout, TextWriter stderr)
    {
        if (a.Positional.Count != 0) throw new UsageException($"bench soc: unexpected argument '{a.Positional[0]}'");
        string only = a.Get("scenario");
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
        stdout.WriteLine(Header);
        double wall = 0;
        foreach (var s in scenarios)
        {
            var r = SocBench.Run(s, files);
            wall += r.WallS;
            stdout.WriteLine(Row(r));
        }
        stdout.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "{0} scenarios, wall {1:0.0} s. SOC errors in points after convergence (conv = first time within {2:0} points; settle = within them from then to the end);",
            scenarios.Count, wall, SocBench.ConvergedPoints));
        stdout.WriteLine("cc = plain coulomb counting (raw current, nominal capacity, same start) in the same run over the same window; cell-max = worst single cell.");
        stdout.WriteLine("r0 = worst cell |R0 est - true| / true after 10 min of dynamic load and at the end; cap = worst cell capacity error at the end (updates = fewest per cell).");
        return 0;
    }

    public const string Header =
        "scenario                   T(C)  conv(s) conv-dyn(s) settle(s)  soc-rms  soc-max cell-max   cc-rms   cc-max  r0@10m%  r0-end%   cap%  cap-upd  offset(A)";

    public static string Row(SocBenchResult r)
    {
        var ci = CultureInfo.InvariantCulture;
        return string.Format(ci, "{0,-26} {1,4:0} {2,8} {3,11} {14,9} {4,8} {5,8} {6,8} {7,8} {8,8} {9,8} {10,8} {11,6} {12,8} {13,10}",
            r.Scenario, r.AmbientC, F(r.ConvergeS, "0"), F(r.ConvergeDynamicS, "0"), F(r.SocRmsPoints, "0.00"), F(r.SocMaxPoints, "0.00"),
            F(r.CellSocMaxPoints, "0.00"), F(r.CcRmsPoints, "0.00"), F(r.CcMaxPoints, "0.00"), F(r.R0ErrorPctAt10Min, "0.0"),
            F(r.R0ErrorPctEnd, "0.0"), F(r.CapacityErrorPct, "0.0"), r.CapacityUpdates,
            string.Format(ci, "{0:0.000}/{1:0.000}", r.OffsetLearntA, r.OffsetTrueA), F(r.SettleS, "0"));
    }

    private static string F(double v, string format) => double.IsNaN(v) ? "-" : v.ToString(format, CultureInfo.InvariantCulture);
}
