using System.Globalization;
using System.IO;
using SolidBms.Simulator;
using SolidBms.Simulator.Run;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Cli;

/// <summary>
/// `bench balance [--scenario FILE|NAME]`: one balancing scenario (default balance-16s-24h: 16 cells about 5 SOC
/// points apart, two 0.3C charge-and-rest cycles) with SOC-based and with voltage-based decisions, side by side.
/// Figures, not a pass/fail: the targets are in docs/balancing.md.
/// </summary>
public static class BenchBalanceCommand
{
    public static int Run(CliArgs a, TextWriter stdout, TextWriter stderr)
    {
        if (a.Positional.Count != 0) throw new UsageException($"bench balance: unexpected argument '{a.Positional[0]}'");
        string name = a.Get("scenario") ?? BalanceBench.DefaultScenario;
        a.RejectUnknown();
        var files = BoardFiles.Locate();
        string path = File.Exists(name) ? name : files.ScenarioPath(name);
        BalanceBenchResult soc, voltage;
        try { (soc, voltage) = BalanceBench.RunBoth(path, files); }
        catch (ScenarioException e)
        {
            stderr.WriteLine($"error: scenario {path}: {e.Message}");
            return 2;
        }
        stdout.WriteLine(Header);
        stdout.WriteLine(Row(soc));
        stdout.WriteLine(Row(voltage));
        foreach (var r in new[] { soc, voltage })
        {
            var parts = new System.Collections.Generic.List<string>();
            for (int m = 0; m < r.ModeHours.Length; m++)
                if (r.ModeHours[m] > 0) parts.Add(string.Format(CultureInfo.InvariantCulture, "{0} {1:0.0} h", (Core.Balancing.BalancingMode)m, r.ModeHours[m]));
            stdout.WriteLine($"{r.Decisions} decisions: " + string.Join(", ", parts));
        }
        stdout.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "to-1pt = first time the true cell SOC spread is within {0:0} point; usable = min charge held + min room left over the cells (Ah);",
            BalanceBench.TargetPoints));
        stdout.WriteLine("dsg-bleed = ticks with a cell bleeding while the pack discharged; wall = host seconds per run (both run in parallel).");
        return 0;
    }

    public const string Header =
        "scenario         decisions  spread0  spread-end  to-1pt(h)  usable0(Ah)  usable-end(Ah)  gained(Ah)  bled(Ah)  vmax(mV)  tmax(C)  dsg-bleed  faults  wall(s)";

    public static string Row(BalanceBenchResult r)
    {
        var ci = CultureInfo.InvariantCulture;
        return string.Format(ci, "{0,-16} {1,-9} {2,8:0.00} {3,11:0.00} {4,10} {5,12:0.000} {6,15:0.000} {7,11:0.000} {8,9:0.000} {9,9:0} {10,8:0.0} {11,10} {12,7} {13,8:0.0}",
            r.Scenario, r.Decisions, r.InitialSpreadPoints, r.FinalSpreadPoints,
            double.IsNaN(r.HoursToTarget) ? "never" : r.HoursToTarget.ToString("0.00", ci),
            r.UsableAhStart, r.UsableAhEnd, r.UsableGainedAh, r.BledAh, r.MaxCellMillivolts, r.MaxTemperatureC, r.BleedTicksInDischarge, r.FaultsSeen, r.WallS);
    }
}
