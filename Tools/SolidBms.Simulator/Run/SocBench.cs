using System;
using System.Diagnostics;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Simulator.Run;

/// <summary>Figures of one SOC benchmark run (errors in SOC points = percent of full scale).</summary>
public sealed class SocBenchResult
{
    public string Scenario { get; set; } = "";
    public double AmbientC { get; set; }
    public double SimulatedS { get; set; }
    public double WallS { get; set; }
    /// <summary>Time from the start until the pack SOC error is first within <see cref="SocBench.ConvergedPoints"/>, s (NaN: never).</summary>
    public double ConvergeS { get; set; } = double.NaN;
    /// <summary>Time after which the pack SOC error stays within <see cref="SocBench.ConvergedPoints"/> to the end, s.</summary>
    public double SettleS { get; set; } = double.NaN;
    /// <summary>Seconds of dynamic load (cycle segments) before convergence.</summary>
    public double ConvergeDynamicS { get; set; } = double.NaN;
    public double SocRmsPoints { get; set; } = double.NaN;
    public double SocMaxPoints { get; set; } = double.NaN;
    /// <summary>Worst single-cell SOC error after convergence, points.</summary>
    public double CellSocMaxPoints { get; set; } = double.NaN;
    public double CcRmsPoints { get; set; } = double.NaN;
    public double CcMaxPoints { get; set; } = double.NaN;
    /// <summary>Pack SOC error over the run after the first <see cref="SocBench.ScoreAfterS"/> seconds, points (the wrong-start targets).</summary>
    public double SocRmsAfterPoints { get; set; } = double.NaN;
    public double SocMaxAfterPoints { get; set; } = double.NaN;
    public double CcRmsAfterPoints { get; set; } = double.NaN;
    public double CcMaxAfterPoints { get; set; } = double.NaN;
    /// <summary>True when the simulated cells are the physics-based reference cell, not the cell file's equivalent circuit.</summary>
    public bool ReferenceCell { get; set; }
    /// <summary>Worst cell's |R0 estimate - true R0| / true R0 after 10 minutes of dynamic load, percent (NaN: not reached).</summary>
    public double R0ErrorPctAt10Min { get; set; } = double.NaN;
    public double R0ErrorPctEnd { get; set; } = double.NaN;
    /// <summary>Worst cell's |capacity estimate - true capacity| / true, percent, at the end.</summary>
    public double CapacityErrorPct { get; set; } = double.NaN;
    /// <summary>Fewest capacity updates any cell had.</summary>
    public int CapacityUpdates { get; set; }
    public double OffsetLearntA { get; set; }
    public double OffsetTrueA { get; set; }
}

/// <summary>
/// Runs a scenario tick by tick and scores the estimator against the simulator's true state: pack SOC
/// (the firmware's estimate and its plain coulomb count, both against the true cells combined the same way),
/// R0 per cell against <c>EcmCell.R0MilliOhm</c>, capacity per cell against <c>EcmCell.CapacityAh</c>.
/// </summary>
public static class SocBench
{
    public const double ConvergedPoints = 2.0;
    public const double R0SnapshotDynamicS = 600;
    /// <summary>Start of the fixed scoring window, s from the start (the "after 600 s").</summary>
    public const double ScoreAfterS = 600;

