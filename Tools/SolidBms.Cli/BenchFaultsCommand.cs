using System.Globalization;
using System.IO;
using SolidBms.Simulator;
using SolidBms.Simulator.Run;

namespace SolidBms.Cli;

/// <summary>
/// `bench faults [--markdown]`: runs every board/scenarios/fault-*.json and prints, per fault class, its
/// qualification time, the measured detection time (onset of the condition to the report), the time
/// from the report to the outputs being safe, the time from the report to the current really stopping (with a welded
/// contactor: by the second means) and the highest cell voltage of the run. Exit 1 if any scenario missed its expectation.
/// </summary>
public static class BenchFaultsCommand
{
    public static int Run(CliArgs a, TextWriter o, TextWriter err)
    {
        bool markdown = a.Flag("markdown");
        a.RejectUnknown();
        var files = BoardFiles.Locate();
        var ci = CultureInfo.InvariantCulture;
        o.WriteLine(markdown
            ? "| fault | scenario | qualification ms | detection ms | to safe ms | to stop ms | peak cell mV | result |\n|---|---|---:|---:|---:|---:|---:|---|"
            : $"{"fault",-28} {"scenario",-38} {"qualify ms",10} {"detect ms",10} {"to safe ms",10} {"to stop ms",10} {"peak mV",8}  result");
        int failed = 0;
        foreach (var path in FaultBench.ScenarioFiles(files))
        {
            var r = FaultBench.Run(path, files);
            if (r.Probe == null) continue; // lab scenarios without a fault: checked by the tests, no timing to show
            string detect = r.Probe.DetectionLatencyMs?.ToString("0", ci) ?? "-";
            string safe = r.Probe.TimeToSafeMs?.ToString("0", ci) ?? "-";
            string stop = r.Probe.TimeToStopMs?.ToString("0", ci) ?? "-";
            string peak = r.Summary.MaxCellMillivolts.ToString("0", ci);
            string result = r.Passed ? "ok" : "FAIL: " + string.Join("; ", r.Problems);
            if (!r.Passed) failed++;
            o.WriteLine(markdown
                ? $"| {r.Expect.Fault} | {r.Scenario} | {r.Probe.QualifyMs} | {detect} | {safe} | {stop} | {peak} | {result} |"
                : $"{r.Expect.Fault,-28} {r.Scenario,-38} {r.Probe.QualifyMs,10} {detect,10} {safe,10} {stop,10} {peak,8}  {result}");
        }
        err.WriteLine(failed == 0 ? "bench faults: every scenario met its expectation" : $"bench faults: {failed} scenario(s) missed their expectation");
        return failed == 0 ? 0 : 1;
    }
}
