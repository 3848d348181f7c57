using System.IO;
using SolidBms.Cli.Serial;

namespace SolidBms.Cli;

/// <summary>
/// `send --port DEV 'COMMAND' [--baud B] [--timeout-ms T]`: sends one command line, prints the response
/// lines ($SBR; telemetry in between is skipped). Exit 0 for OK, 1 for an error response, 3 for no response.
/// </summary>
public static class SendCommand
{
    public static int Run(CliArgs a, TextWriter stdout, TextWriter stderr)
    {
        string port = a.Get("port") ?? throw new UsageException("send needs --port DEV");
        int baud = a.Int("baud", 115200, 9600, 921600);
        int timeoutMs = a.Int("timeout-ms", 3000, 100, 60000);
        a.RejectUnknown();
        if (a.Positional.Count != 1) throw new UsageException("send needs one command, quoted: send --port DEV 'GET cellOverVoltage.trip'");
        using var link = new HostSerialLink(port, baud);
        link.WriteLine(a.Positional[0]);
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (deadline.ElapsedMilliseconds < timeoutMs)
        {
            string line = link.ReadLine(timeoutMs - (int)deadline.ElapsedMilliseconds);
            if (line == null) break;
            if (!line.StartsWith("$SBR,")) continue;
            stdout.WriteLine(line);
            if (!TelemetrySample.ChecksumOk(line)) { stderr.WriteLine("error: response checksum does not match"); return 1; }
            var f = line.Split(',');
            if (f.Length > 3 && f[2] == "ERR") return 1;
            if (f.Length > 3 && f[3] == "LOG" && !line.Contains(",end,")) continue; // LOG answers in several lines
            return 0;
        }
        stderr.WriteLine($"error: no response within {timeoutMs} ms");
        return 3;
    }
}
