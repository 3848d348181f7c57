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

        public void Append(char c) { Append((byte)c); }

        /// <summary>Appends an ASCII string (string constants are interned: no allocation).</summary>
        public void Append(string s)
        {
            if (s == null) return;
            for (int i = 0; i < s.Length; i++) Append((byte)s[i]);
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
            int n = DigitCount(value);
            if (_length + n <= _buffer.Length)
            {
                // Digits from the last, straight into the buffer (the telemetry frame writes ~40 numbers a tick).
                byte[] buffer = _buffer;
                int k = _length + n;
                _length = k;
                do
                {
                    int q = value / 10;
                    buffer[--k] = (byte)('0' + (value - q * 10));
                    value = q;
                } while (value != 0);
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
            long scale = 1;
            for (int i = 0; i < decimals; i++) scale *= 10;
            bool negative = value < 0;
            double scaled = (negative ? -value : value) * scale + 0.5;
            if (scaled >= 9.2e18) { Append(negative ? "-inf" : "inf"); return; }
            long units = (long)scaled;
            if (negative && units != 0) Append('-');
            long frac;
            if (units <= int.MaxValue && decimals >= 0 && decimals <= 4)
            {
                // The usual case in 32-bit arithmetic by constant divisors (a multiply, not a 64-bit division by a
                // variable, which is a library call on the ESP32 and the slowest integer instruction on the host).
                int u = (int)units, whole;
                switch (decimals)
                {
                    case 0: whole = u; break;
                    case 1: whole = u / 10; break;
                    case 2: whole = u / 100; break;
                    case 3: whole = u / 1000; break;
                    default: whole = u / 10000; break;
                }
                Append(whole);
                frac = u - whole * (int)scale;
            }
            else
            {
                Append(units / scale);
                frac = units % scale;
            }
            if (decimals > 0)
            {
                Append('.');
                if (decimals <= 9 && _length + decimals <= _buffer.Length)
                {
                    // Digits from the last, in 32-bit arithmetic (the fraction is below 10^9), straight into the buffer.
                    int f = (int)frac;
                    for (int k = _length + decimals - 1; k >= _length; k--)
                    {
                        int q = f / 10;
                        _buffer[k] = (byte)('0' + (f - q * 10));
                        f = q;
                    }
                    _length += decimals;
                }
                else for (long div = scale / 10; div > 0; div /= 10) Append((byte)('0' + (int)(frac / div % 10)));
            }
        }

        public void AppendHexByte(int value)
        {
            Append(HexDigit((value >> 4) & 0xF));
            Append(HexDigit(value & 0xF));
        }

        private static byte HexDigit(int nibble) { return (byte)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10); }

        /// <summary>Copy of the text (allocates: for tests, logs and the host, never in the tick).</summary>
        public string ToText()
        {
            char[] chars = new char[_length];
            for (int i = 0; i < _length; i++) chars[i] = (char)_buffer[i];
            return new string(chars);
        }
    }
}
