using System.Collections.Generic;
using System.IO;
using SolidBms.Core.Loop;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Simulator.Run;

/// <summary>One scenario's outcome against its "expect" block.</summary>
public sealed class FaultRunResult
{
    public string Scenario { get; init; } = "";
    public Expectation Expect { get; init; }
    /// <summary>Timing of the expected fault; null for scenarios that expect no fault.</summary>
    public FaultTimingProbe Probe { get; init; }
    public RunSummary Summary { get; set; }
    /// <summary>Whether the fault was still reported on the last tick before the authorised clear (null: no clear asked).</summary>
    public bool? StillLatchedBeforeClear { get; set; }
    /// <summary>Outputs were found safe on a tick while an abuse test was armed (after the fault was reported).</summary>
    public bool SafeWhileInhibited { get; set; }
    /// <summary>The scenario welded the main contacts: its outputs can never all be open, the second means has to stop the current.</summary>
    public bool MainWelded { get; set; }
    /// <summary>The current that really flowed on the last tick, A.</summary>
    public double FinalCurrentA { get; set; }
    public List<string> Problems { get; } = new();
    public bool Passed => Problems.Count == 0;
}

/// <summary>
/// Runs the scenarios of board/scenarios that state an outcome (fault-*.json and lab-*.json) and checks each
/// against it. For a fault: detected within qualification plus one tick (timed by a <see cref="FaultTimingProbe"/>),
/// outputs safe within one tick of the trip, latched until an authorised clear, the state after it. For a
/// lab scenario: no alarm or trip, and the SOC estimate within its stated error.
/// </summary>
public static class FaultBench
{
    public static IEnumerable<string> ScenarioFiles(BoardFiles files)
    {
        string dir = Path.Combine(files.Root, "scenarios");
        var list = new List<string>(Directory.GetFiles(dir, "fault-*.json"));
        list.AddRange(Directory.GetFiles(dir, "lab-*.json"));
        list.Sort(System.StringComparer.Ordinal);
        return list;
    }

    public static FaultRunResult Run(string scenarioPath, BoardFiles files)
    {
        var scenario = ScenarioLoader.LoadFile(scenarioPath, files);
        var expect = scenario.Expect ?? throw new ScenarioException("expect", "this scenario must state what it expects");
        var r = new ScenarioRunner(scenario, files);
        var probe = expect.Fault == null ? null : new FaultTimingProbe(r, expect.Fault);
        var result = new FaultRunResult { Scenario = scenario.Name, Expect = expect, Probe = probe };
        var names = new string[64];
        bool cleared = false;
        r.AfterStep = run =>
        {
            if (probe == null) return;
            probe.Observe(run);
            if (probe.DetectedS != null && run.Controller.Abuse.Armed && !run.Rig.MainPhysicallyClosed) result.SafeWhileInhibited = true;
            if (!cleared && expect.ClearAfterS is double at && run.TimeS >= at)
            {
                cleared = true;
                int n = run.Controller.CopyFaultNames(names);
                result.StillLatchedBeforeClear = System.Array.IndexOf(names, expect.Fault, 0, n) >= 0;
                run.Controller.TryClearTrips();
            }
        };
        result.Summary = r.Run(null, 1);
        result.MainWelded = r.Rig.MainWelded;
        result.FinalCurrentA = r.CurrentA;
        if (probe == null) CheckQuiet(result);
        else CheckFault(result);
        return result;
    }

    private static void CheckQuiet(FaultRunResult f)
    {
        var e = f.Expect;
        foreach (var name in f.Summary.FaultsSeen.Keys)
            if (e.NoFaults && !name.EndsWith(":warning")) f.Problems.Add($"{name} at {f.Summary.FaultsSeen[name]:0.0} s, expected no alarm or trip");
        if (e.MaxSocErrorPoints is double max && f.Summary.MaxAbsSocError * 100 > max)
            f.Problems.Add($"SOC estimate off by up to {f.Summary.MaxAbsSocError * 100:0.00} points, expected at most {max}");
        if (e.FinalState != null && f.Summary.FinalState != e.FinalState)
            f.Problems.Add($"final state {f.Summary.FinalState}, expected {e.FinalState}");
    }

    private static void CheckFault(FaultRunResult f)
    {
        var e = f.Expect;
        var p = f.Probe;
        if (p.DetectedS == null) { f.Problems.Add($"{e.Fault} never reported"); return; }
        if (p.OnsetS == null) f.Problems.Add("no onset of the condition was seen before the report");
        else if (p.DetectionLatencyMs < p.QualifyMs - 1 || p.DetectionLatencyMs > p.QualifyMs + p.TickMs)
            f.Problems.Add($"detected {p.DetectionLatencyMs} ms after onset; qualification is {p.QualifyMs} ms (+ one {p.TickMs} ms tick)");
        bool trip = e.Fault.EndsWith(":trip") || e.Fault == FaultTimingProbe.Watchdog;
        if (e.ActuationInhibited)
        {
            if (f.SafeWhileInhibited) f.Problems.Add("outputs went safe while the fault's actuation was inhibited");
        }
        else if (trip && !f.MainWelded && e.Fault != FaultTimingProbe.Watchdog && (p.TimeToSafeMs == null || p.TimeToSafeMs > p.TickMs))
            f.Problems.Add($"outputs safe {p.TimeToSafeMs?.ToString() ?? "never"} ms after the trip (one tick allowed)");
        if (e.CurrentStopsWithinMs is double stopMs)
        {
            if (p.TimeToStopMs == null || p.TimeToStopMs > stopMs)
                f.Problems.Add($"current stopped {p.TimeToStopMs?.ToString() ?? "never"} ms after the report, expected within {stopMs} ms");
            else if (f.FinalCurrentA != 0) f.Problems.Add($"current flows again at the end ({f.FinalCurrentA:0.000} A)");
        }
        if (e.MaxCellMillivolts is double maxMv && f.Summary.MaxCellMillivolts > maxMv)
            f.Problems.Add($"a cell reached {f.Summary.MaxCellMillivolts:0} mV, expected at most {maxMv} mV");
        if (e.ClearAfterS != null)
        {
            if (e.Latches && f.StillLatchedBeforeClear != true) f.Problems.Add("the trip had released before the authorised clear");
            if (e.StateAfterClear != null && f.Summary.FinalState != e.StateAfterClear)
                f.Problems.Add($"state after the clear is {f.Summary.FinalState}, expected {e.StateAfterClear}");
        }
        else if (e.FinalState != null && f.Summary.FinalState != e.FinalState)
            f.Problems.Add($"final state {f.Summary.FinalState}, expected {e.FinalState}");
    }
}
