using System;
using System.IO;
using SolidBms.Cli.Serial;

namespace SolidBms.Cli;

/// <summary>
/// `log --port DEV --csv OUT [--baud B] [--frames N] [--seconds S]`: records telemetry frames as CSV with
/// the simulator's columns (see <see cref="TelemetryCsv"/>). Frames with a bad checksum are skipped and counted.
/// Stops after N frames or S seconds (0: until interrupted); each row is flushed, so an interrupted log is whole.
/// </summary>
public static class LogCommand
{
    public static int Run(CliArgs a, TextWriter stdout, TextWriter stderr)
    {
        string port = a.Get("port") ?? throw new UsageException("log needs --port DEV");
        string csv = a.Get("csv") ?? throw new UsageException("log needs --csv OUT");
        int baud = a.Int("baud", 115200, 9600, 921600);
        int frames = a.Int("frames", 0, 0, int.MaxValue);
        int seconds = a.Int("seconds", 0, 0, int.MaxValue);
        a.RejectUnknown();
        OutputPath.CheckFile(csv, "--csv");
        OutputPath.CheckDistinct(port, "--port", csv, "--csv");
        using var link = new HostSerialLink(port, baud);
        using var output = new StreamWriter(csv) { NewLine = "\n" };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int rows = 0, bad = 0, cells = -1;
        long lastSeq = -1, gaps = 0;
        while ((frames == 0 || rows < frames) && (seconds == 0 || clock.Elapsed.TotalSeconds < seconds))
        {
            string line = link.ReadLine(5000);
            if (line == null) { stderr.WriteLine("log: no telemetry for 5 s"); break; }
            if (!line.StartsWith("$SBT")) continue;
            var s = TelemetrySample.TryParse(line);
            if (s == null) { bad++; continue; }
            if (cells < 0)
            {
                cells = s.CellMv.Length;
                output.WriteLine(TelemetryCsv.Header(cells));
            }
            if (s.CellMv.Length != cells) { bad++; continue; }
            if (lastSeq >= 0 && s.Seq != lastSeq + 1) gaps++;
            lastSeq = s.Seq;
            output.WriteLine(TelemetryCsv.Row(s));
            output.Flush();
            rows++;
        }
        stdout.WriteLine($"log: {rows} rows to {csv}, {bad} bad frames skipped, {gaps} gaps in the frame sequence");
        return rows > 0 ? 0 : 3;
    }
}
