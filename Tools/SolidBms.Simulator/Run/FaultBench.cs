using System.Collections.Generic;
using System.IO;
using SolidBms.Core.Loop;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Simulator.Run;

/// <summary>One fault scenario's outcome against its "expect" block.</summary>
public sealed class FaultRunResult
{
    public string Scenario { get; init; } = "";
    public Expectation Expect { get; init; }
    public FaultTimingProbe Probe { get; init; }
    public RunSummary Summary { get; init; }
    /// <summary>State just before the authorised clear (null when the scenario asks for none).</summary>
    public string StateBeforeClear { get; set; }
    public bool? ClearAccepted { get; set; }
    /// <summary>Whether the fault was still reported on the last tick before the clear.</summary>
    public bool? StillLatchedBeforeClear { get; set; }
    /// <summary>Outputs were found safe on a tick while an abuse test was armed (after the fault was reported).</summary>
    public bool SafeWhileInhibited { get; set; }
    public List<string> Problems { get; } = new();
    public bool Passed => Problems.Count == 0;
}

/// <summary>
/// Runs the fault scenarios of board/scenarios (fault-*.json) with a <see cref="FaultTimingProbe"/> and
/// checks each against its stated expectation: detected within qualification plus one tick, outputs safe
/// within one tick of the trip, trip latched until an authorised clear, and the state after it.
/// </summary>
public static class FaultBench
{
    public static IEnumerable<string> ScenarioFiles(BoardFiles files)
    {
        var list = new List<string>(Directory.GetFiles(Path.Combine(files.Root, "scenarios"), "fault-*.json"));
        list.Sort(System.StringComparer.Ordinal);
        return list;
    }

    public static FaultRunResult Run(string scenarioPath, BoardFiles files)
    {
        var scenario = ScenarioLoader.LoadFile(scenarioPath, files);
        var expect = scenario.Expect ?? throw new ScenarioException("expect", "a fault scenario must state what it expects");
        var r = new ScenarioRunner(scenario, files);
        var probe = new FaultTimingProbe(r, expect.Fault);
        var result = new FaultRunResult { Scenario = scenario.Name, Expect = expect, Probe = probe, Summary = null };
        var names = new string[64];
        bool cleared = false, safeWhileInhibited = false;
        r.AfterStep = run =>
        {
            probe.Observe(run);
            if (probe.DetectedS != null && run.Controller.Abuse.Armed && !run.Rig.MainPhysicallyClosed) safeWhileInhibited = true;
            if (!cleared && expect.ClearAfterS is double at && run.TimeS >= at)
            {
                cleared = true;
                result.StateBeforeClear = BmsStateNames.Of(run.Controller.State);
                int n = run.Controller.CopyFaultNames(names);
                result.StillLatchedBeforeClear = System.Array.IndexOf(names, expect.Fault, 0, n) >= 0;
                result.ClearAccepted = run.Controller.TryClearTrips();
            }
        };
        var summary = r.Run(null, 1);
        var final = new FaultRunResult
        {
            Scenario = result.Scenario, Expect = expect, Probe = probe, Summary = summary,
            StateBeforeClear = result.StateBeforeClear, ClearAccepted = result.ClearAccepted, StillLatchedBeforeClear = result.StillLatchedBeforeClear,
            SafeWhileInhibited = safeWhileInhibited,
        };
        Check(final, r);
        return final;
    }

    private static void Check(FaultRunResult f, ScenarioRunner r)
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
        else if (trip && e.Fault != BmsController.ContactorWeldedFault && e.Fault != FaultTimingProbe.Watchdog && (p.TimeToSafeMs == null || p.TimeToSafeMs > p.TickMs))
            f.Problems.Add($"outputs safe {p.TimeToSafeMs?.ToString() ?? "never"} ms after the trip (one tick allowed)");
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
