using System;
using System.Globalization;
using System.IO;
using System.Linq;
using SolidBms.Cli.Serial;
using SolidBms.Core.Protocol;

namespace SolidBms.Cli;

/// <summary>
/// `monitor --port DEV [--baud B] [--frames N]`: a live table of the telemetry: cells (voltage, temperature),
/// stack pressure, current, SOC, limits, state, status and faults. Redraws in place on a terminal; prints one
/// table per frame when the output is redirected. Stops after N frames (0: until interrupted).
/// </summary>
public static class MonitorCommand
{
    public static int Run(CliArgs a, TextWriter stdout, TextWriter stderr)
    {
        string port = a.Get("port") ?? throw new UsageException("monitor needs --port DEV");
        int baud = a.Int("baud", 115200, 9600, 921600);
        int frames = a.Int("frames", 0, 0, int.MaxValue);
        a.RejectUnknown();
        bool live = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
        using var link = new HostSerialLink(port, baud);
        int shown = 0, bad = 0;
        while (frames == 0 || shown < frames)
        {
            string line = link.ReadLine(5000);
            if (line == null) { stderr.WriteLine("monitor: no telemetry for 5 s"); return 3; }
            if (!line.StartsWith("$SBT")) continue;
            var s = TelemetrySample.TryParse(line);
            if (s == null) { bad++; continue; }
            if (live) stdout.Write("\x1b[H\x1b[2J");
            stdout.Write(Render(s, bad));
            shown++;
        }
        return 0;
    }

    public static string Render(TelemetrySample s, int badFrames)
    {
        var ci = CultureInfo.InvariantCulture;
        string N(double v, double scale, string fmt) => double.IsNaN(v) ? "--" : (v * scale).ToString(fmt, ci);
        var o = new StringWriter(ci);
        o.WriteLine($"SolidBms  t={s.TimeMs / 1000.0:0.0} s  frame {s.Seq}  state {s.State.ToUpperInvariant()}  status 0x{s.Status:X4}  abuse-test {s.AbuseTest}");
        o.WriteLine($"SOC {N(s.SocPermille, 0.1, "0.0")} %   current {N(s.CurrentMa, 0.001, "0.000")} A   pack {N(s.PackMv, 0.001, "0.000")} V   " +
                    $"limits: charge {N(s.ChargeLimitMa, 0.001, "0.00")} A, discharge {N(s.DischargeLimitMa, 0.001, "0.00")} A");
        o.WriteLine("pressure " + string.Join("  ", s.PressureKpa.Select((p, i) => $"stack {i + 1}: {N(p, 1, "0")} kPa")) +
                    $"   contactor {(s.ContactorClosed ? "closed" : "open")}");
        o.WriteLine();
        o.WriteLine(" cell |    mV |    C ");
        o.WriteLine("------+-------+------");
        var vmin = s.CellMv.Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Min();
        var vmax = s.CellMv.Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Max();
        for (int i = 0; i < s.CellMv.Length; i++)
        {
            string mark = s.CellMv[i] == vmax ? " max" : (s.CellMv[i] == vmin ? " min" : "");
            o.WriteLine($" {i + 1,4} | {N(s.CellMv[i], 1, "0"),5} | {N(s.TempDeciC[i], 0.1, "0.0"),5}{mark}");
        }
        o.WriteLine();
        o.WriteLine("faults: " + (s.Faults.Length == 0 ? "none" : string.Join(", ", s.Faults)));
        var flags = new (int Bit, string Name)[]
        {
            (StatusBits.TripLatched, "trip-latched"), (StatusBits.Alarm, "alarm"), (StatusBits.Warning, "warning"),
            (StatusBits.ChargeAllowed, "charge-allowed"), (StatusBits.DischargeAllowed, "discharge-allowed"),
            (StatusBits.LineUnlocked, "line-unlocked"), (StatusBits.ModbusUnlocked, "modbus-unlocked"),
            (StatusBits.AuthLockout, "auth-lockout"), (StatusBits.CaptureActive, "capture"), (StatusBits.TimeSet, "time-set"),
        };
        o.WriteLine("flags: " + string.Join(" ", flags.Where(f => (s.Status & f.Bit) != 0).Select(f => f.Name)));
        if (badFrames > 0) o.WriteLine($"frames with a bad checksum: {badFrames}");
        o.WriteLine();
        return o.ToString();
    }
}
