using System.IO;
using SolidBms.Cli.Collect;
using SolidBms.Cli.Report;

namespace SolidBms.Cli;

/// <summary>
/// `plot CSV --png OUT [--width W] [--height H]`: one PNG with six stacked panels over a shared time axis:
/// cell voltages, cell temperatures, stack pressure, current with its limits, SOC, and the BMS state. Reads
/// the CSV of `sim` or `log` (same columns), or with --db DB --rig NAME [--from T --to T] a rig's history in the fleet database.
/// </summary>
public static class PlotCommand
{
    public static int Run(CliArgs a, TextWriter stdout, TextWriter stderr)
    {
        string png = a.Get("png") ?? throw new UsageException("plot needs --png OUT");
        int width = a.Int("width", 1400, 400, 8000);
        int height = a.Int("height", 1600, 400, 8000);
        OutputPath.CheckFile(png, "--png");
        var table = FleetRun.ReadRun(a, "plot", "plot run.csv --png run.png (or --db DB --rig NAME)", stderr);
        if (table == null) return 2;
        int plotted = RunPlots.RenderOverview(table, png, width, height);
        stdout.WriteLine($"plot: {table.Rows.Count} rows ({plotted} plotted), {table.Cells} cells -> {png}");
        return 0;
    }
}
