using System.IO;
using SolidBms.Cli.Serial;

namespace SolidBms.Cli;

/// <summary>
/// `send --port DEV 'COMMAND' [--baud B] [--timeout-ms T]`: sends one command line, prints its response.
/// Input already waiting (telemetry, a late answer to an earlier command) is drained first, and only a response
/// naming the command's own verb counts ($SBR,v,OK|ERR,VERB,...; "?" for a line the board could not parse).
/// LOG is read to its end line; a download it starts (EVENTS, CAPTURE DUMP) is read to its end line too, so
/// no download is left running for the next send. Exit 0 for OK, 1 for an error response, 3 for no response.
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
        string command = a.Positional[0];
        if (command.Length == 0 || command.IndexOfAny(new[] { '\r', '\n' }) >= 0) throw new UsageException("send needs one command on one line");
        string verb = Verb(command);
        using var link = new HostSerialLink(port, baud);
        link.Drain();
        link.WriteLine(command);
        var quiet = System.Diagnostics.Stopwatch.StartNew(); // time since the last line of ours
        bool download = false;
        while (quiet.ElapsedMilliseconds < timeoutMs)
        {
            string line = link.ReadLine(timeoutMs - (int)quiet.ElapsedMilliseconds);
            if (line == null) break;
            if (!line.StartsWith("$SBR,")) continue;
            int star = line.LastIndexOf('*');
            var f = (star > 0 ? line[..star] : line).Split(','); // "$SBR,1,OK,LOCK*49D8": the verb is the last field
            if (f.Length < 4) continue;
            bool ours = f[3] == verb || (!download && f[3] == "?") || (download && (f[3] == "EV" || f[3] == "CAP"));
            if (!ours) continue; // an answer to someone else's command
            quiet.Restart();
            stdout.WriteLine(line);
            if (!TelemetrySample.ChecksumOk(line)) { stderr.WriteLine("error: response checksum does not match"); return 1; }
            if (f[2] == "ERR") return 1;
            if (f[3] == "LOG" && !line.Contains(",end,")) continue; // LOG answers in several lines
            if ((verb == "EVENTS" || verb == "CAPTURE") && f.Length > 4 && f[4] == "start") { download = true; continue; }
            if (download && f[3] == verb && f.Length > 4 && f[4] == "end") return 0;
            if (download) continue;
            return 0;
        }
        stderr.WriteLine(download ? $"error: download stopped: no line within {timeoutMs} ms" : $"error: no response within {timeoutMs} ms");
        return 3;
    }

    /// <summary>The command's verb as the board echoes it (upper case; before any "*CRC").</summary>
    private static string Verb(string command)
    {
        string c = command.Trim();
        int star = c.IndexOf('*');
        if (star >= 0) c = c[..star];
        int space = c.IndexOf(' ');
        return (space < 0 ? c : c[..space]).ToUpperInvariant();
    }
}
