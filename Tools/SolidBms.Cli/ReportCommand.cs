using System.IO;
using SolidBms.Cli.Collect;
using SolidBms.Cli.Report;

namespace SolidBms.Cli;

/// <summary>
/// `report RUN.csv --out DIR` or `report --db DB --rig NAME [--from T --to T] --out DIR`: PNG plots (overview: cell voltages, temperatures, pressure, current, SOC,
/// states; fault timeline) and a markdown summary (duration, extremes, faults with times, energy in and out)
/// from a `sim` or `log` CSV, or one rig's history in the fleet database (docs/fleet.md).
/// </summary>
public static class ReportCommand
{
    public static int Run(CliArgs a, TextWriter stdout, TextWriter stderr)
    {
        string outDir = a.Get("out") ?? throw new UsageException("report needs --out DIR");
        var csv = FleetRun.ReadRun(a, "report", "report run.csv --out DIR (or --db DB --rig NAME)", stderr);
        if (csv == null) return 2;
        string csvPath = csv.Path;
        OutputPath.CheckDirectory(outDir, "--out");
        string overview = Path.Combine(outDir, "overview.png");
        string timeline = Path.Combine(outDir, "faults.png");
        RunPlots.RenderOverview(csv, overview, 1400, 1600);
        int faults = RunPlots.RenderFaultTimeline(csv, timeline, 1400);
        var report = RunReport.From(csv);
        string md = Path.Combine(outDir, "report.md");
        File.WriteAllText(md, report.ToMarkdown(csvPath, new[] { overview, timeline }));
        stdout.WriteLine($"report: {md}, {overview}, {timeline} ({csv.Rows.Count} rows, {faults} fault(s))");
        return 0;
    }
}
