using SolidBms.Core.Measurement;

namespace SolidBms.Core.Util
{
    /// <summary>
    /// Formats text into a fixed byte buffer without allocating: the telemetry path runs every tick, and
    /// number.ToString() would create garbage for the nanoFramework GC at 10 Hz. Overflow is sticky:
    /// once the buffer is full, further writes are dropped and <see cref="Overflowed"/> says so.
    /// </summary>
    public sealed class AsciiWriter
    {
        private readonly byte[] _buffer;
        private int _length;
        private bool _overflowed;
        private readonly byte[] _digits = new byte[20];

        public AsciiWriter(int capacity) { _buffer = new byte[capacity]; }

        public byte[] Buffer { get { return _buffer; } }

        public int Length { get { return _length; } }

        public bool Overflowed { get { return _overflowed; } }

        public void Clear() { _length = 0; _overflowed = false; }

        public void Append(byte b)
        {
            if (_length < _buffer.Length) _buffer[_length++] = b;
            else _overflowed = true;
        }

        public void Append(char c)
        {
            // Append(byte)'s body: one call a separator, not two (the telemetry frame writes some sixty).
            if (_length < _buffer.Length) _buffer[_length++] = (byte)c;
            else _overflowed = true;
        }

        /// <summary>Appends an ASCII string (string constants are interned: no allocation).</summary>
        public void Append(string s)
        {
            if (s == null) return;
            int n = s.Length, at = _length;
            if (at + n > _buffer.Length)
            {
                for (int i = 0; i < n; i++) Append((byte)s[i]); // up to the end, then the sticky overflow
                return;
            }
            byte[] buffer = _buffer; // the telemetry frame's fixed words: one bounds test, not one a byte
            for (int i = 0; i < n; i++) buffer[at + i] = (byte)s[i];
            _length = at + n;
        }

        /// <summary>
        /// Appends ASCII prepared once as bytes (<see cref="Bytes"/>): one native copy, where a string costs the device's
        /// interpreter a call per character (the telemetry frame's fixed words, every tick).
        /// </summary>
        public void Append(byte[] ascii)
        {
            int n = ascii.Length, at = _length;
            if (at + n > _buffer.Length)
            {
                for (int i = 0; i < n; i++) Append(ascii[i]); // up to the end, then the sticky overflow
                return;
            }
            System.Array.Copy(ascii, 0, _buffer, at, n);
            _length = at + n;
        }

        /// <summary>The bytes of an ASCII string, for <see cref="Append(byte[])"/> (allocates: once, when a writer's user is made).</summary>
        public static byte[] Bytes(string s)
        {
            var bytes = new byte[s.Length];
            for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)s[i];
            return bytes;
        }

        public void Append(long value)
        {
            // Nearly every number fits in 32 bits: 32-bit division is one instruction on the ESP32's Xtensa core,
            // 64-bit division a library call.
            if (value > int.MinValue && value <= int.MaxValue) { Append((int)value); return; }
            if (value < 0)
            {
                Append('-');
                if (value == long.MinValue) { Append("9223372036854775808"); return; }
                value = -value;
            }
            int n = 0;
            do
            {
                _digits[n++] = (byte)('0' + (int)(value % 10));
                value /= 10;
            } while (value != 0);
            AppendDigits(n);
        }

        public void Append(int value)
        {
            if (value < 0)
            {
                Append('-');
                if (value == int.MinValue) { Append("2147483648"); return; }
                value = -value;
            }
            int n = value < 10000 ? (value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : 4) : DigitCount(value);
            if (_length + n <= _buffer.Length)
            {
                // Digits from the last, straight into the buffer (the telemetry frame writes ~40 numbers a tick).
                _length += n;
                PutDigits(_buffer, _length, value, DigitPairs);
                return;
            }
            n = 0;
            do
            {
                int q = value / 10;
                _digits[n++] = (byte)('0' + (value - q * 10));
                value = q;
            } while (value != 0);
            AppendDigits(n);
        }

        /// <summary>
        /// ',' and a scaled number rounded half away from zero (the protocol's rounding, Protocol.Scaling): the usual
        /// telemetry field, 0 to 99999, written in place in this one call; anything else through <see cref="Append(long)"/>.
        /// </summary>
        public void AppendCommaRounded(double scaled)
        {
            byte[] buffer = _buffer;
            int at = _length;
            if (scaled > -0.5 && scaled < 99999.5 && at + 6 <= buffer.Length)
            {
                int value = (int)(scaled + 0.5);
                int k = at + 1 + (value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10000 ? 4 : 5);
                buffer[at] = (byte)',';
                _length = k;
                PutDigits(buffer, k, value, DigitPairs);
                return;
            }
            Append(',');
            // Nearly every field fits an int: the same rounding, without the 64-bit path.
            if (scaled > -2e9 && scaled < 2e9) Append((int)(scaled < 0 ? scaled - 0.5 : scaled + 0.5));
            else Append((long)(scaled < 0 ? scaled - 0.5 : scaled + 0.5));
        }

