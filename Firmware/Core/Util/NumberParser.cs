namespace SolidBms.Core.Util
{
    /// <summary>
    /// Culture-free decimal parsing from chars or bytes without allocating: board files, profiles and
    /// serial commands all use '.' as the decimal point whatever the locale of the machine.
    /// Accepts [+-]digits[.digits][(e|E)[+-]digits]; nothing else, not even surrounding spaces.
    /// </summary>
    public static class NumberParser
    {
        public static bool TryParseDouble(string s, out double value)
        {
            value = 0;
            if (s == null) return false;
            return TryParse(s, null, 0, s.Length, out value);
        }

        public static bool TryParseDouble(byte[] bytes, int offset, int count, out double value)
        {
            return TryParse(null, bytes, offset, count, out value);
        }

        public static bool TryParseInt(string s, out int value)
        {
            double d;
            value = 0;
            if (!TryParseDouble(s, out d)) return false;
            if (d < int.MinValue || d > int.MaxValue || d != (int)d) return false;
            value = (int)d;
            return true;
        }

        private static int CharAt(string s, byte[] b, int i) { return s != null ? s[i] : b[i]; }

        private static bool TryParse(string s, byte[] b, int offset, int count, out double value)
        {
            value = 0;
            int i = offset, end = offset + count;
            if (count <= 0) return false;
            bool negative = false;
            int c = CharAt(s, b, i);
            if (c == '+' || c == '-') { negative = c == '-'; i++; }
            double mantissa = 0;
            int digits = 0, exponent = 0;
            while (i < end && (c = CharAt(s, b, i)) >= '0' && c <= '9')
            {
                mantissa = mantissa * 10 + (c - '0');
                digits++;
                i++;
            }
            if (i < end && CharAt(s, b, i) == '.')
            {
                i++;
                while (i < end && (c = CharAt(s, b, i)) >= '0' && c <= '9')
                {
                    mantissa = mantissa * 10 + (c - '0');
                    exponent--;
                    digits++;
                    i++;
                }
            }
            if (digits == 0) return false;
            if (i < end && ((c = CharAt(s, b, i)) == 'e' || c == 'E'))
            {
                i++;
                bool expNegative = false;
                if (i < end && ((c = CharAt(s, b, i)) == '+' || c == '-')) { expNegative = c == '-'; i++; }
                int expDigits = 0, e = 0;
                while (i < end && (c = CharAt(s, b, i)) >= '0' && c <= '9')
                {
                    if (e < 10000) e = e * 10 + (c - '0');
                    expDigits++;
                    i++;
                }
                if (expDigits == 0) return false;
                exponent += expNegative ? -e : e;
            }
            if (i != end) return false;
            value = ScaleByPowerOfTen(mantissa, exponent);
            if (negative) value = -value;
            return !double.IsInfinity(value);
        }

        private static double ScaleByPowerOfTen(double m, int exponent)
        {
            // Dividing by an exact power of ten rounds once, where repeated *0.1 would round each time.
            if (exponent < 0)
            {
                double div = 1;
                while (exponent < 0 && div < 1e300) { div *= 10; exponent++; }
                m /= div;
                while (exponent < 0) { m /= 10; exponent++; }
                return m;
            }
            while (exponent > 0) { m *= 10; exponent--; }
            return m;
        }
    }
}
