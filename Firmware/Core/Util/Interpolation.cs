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

        /// <summary>
        /// <see cref="Locate"/> trying the interval <paramref name="hint"/> first, then its two neighbours (a value that
        /// moves slowly, such as a cell's SOC, stays in one interval for many ticks and then steps into the next; the OCV
        /// slope's points either side of it fall there too): the same index and fraction, no search when one holds.
        /// </summary>
        public static int LocateFrom(float[] xs, float x, int hint, out float fraction)
        {
            int i = IntervalFrom(xs, x, hint);
            fraction = FractionIn(xs, x, i);
            return i;
        }

        /// <summary>
        /// The index of <see cref="LocateFrom"/> without its fraction, for a caller that needs only the interval (the
        /// thermistor's rows): a division fewer.
        /// </summary>
        public static int IntervalFrom(float[] xs, float x, int hint)
        {
            int last = xs.Length - 1;
            if (hint >= 0 && hint < last)
            {
                if (Inside(xs, x, hint)) return hint;
                if (hint + 1 < last && Inside(xs, x, hint + 1)) return hint + 1;
                if (hint > 0 && Inside(xs, x, hint - 1)) return hint - 1;
            }
            float unused;
            return Locate(xs, x, out unused);
        }

        /// <summary>True when xs[i] &lt;= x &lt; xs[i+1]: the interval the search would find.</summary>
        private static bool Inside(float[] xs, float x, int i) { return xs[i] <= x && x < xs[i + 1]; }

        /// <summary>The fraction <see cref="Locate"/> gives with interval i: clamped to 0 and 1 beyond the ends.</summary>
        private static float FractionIn(float[] xs, float x, int i)
        {
            int last = xs.Length - 1;
            if (last <= 0 || x <= xs[0]) return 0;
            if (x >= xs[last]) return 1;
            return (x - xs[i]) / (xs[i + 1] - xs[i]);
        }

        public static float Lookup(float[] xs, float[] ys, float x)
        {
            if (xs.Length == 1) return ys[0];
            float f;
            int i = Locate(xs, x, out f);
            return Between(ys, i, f);
        }

        /// <summary>
        /// ys between breakpoints i and i+1 at fraction f from <see cref="Locate"/> (one-point tables: ys[0]): several
        /// tables over the same axis at one x locate once, with the result of <see cref="Lookup"/>.
        /// </summary>
        public static float Between(float[] ys, int i, float f)
        {
            if (ys.Length == 1) return ys[0];
            return ys[i] + (ys[i + 1] - ys[i]) * f;
        }

        /// <summary>Bilinear look-up in a table stored row-major: table[row * cols.Length + col].</summary>
        public static float Lookup2D(float[] rows, float[] cols, float[] table, float rowValue, float colValue)
        {
            float fr;
            int r1;
            int r = LocateRow(rows, rowValue, out r1, out fr);
            return LookupBetweenRows(cols, table, r, r1, fr, colValue);
        }

        /// <summary>The row step of <see cref="Lookup2D"/>: rows r and r1 (equal for a one-row table) and the fraction between them.</summary>
        public static int LocateRow(float[] rows, float rowValue, out int r1, out float fraction)
        {
            fraction = 0;
            int r = rows.Length > 1 ? Locate(rows, rowValue, out fraction) : 0;
            r1 = rows.Length > 1 ? r + 1 : r;
            return r;
        }

        /// <summary>
        /// The column step of <see cref="Lookup2D"/> between rows found by <see cref="LocateRow"/>: several look-ups at
        /// one row value (the OCV and its slope at one temperature) locate the row once, with the same result.
        /// </summary>
        public static float LookupBetweenRows(float[] cols, float[] table, int r, int r1, float fr, float colValue)
        {
            int hint = -1;
            return LookupBetweenRows(cols, table, r, r1, fr, colValue, ref hint);
        }

        /// <summary>
        /// <see cref="LookupBetweenRows(float[], float[], int, int, float, float)"/> with the column located from
        /// <paramref name="hint"/> (<see cref="LocateFrom"/>), which is set to the column found.
        /// </summary>
        public static float LookupBetweenRows(float[] cols, float[] table, int r, int r1, float fr, float colValue, ref int hint)
        {
            float rise;
            return LookupAndRise(cols, table, r, r1, fr, colValue, ref hint, out rise);
        }

        /// <summary>
        /// <see cref="LookupBetweenRows(float[], float[], int, int, float, float, ref int)"/> (the same number, returned)
        /// and the slope of the column interval it falls in, blended between the rows as the value is: from the four
        /// entries the value is read from, with one division. NaN for a one-column table (no interval).
        /// </summary>
        public static float LookupAndSlopeBetweenRows(float[] cols, float[] table, int r, int r1, float fr, float colValue, ref int hint, out float intervalSlope)
        {
            float rise;
            float value = LookupAndRise(cols, table, r, r1, fr, colValue, ref hint, out rise);
            intervalSlope = cols.Length < 2 ? float.NaN : rise / (cols[hint + 1] - cols[hint]);
            return value;
        }

        /// <summary>The look-up between rows, and the rise over its column interval blended between the rows the same way (0 for one column).</summary>
        private static float LookupAndRise(float[] cols, float[] table, int r, int r1, float fr, float colValue, ref int hint, out float rise)
        {
            float fc = 0;
            int c = cols.Length > 1 ? LocateFrom(cols, colValue, hint, out fc) : 0;
            hint = c;
            int nc = cols.Length;
            int c1 = cols.Length > 1 ? c + 1 : c;
            float a0 = table[r * nc + c], a1 = table[r * nc + c1], b0 = table[r1 * nc + c], b1 = table[r1 * nc + c1];
            float a = a0 + (a1 - a0) * fc;
            float b = b0 + (b1 - b0) * fc;
            float riseA = a1 - a0;
            rise = riseA + (b1 - b0 - riseA) * fr;
            return a + (b - a) * fr;
        }
    }
}