    public static SocBenchResult Run(Scenario s, BoardFiles files)
    {
        var r = new ScenarioRunner(s, files);
        var est = r.Controller.Estimator;
        var pack = r.Pack;
        int n = pack.Cells.Length;
        var res = new SocBenchResult
        {
            Scenario = s.Name, AmbientC = s.AmbientC, OffsetTrueA = s.SensorNoise.CurrentOffsetA, ReferenceCell = s.Cell.Model == CellModels.Reference,
        };
        double dt = s.TickMs / 1000.0, dynamicS = 0, sumSq = 0, ccSumSq = 0, max = 0, ccMax = 0, cellMax = 0;
        double afterSumSq = 0, ccAfterSumSq = 0, afterMax = 0, ccAfterMax = 0;
        long count = 0, afterCount = 0;
        bool converged = false;
        var wall = Stopwatch.StartNew();
        long total = r.TotalTicks;
        for (long k = 0; k < total; k++)
        {
            double t = r.TimeS;
            if (IsDynamic(s, t)) dynamicS += dt;
            r.Step();
            if (!est.Initialised) continue;
            double truth = pack.TrueSoc();
            double e = Math.Abs(est.PackSoc - truth) * 100;
            if (e > ConvergedPoints || double.IsNaN(e)) res.SettleS = double.NaN;
            else if (double.IsNaN(res.SettleS)) res.SettleS = r.TimeS;
            if (!converged && e <= ConvergedPoints)
            {
                converged = true;
                res.ConvergeS = r.TimeS;
                res.ConvergeDynamicS = dynamicS;
            }
            if (r.TimeS > ScoreAfterS)
            {
                double cc = Math.Abs(est.CoulombCountSoc - truth) * 100;
                afterSumSq += e * e; ccAfterSumSq += cc * cc; afterCount++;
                afterMax = Math.Max(afterMax, e); ccAfterMax = Math.Max(ccAfterMax, cc);
            }
            if (converged)
            {
                double cc = Math.Abs(est.CoulombCountSoc - truth) * 100;
                sumSq += e * e; ccSumSq += cc * cc; count++;
                max = Math.Max(max, e); ccMax = Math.Max(ccMax, cc);
                for (int i = 0; i < n; i++)
                    cellMax = Math.Max(cellMax, Math.Abs(est.CellSoc(i) - Math.Clamp(pack.Cells[i].Soc, 0, 1)) * 100);
            }
            if (double.IsNaN(res.R0ErrorPctAt10Min) && dynamicS >= R0SnapshotDynamicS) res.R0ErrorPctAt10Min = R0ErrorPct(r);
        }
        wall.Stop();
        res.WallS = wall.Elapsed.TotalSeconds;
        res.SimulatedS = r.TimeS;
        if (count > 0)
        {
            res.SocRmsPoints = Math.Sqrt(sumSq / count);
            res.SocMaxPoints = max;
            res.CcRmsPoints = Math.Sqrt(ccSumSq / count);
            res.CcMaxPoints = ccMax;
            res.CellSocMaxPoints = cellMax;
        }
        if (afterCount > 0)
        {
            res.SocRmsAfterPoints = Math.Sqrt(afterSumSq / afterCount);
            res.SocMaxAfterPoints = afterMax;
            res.CcRmsAfterPoints = Math.Sqrt(ccAfterSumSq / afterCount);
            res.CcMaxAfterPoints = ccAfterMax;
        }
        res.R0ErrorPctEnd = R0ErrorPct(r);
        double capErr = 0;
        int updates = int.MaxValue;
        for (int i = 0; i < n; i++)
        {
            capErr = Math.Max(capErr, Math.Abs(est.CellCapacityAh(i) - pack.Cells[i].CapacityAh) / pack.Cells[i].CapacityAh * 100);
            updates = Math.Min(updates, est.Capacity(i).Updates);
        }
        res.CapacityErrorPct = capErr;
        res.CapacityUpdates = updates;
        res.OffsetLearntA = est.CurrentOffsetA;
        return res;
    }

    private static double R0ErrorPct(ScenarioRunner r)
    {
        double worst = 0;
        for (int i = 0; i < r.Pack.Cells.Length; i++)
        {
            double estimate = r.Controller.Estimator.CellR0MilliOhm(i);
            if (double.IsNaN(estimate)) return double.NaN;
            double truth = r.Pack.Cells[i].R0MilliOhm;
            worst = Math.Max(worst, Math.Abs(estimate - truth) / truth * 100);
        }
        return worst;
    }

    private static bool IsDynamic(Scenario s, double t)
    {
        double start = 0;
        foreach (var seg in s.Segments)
        {
            if (t < start + seg.DurationS) return seg.Kind is SegmentKind.Cycle or SegmentKind.Csv;
            start += seg.DurationS;
        }
        return false;
    }
}
