using System.IO;
using SolidBms.Cli.Report;

namespace SolidBms.Cli;

/// <summary>
/// `plot CSV --png OUT [--width W] [--height H]`: one PNG with six stacked panels over a shared time axis:
/// cell voltages, cell temperatures, stack pressure, current with its limits, SOC, and the BMS state. Reads
/// the CSV of `sim` or `log` (same columns).
/// </summary>
public static class PlotCommand
{
    public static int Run(CliArgs a, TextWriter stdout, TextWriter stderr)
    {
        if (a.Positional.Count != 1) throw new UsageException("plot needs one CSV file: plot run.csv --png run.png");
        string png = a.Get("png") ?? throw new UsageException("plot needs --png OUT");
        int width = a.Int("width", 1400, 400, 8000);
        int height = a.Int("height", 1600, 400, 8000);
        a.RejectUnknown();
        OutputPath.CheckFile(png, "--png");
        string csvPath = a.Positional[0];
        if (!File.Exists(csvPath)) throw new UsageException($"no such file: {csvPath}");
        var table = RunCsv.Read(csvPath);
        if (table.Rows.Count == 0) { stderr.WriteLine($"error: {csvPath} has no rows"); return 2; }
        int plotted = RunPlots.RenderOverview(table, png, width, height);
        stdout.WriteLine($"plot: {table.Rows.Count} rows ({plotted} plotted), {table.Cells} cells -> {png}");
        return 0;
    }
}
