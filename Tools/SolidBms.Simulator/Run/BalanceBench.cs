using System;
using System.Diagnostics;
using System.Threading.Tasks;
using SolidBms.Simulator.Physics;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Simulator.Run;

/// <summary>Figures of one balancing run, from the simulator's true cells (SOC spreads in points).</summary>
public sealed class BalanceBenchResult
{
    public string Scenario { get; set; } = "";
    /// <summary>"soc" (the estimator's SOC and capacity, voltage until it converges) or "voltage" (voltage at rest only).</summary>
    public string Decisions { get; set; } = "";
    public double InitialSpreadPoints { get; set; }
    public double FinalSpreadPoints { get; set; }
    /// <summary>First time the true SOC spread was within <see cref="BalanceBench.TargetPoints"/>, h (NaN: never).</summary>
    public double HoursToTarget { get; set; } = double.NaN;
    /// <summary>Usable capacity of the series string (charge to the fullest cell, discharge to the emptiest), Ah, at start and end.</summary>
    public double UsableAhStart { get; set; }
    public double UsableAhEnd { get; set; }
    public double UsableGainedAh => UsableAhEnd - UsableAhStart;
    public double BledAh { get; set; }
    public double MaxCellMillivolts { get; set; }
    /// <summary>Ticks with a cell bleeding while the pack discharged (above the profile's idle current).</summary>
    public long BleedTicksInDischarge { get; set; }
    public double MaxTemperatureC { get; set; }
    public string FinalState { get; set; } = "";
    public int FaultsSeen { get; set; }
    public double WallS { get; set; }
    /// <summary>Simulated hours the balancing stage spent in each <see cref="Core.Balancing.BalancingMode"/> (index = mode).</summary>
    public double[] ModeHours { get; } = new double[10];
}

/// <summary>
/// `bench balance`: runs a balancing scenario twice, with SOC-based and with voltage-based decisions (the profile's
/// balancing.socBased), and scores both on the simulator's true cells: time until the SOC spread is within one point,
/// usable capacity gained, charge bled, highest cell voltage and any bleeding during discharge.
/// </summary>
public static class BalanceBench
{
    public const double TargetPoints = 1.0;
    public const string DefaultScenario = "balance-16s-24h";

    /// <summary>Both runs, side by side (in parallel: they share nothing).</summary>
    public static (BalanceBenchResult Soc, BalanceBenchResult Voltage) RunBoth(string scenarioPath, BoardFiles files)
    {
        var soc = Task.Run(() => Run(ScenarioLoader.LoadFile(scenarioPath, files), files, true));
        var voltage = Task.Run(() => Run(ScenarioLoader.LoadFile(scenarioPath, files), files, false));
        return (soc.Result, voltage.Result);
    }

    public static BalanceBenchResult Run(Scenario s, BoardFiles files, bool socBased)
    {
        s.ProfileOverrides["balancing.socBased"] = socBased ? "true" : "false";
        var r = new ScenarioRunner(s, files);
        var pack = r.Pack;
        var res = new BalanceBenchResult
        {
            Scenario = s.Name,
            Decisions = socBased ? "soc" : "voltage",
            InitialSpreadPoints = SpreadPoints(pack),
            UsableAhStart = UsableAh(pack),
        };
        float idle = r.Setup.Profile.IdleCurrentA;
        var faults = new string[64];
        var seen = new System.Collections.Generic.HashSet<string>();
        var wall = Stopwatch.StartNew();
        long total = r.TotalTicks;
        for (long k = 0; k < total; k++)
        {
            r.Step();
            double spread = SpreadPoints(pack);
            if (double.IsNaN(res.HoursToTarget) && spread <= TargetPoints) res.HoursToTarget = r.TimeS / 3600.0;
            if (r.CurrentA > idle && pack.BleedingCount > 0) res.BleedTicksInDischarge++;
            foreach (var c in pack.Cells)
            {
                res.MaxCellMillivolts = Math.Max(res.MaxCellMillivolts, c.TerminalMillivolts);
                res.MaxTemperatureC = Math.Max(res.MaxTemperatureC, c.TemperatureC);
            }
            var bal = r.Controller.Balancer;
            if (bal != null) res.ModeHours[(int)bal.Mode] += s.TickMs / 3600000.0;
            int n = r.Controller.CopyFaultNames(faults);
            for (int i = 0; i < n; i++) seen.Add(faults[i]);
        }
        res.WallS = wall.Elapsed.TotalSeconds;
        res.FinalSpreadPoints = SpreadPoints(pack);
        res.UsableAhEnd = UsableAh(pack);
        for (int i = 0; i < pack.Cells.Length; i++) res.BledAh += pack.BledAh(i);
        res.FinalState = Core.Loop.BmsStateNames.Of(r.Controller.State);
        res.FaultsSeen = seen.Count;
        return res;
    }

    /// <summary>Largest minus smallest true cell SOC, points.</summary>
    public static double SpreadPoints(PackModel pack)
    {
        double min = double.MaxValue, max = double.MinValue;
        foreach (var c in pack.Cells) { min = Math.Min(min, c.Soc); max = Math.Max(max, c.Soc); }
        return (max - min) * 100.0;
    }

    /// <summary>
    /// What a series string delivers between "fullest cell full" and "emptiest cell empty": the same charge passes
    /// every cell, so it is the smallest charge any cell holds plus the smallest room any cell has left, Ah.
    /// </summary>
    public static double UsableAh(PackModel pack)
    {
        double held = double.MaxValue, room = double.MaxValue;
        foreach (var c in pack.Cells)
        {
            double q = Math.Clamp(c.Soc, 0, 1) * c.CapacityAh;
            held = Math.Min(held, q);
            room = Math.Min(room, c.CapacityAh - q);
        }
        return held + room;
    }
}