        /// <summary>
        /// <see cref="AppendCommaRounded"/> for each of the first <paramref name="count"/> readings, value x scale, and ','
        /// alone for a reading whose status is not Ok or that is not a finite number: the telemetry frame's cell and stack
        /// groups, some 36 fields a tick. The usual field (0 to 99999) is written here with its digits placed by their
        /// count, no call and no loop a field (on the device's interpreter a call costs more than the digits); anything
        /// else (a negative temperature, the buffer's end) goes through <see cref="AppendCommaRounded"/>, which writes the
        /// same bytes.
        /// </summary>
        public void AppendReadings(float[] values, SensorStatus[] status, int count, float scale)
        {
            byte[] buffer = _buffer, pairs = DigitPairs;
            int at = _length, last = buffer.Length - 6; // a field written here takes at most 6 bytes
            for (int i = 0; i < count; i++)
            {
                float v = values[i];
                double scaled = (double)v * scale; // NaN and infinity fail the range test below
                if (at <= last && scaled > -0.5 && scaled < 99999.5 && status[i] == SensorStatus.Ok)
                {
                    int x = (int)(scaled + 0.5);
                    buffer[at] = (byte)',';
                    int low = -1; // the last two digits' place in the pairs, once x has more than two
                    if (x >= 100)
                    {
                        int q = x / 100;
                        low = (x - q * 100) << 1;
                        x = q;
                    }
                    if (x >= 100) // five digits: the first, then the middle pair
                    {
                        int q = x / 100;
                        int middle = (x - q * 100) << 1;
                        buffer[at + 1] = (byte)('0' + q);
                        buffer[at + 2] = pairs[middle];
                        buffer[at + 3] = pairs[middle + 1];
                        at += 4;
                    }
                    else if (x >= 10)
                    {
                        x <<= 1;
                        buffer[at + 1] = pairs[x];
                        buffer[at + 2] = pairs[x + 1];
                        at += 3;
                    }
                    else
                    {
                        buffer[at + 1] = (byte)('0' + x);
                        at += 2;
                    }
                    if (low >= 0)
                    {
                        buffer[at] = pairs[low];
                        buffer[at + 1] = pairs[low + 1];
                        at += 2;
                    }
                    continue;
                }
                _length = at;
                if (status[i] != SensorStatus.Ok || !(v - v == 0f)) Append(','); // x - x is 0 unless x is NaN or infinite
                else AppendCommaRounded(scaled);
                at = _length;
            }
            _length = at;
        }

        /// <summary>
        /// The decimal digits of a non-negative value, ending just before <paramref name="end"/> (the caller has counted
        /// them): two digits a division from the table of pairs, half the dependent divisions and the interpreter's
        /// instructions of one a digit, in the loop itself rather than a call a pair.
        /// </summary>
        private static void PutDigits(byte[] buffer, int end, int value, byte[] pairs)
        {
            int k = end;
            while (value >= 100)
            {
                int q = value / 100, r = (value - q * 100) << 1;
                buffer[--k] = pairs[r + 1];
                buffer[--k] = pairs[r];
                value = q;
            }
            if (value >= 10)
            {
                int r = value << 1;
                buffer[--k] = pairs[r + 1];
                buffer[--k] = pairs[r];
            }
            else buffer[--k] = (byte)('0' + value);
        }

        /// <summary>Writes the last two digits of units before position k (moving k back); returns units / 100.</summary>
        private static int PutPair(byte[] buffer, ref int k, int units, byte[] pairs)
        {
            int q = units / 100, r = (units - q * 100) << 1;
            buffer[--k] = pairs[r + 1];
            buffer[--k] = pairs[r];
            return q;
        }

        private static readonly byte[] DigitPairs = BuildDigitPairs();

        private static byte[] BuildDigitPairs()
        {
            var pairs = new byte[200];
            for (int i = 0; i < 100; i++)
            {
                pairs[2 * i] = (byte)('0' + i / 10);
                pairs[2 * i + 1] = (byte)('0' + i % 10);
            }
            return pairs;
        }

        /// <summary>Decimal digits of a non-negative int (1 for 0).</summary>
        private static int DigitCount(int value)
        {
            if (value < 10000) return value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : 4;
            int n = 5;
            for (int limit = 100000; n < 10 && value >= limit; limit *= 10) n++;
            return n;
        }

        /// <summary>The first n bytes of _digits, last first, straight into the buffer when they fit.</summary>
        private void AppendDigits(int n)
        {
            if (_length + n > _buffer.Length)
            {
                while (n > 0) Append(_digits[--n]);
                return;
            }
            byte[] buffer = _buffer;
            int at = _length;
            while (n > 0) buffer[at++] = _digits[--n];
            _length = at;
        }

