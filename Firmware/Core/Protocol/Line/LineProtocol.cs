using SolidBms.Core.Util;

namespace SolidBms.Core.Protocol
{
    /// <summary>
    /// Framing shared by every line the device sends (docs/protocol.md): '$', the body, '*', the CRC-16/MODBUS
    /// of the body's bytes as four upper-case hex digits, CR LF. The version is the second field of every line.
    /// </summary>
    public static class LineProtocol
    {
        /// <summary>Version of the line protocol (docs/protocol.md). Bump on any change to a field's meaning or order.</summary>
        public const int Version = 2;

        public const string FirmwareVersion = FirmwareRelease.Version;

        /// <summary>Longest command line accepted, bytes, without CR LF.</summary>
        public const int MaxCommandLength = 120;

        /// <summary>Starts a line at the writer's end: '$', the tag (SBT, SBR) and the version. Returns where it starts.</summary>
        public static int Begin(AsciiWriter w, string tag)
        {
            int start = w.Length;
            w.Append('$');
            w.Append(tag);
            w.Append(',');
            w.Append((long)Version); // (long): a constant int would bind to Append(byte)
            return start;
        }

        /// <summary>Appends '*', the CRC of the bytes between '$' and '*', and CR LF.</summary>
        public static void End(AsciiWriter w, int start)
        {
            int crc = Crc16.Compute(w.Buffer, start + 1, w.Length - start - 1);
            w.Append('*');
            w.AppendHexByte(crc >> 8);
            w.AppendHexByte(crc & 0xFF);
            w.Append('\r');
            w.Append('\n');
        }

        /// <summary>Free text as one field: separators and framing characters are replaced so the line still parses.</summary>
        public static void AppendText(AsciiWriter w, string s)
        {
            if (s == null) return;
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (c == ',' ) c = ';';
                else if (c == '*' || c == '$' || c < ' ' || c > '~') c = ' ';
                w.Append(c);
            }
        }

        /// <summary>A number with up to four decimals and no trailing zeros (4300, 0.05, -10).</summary>
        public static void AppendNumber(AsciiWriter w, double v)
        {
            if (FastMath.IsBad(v)) { w.Append("nan"); return; }
            double scaled = v;
            int decimals = 0;
            while (decimals < 4 && FastMath.Abs(scaled - Scaling.Round(scaled)) > 1e-6 * (1 + FastMath.Abs(scaled)))
            {
                scaled *= 10;
                decimals++;
            }
            w.AppendFixed(v, decimals);
        }

        public static int HexValue(byte c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            return -1;
        }
    }
}
