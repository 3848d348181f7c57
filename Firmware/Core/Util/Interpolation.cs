namespace SolidBms.Core.Util
{
    /// <summary>Piecewise-linear look-ups over strictly increasing breakpoints, clamped at both ends.</summary>
    public static class Interpolation
    {
        /// <summary>Index i such that xs[i] &lt;= x &lt; xs[i+1], clamped to [0, n-2]; fraction in [0,1].</summary>
        public static int Locate(float[] xs, float x, out float fraction)
        {
            int last = xs.Length - 1;
            if (last <= 0) { fraction = 0; return 0; }
            if (x <= xs[0]) { fraction = 0; return 0; }
            if (x >= xs[last]) { fraction = 1; return last - 1; }
            int lo = 0, hi = last;
            while (hi - lo > 1)
            {
                int mid = (lo + hi) >> 1;
                if (xs[mid] <= x) lo = mid; else hi = mid;
            }
            fraction = (x - xs[lo]) / (xs[lo + 1] - xs[lo]);
            return lo;
        }

        public static float Lookup(float[] xs, float[] ys, float x)
        {
            if (xs.Length == 1) return ys[0];
            float f;
            int i = Locate(xs, x, out f);
            return ys[i] + (ys[i + 1] - ys[i]) * f;
        }

        /// <summary>Bilinear look-up in a table stored row-major: table[row * cols.Length + col].</summary>
        public static float Lookup2D(float[] rows, float[] cols, float[] table, float rowValue, float colValue)
        {
            float fr = 0, fc = 0;
            int r = rows.Length > 1 ? Locate(rows, rowValue, out fr) : 0;
            int c = cols.Length > 1 ? Locate(cols, colValue, out fc) : 0;
            int nc = cols.Length;
            int r1 = rows.Length > 1 ? r + 1 : r;
            int c1 = cols.Length > 1 ? c + 1 : c;
            float a = table[r * nc + c] + (table[r * nc + c1] - table[r * nc + c]) * fc;
            float b = table[r1 * nc + c] + (table[r1 * nc + c1] - table[r1 * nc + c]) * fc;
            return a + (b - a) * fr;
        }
    }
}
