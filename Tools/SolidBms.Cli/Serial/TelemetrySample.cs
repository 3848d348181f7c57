using System;
using System.Globalization;
using System.Linq;
using System.Text;
using SolidBms.Core.Protocol;
using SolidBms.Core.Util;

namespace SolidBms.Cli.Serial;

/// <summary>One telemetry frame ($SBT, docs/protocol.md) parsed on the host. Unknown values are NaN.</summary>
public sealed class TelemetrySample
{
    public long Seq;
    public long TimeMs;
    public long UnixS = -1;
    public string State;
    public double SocPermille, CurrentMa, PackMv, ChargeLimitMa, DischargeLimitMa;
    public int Status;
    public double[] CellMv, TempDeciC, PressureKpa;
    public string[] Faults;
    public string AbuseTest;
    /// <summary>Cells bleeding (B group; -1 when the frame has none) and their mask (bit i = cell i + 1).</summary>
    public int BalancingCells = -1;
    public ulong BalancingMask;

    public bool ContactorClosed => (Status & StatusBits.ContactorClosed) != 0;

    /// <summary>True when the line's CRC matches its body.</summary>
    public static bool ChecksumOk(string line)
    {
        int star = line.LastIndexOf('*');
        if (!line.StartsWith('$') || star < 1 || star != line.Length - 5) return false;
        var body = Encoding.ASCII.GetBytes(line[1..star]);
        return int.TryParse(line[(star + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int crc)
               && crc == Crc16.Compute(body, 0, body.Length);
    }

    /// <summary>Parses a telemetry line; null for anything else, a bad checksum, another version or a malformed frame.</summary>
    public static TelemetrySample TryParse(string line)
    {
        if (line == null || !line.StartsWith("$SBT,") || !ChecksumOk(line)) return null;
        var f = line[1..line.LastIndexOf('*')].Split(',');
        try
        {
            if (f[1] != LineProtocol.Version.ToString(CultureInfo.InvariantCulture)) return null;
            var s = new TelemetrySample
            {
                Seq = long.Parse(f[2], CultureInfo.InvariantCulture),
                TimeMs = long.Parse(f[3], CultureInfo.InvariantCulture),
                UnixS = f[4].Length == 0 ? -1 : long.Parse(f[4], CultureInfo.InvariantCulture),
                State = f[5],
                SocPermille = Num(f[6]), CurrentMa = Num(f[7]), PackMv = Num(f[8]), ChargeLimitMa = Num(f[9]), DischargeLimitMa = Num(f[10]),
                Status = int.Parse(f[11], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            };
            int i = 12;
            s.CellMv = List(f, ref i, "V", Num);
            s.TempDeciC = List(f, ref i, "T", Num);
            s.PressureKpa = List(f, ref i, "P", Num);
            s.Faults = List(f, ref i, "F", x => x);
            if (f[i] != "X") return null;
            s.AbuseTest = f[i + 1];
            i += 2;
            if (i < f.Length)
            {
                // B group (balancing, docs/protocol.md): cells bleeding and their mask in hex.
                if (f[i] != "B" || i + 3 != f.Length) return null;
                s.BalancingCells = int.Parse(f[i + 1], CultureInfo.InvariantCulture);
                s.BalancingMask = ulong.Parse(f[i + 2], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                i += 3;
            }
            return i == f.Length ? s : null;
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or OverflowException)
        {
            return null;
        }
    }

    private static double Num(string s) => s.Length == 0 ? double.NaN : double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static T[] List<T>(string[] f, ref int i, string tag, Func<string, T> parse)
    {
        if (f[i] != tag) throw new FormatException("expected " + tag);
        int n = int.Parse(f[i + 1], CultureInfo.InvariantCulture);
        var r = f.Skip(i + 2).Take(n).Select(parse).ToArray();
        if (r.Length != n) throw new FormatException("short list");
        i += 2 + n;
        return r;
    }
}
