using System.IO;
using SolidBms.Cli.Report;

namespace SolidBms.Cli;

/// <summary>
/// `report RUN.csv --out DIR`: PNG plots (overview: cell voltages, temperatures, pressure, current, SOC,
/// states; fault timeline) and a markdown summary (duration, extremes, faults with times, energy in and out)
/// from a `sim` or `log` CSV.
/// </summary>
public static class ReportCommand
{
    public static int Run(CliArgs a, TextWriter stdout, TextWriter stderr)
    {
        if (a.Positional.Count != 1) throw new UsageException("report needs one CSV file: report run.csv --out DIR");
        string outDir = a.Get("out") ?? throw new UsageException("report needs --out DIR");
        a.RejectUnknown();
        string csvPath = a.Positional[0];
        if (!File.Exists(csvPath)) throw new UsageException($"no such file: {csvPath}");
        var csv = RunCsv.Read(csvPath);
        if (csv.Rows.Count == 0) { stderr.WriteLine($"error: {csvPath} has no rows"); return 2; }
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