        /// <summary>Fixed-point: value with exactly <paramref name="decimals"/> digits after the point, rounded half away from zero.</summary>
        public void AppendFixed(double value, int decimals)
        {
            if (double.IsNaN(value)) { Append("nan"); return; }
            if (double.IsInfinity(value)) { Append(value > 0 ? "inf" : "-inf"); return; }
            bool negative = value < 0;
            double magnitude = negative ? -value : value;
            if (decimals >= 0 && decimals < SmallScales.Length)
            {
                double small = magnitude * SmallScales[decimals] + 0.5;
                if (small < int.MaxValue && AppendFixedSmall((int)small, decimals, negative)) return;
            }
            long scale = 1;
            for (int i = 0; i < decimals; i++) scale *= 10;
            double scaled = magnitude * scale + 0.5;
            if (scaled >= 9.2e18) { Append(negative ? "-inf" : "inf"); return; }
            long units = (long)scaled;
            if (negative && units != 0) Append('-');
            Append(units / scale);
            if (decimals > 0)
            {
                Append('.');
                long frac = units % scale;
                for (long div = scale / 10; div > 0; div /= 10) Append((byte)('0' + (int)(frac / div % 10)));
            }
        }

        private static readonly double[] SmallScales = { 1.0, 10.0, 100.0, 1000.0, 10000.0, 100000.0, 1000000.0 };

        /// <summary>
        /// The usual case of <see cref="AppendFixed"/>: value x 10^decimals rounded fits an int. All digits in one pass
        /// from the last, in 32-bit arithmetic (64-bit division is a library call on the ESP32, and the sim's CSV row
        /// has sixty such numbers), the point written in its place. False (nothing written) when the buffer is short.
        /// </summary>
        private bool AppendFixedSmall(int units, int decimals, bool negative)
        {
            int digits = DigitCount(units);
            if (digits < decimals + 1) digits = decimals + 1; // "0.05": a leading zero and the fraction's own zeros
            int sign = negative && units != 0 ? 1 : 0;
            int total = sign + digits + (decimals > 0 ? 1 : 0);
            if (_length + total > _buffer.Length) return false;
            byte[] buffer = _buffer, pairs = DigitPairs;
            int start = _length, k = start + total;
            _length = k;
            int d = decimals;
            for (; d >= 2; d -= 2) units = PutPair(buffer, ref k, units, pairs);
            if (d == 1)
            {
                int q = units / 10;
                buffer[--k] = (byte)('0' + (units - q * 10));
                units = q;
            }
            if (decimals > 0) buffer[--k] = (byte)'.';
            int first = start + sign; // the integer part fills k - first places exactly (its own digit count, or "0")
            while (k - first >= 2) units = PutPair(buffer, ref k, units, pairs);
            if (k > first) buffer[--k] = (byte)('0' + units % 10);
            if (sign != 0) buffer[start] = (byte)'-';
            return true;
        }

        public void AppendHexByte(int value)
        {
            int at = _length;
            byte[] buffer = _buffer;
            if (at + 2 <= buffer.Length)
            {
                // Both digits from the table in this one call (the frame's masks and CRC: a dozen bytes a tick).
                byte[] digits = HexDigits;
                buffer[at] = digits[(value >> 4) & 0xF];
                buffer[at + 1] = digits[value & 0xF];
                _length = at + 2;
                return;
            }
            Append(HexDigit((value >> 4) & 0xF));
            Append(HexDigit(value & 0xF));
        }

        /// <summary>Eight upper-case hex digits, most significant first, in one call (a mask: two a frame).</summary>
        public void AppendHex(uint value)
        {
            int at = _length;
            byte[] buffer = _buffer;
            if (at + 8 > buffer.Length)
            {
                for (int shift = 24; shift >= 0; shift -= 8) AppendHexByte((int)(value >> shift) & 0xFF);
                return;
            }
            byte[] digits = HexDigits;
            for (int k = at + 7; k >= at; k--)
            {
                buffer[k] = digits[value & 0xF];
                value >>= 4;
            }
            _length = at + 8;
        }

        private static byte HexDigit(int nibble) { return (byte)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10); }

        private static readonly byte[] HexDigits = BuildHexDigits();

        private static byte[] BuildHexDigits()
        {
            var digits = new byte[16];
            for (int i = 0; i < 16; i++) digits[i] = HexDigit(i);
            return digits;
        }

        /// <summary>Copy of the text (allocates: for tests, logs and the host, never in the tick).</summary>
        public string ToText()
        {
            char[] chars = new char[_length];
            for (int i = 0; i < _length; i++) chars[i] = (char)_buffer[i];
            return new string(chars);
        }
    }
}
