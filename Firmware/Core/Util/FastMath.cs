namespace SolidBms.Core.Util
{
    /// <summary>
    /// The few math functions the firmware needs. nanoFramework's mscorlib 1.17.11 has no System.Math,
    /// and pulling in nanoFramework.System.Math for three functions is not worth a native dependency.
    /// Host tests compare every function here against System.Math.
    /// </summary>
    public static class FastMath
    {
        public static double Abs(double x) { return x < 0 ? -x : x; }

        public static float Abs(float x) { return x < 0 ? -x : x; }

        public static int Abs(int x) { return x < 0 ? -x : x; }

        public static double Min(double a, double b) { return a < b ? a : b; }

        public static double Max(double a, double b) { return a > b ? a : b; }

        public static float Min(float a, float b) { return a < b ? a : b; }

        public static float Max(float a, float b) { return a > b ? a : b; }

        public static int Min(int a, int b) { return a < b ? a : b; }

        public static int Max(int a, int b) { return a > b ? a : b; }

        public static double Clamp(double x, double lo, double hi) { return x < lo ? lo : (x > hi ? hi : x); }

        public static float Clamp(float x, float lo, float hi) { return x < lo ? lo : (x > hi ? hi : x); }

        public static int Clamp(int x, int lo, int hi) { return x < lo ? lo : (x > hi ? hi : x); }

        /// <summary>
        /// True for NaN and both infinities: such a number is never a measurement. One subtraction and one compare
        /// (x - x is 0 for every finite x and NaN otherwise, IEEE 754), where IsNaN and IsInfinity are two calls each
        /// on the device; the estimator and the supervisor ask this dozens of times a tick.
        /// </summary>
        public static bool IsBad(double x) { return !(x - x == 0.0); }

        public static bool IsBad(float x) { return !(x - x == 0f); }

        private const double Ln2 = 0.69314718055994530942;

        /// <summary>e^x, relative error below 1e-12 over the range the models use (|x| &lt; 700).</summary>
        public static double Exp(double x)
        {
            if (double.IsNaN(x)) return x;
            if (x > 709.0) return double.PositiveInfinity;
            if (x < -745.0) return 0.0;
            // x = k ln2 + r with |r| <= ln2/2, then e^x = 2^k e^r; e^r from its Taylor series.
            double kd = x / Ln2;
            int k = (int)(kd < 0 ? kd - 0.5 : kd + 0.5);
            double r = x - k * Ln2;
            double term = 1.0, sum = 1.0;
            for (int n = 1; n < 15; n++) // |r| <= ln2/2: the 14th term is below 1e-17
            {
                term *= r / n;
                sum += term;
            }
            return ScaleByPowerOfTwo(sum, k);
        }

        /// <summary>Natural logarithm for x &gt; 0 (NaN otherwise).</summary>
        public static double Log(double x)
        {
            if (double.IsNaN(x) || x < 0) return double.NaN;
            if (x == 0) return double.NegativeInfinity;
            if (double.IsPositiveInfinity(x)) return x;
            // x = m 2^e with m in [sqrt(1/2), sqrt(2)); ln m from atanh series in s = (m-1)/(m+1).
            int e = 0;
            while (x >= 256.0) { x *= 0.00390625; e += 8; } // exact power-of-two steps: a resistance in ohm needs a dozen halvings
            while (x >= 1.4142135623730951) { x *= 0.5; e++; }
            while (x < 0.7071067811865476) { x *= 2.0; e--; }
            double s = (x - 1.0) / (x + 1.0);
            double s2 = s * s, term = s, sum = 0.0;
            for (int n = 1; n < 24; n += 2) // |s| <= 0.172: the term of order 23 is below 1e-18
            {
                sum += term / n;
                term *= s2;
            }
            return 2.0 * sum + e * Ln2;
        }

        /// <summary>Square root by Newton's iteration; NaN for negative input.</summary>
        public static double Sqrt(double x)
        {
            if (double.IsNaN(x) || x < 0) return double.NaN;
            if (x == 0 || double.IsPositiveInfinity(x)) return x;
            // Scale into [0.25, 1) so a fixed number of iterations converges to full precision.
            int halfExp = 0;
            while (x >= 1.0) { x *= 0.25; halfExp++; }
            while (x < 0.25) { x *= 4.0; halfExp--; }
            double y = 0.5 * (x + 0.5);
            for (int i = 0; i < 6; i++) y = 0.5 * (y + x / y);
            return ScaleByPowerOfTwo(y, halfExp);
        }

        private static double ScaleByPowerOfTwo(double value, int power)
        {
            while (power > 0) { value *= 2.0; power--; }
            while (power < 0) { value *= 0.5; power++; }
            return value;
        }
    }
}
