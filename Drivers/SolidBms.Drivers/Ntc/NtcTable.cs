using SolidBms.Core.Util;

namespace SolidBms.Drivers.Ntc
{
    /// <summary>
    /// Resistance-temperature table of a real thermistor part, from its datasheet, interpolated in
    /// ln(R): ln R is close to linear in temperature between rows, linear R is not.
    /// </summary>
    public sealed class NtcTable
    {
        private readonly float[] _temperatureAscendingC;
        private readonly float[] _lnOhmByTemperature;
        private readonly float[] _lnOhmAscending;
        private readonly float[] _temperatureByLnOhm;
        private readonly float[] _ohmAscending;
        private readonly float[] _degreesPerLnStep; // per interval of _ohmAscending: dT / d(ln R)

        /// <param name="temperaturesC">Ascending temperatures.</param>
        /// <param name="kiloOhm">Resistance at each temperature (descending, as for any NTC).</param>
        public NtcTable(string part, float[] temperaturesC, float[] kiloOhm)
        {
            Part = part;
            int n = temperaturesC.Length;
            _temperatureAscendingC = temperaturesC;
            _lnOhmByTemperature = new float[n];
            _lnOhmAscending = new float[n];
            _temperatureByLnOhm = new float[n];
            _ohmAscending = new float[n];
            _degreesPerLnStep = new float[n];
            for (int i = 0; i < n; i++)
            {
                _lnOhmByTemperature[i] = (float)FastMath.Log(kiloOhm[i] * 1000.0);
                _lnOhmAscending[n - 1 - i] = _lnOhmByTemperature[i];
                _temperatureByLnOhm[n - 1 - i] = temperaturesC[i];
                _ohmAscending[n - 1 - i] = kiloOhm[i] * 1000f;
            }
            for (int i = 0; i + 1 < n; i++)
                _degreesPerLnStep[i] = (_temperatureByLnOhm[i + 1] - _temperatureByLnOhm[i]) / (_lnOhmAscending[i + 1] - _lnOhmAscending[i]);
        }

        public string Part { get; private set; }

        // For NtcThermistor.Convert, which does TemperatureC's arithmetic inline for a bank (every thermistor, every tick).
        internal float[] OhmAscending { get { return _ohmAscending; } }
        internal float[] TemperatureByLnOhm { get { return _temperatureByLnOhm; } }
        internal float[] DegreesPerLnStep { get { return _degreesPerLnStep; } }

        public float MinTemperatureC { get { return _temperatureAscendingC[0]; } }

        public float MaxTemperatureC { get { return _temperatureAscendingC[_temperatureAscendingC.Length - 1]; } }

        /// <summary>
        /// Temperature for a resistance, clamped to the table's range: linear in ln R between the two rows around it.
        /// The rows are found by the resistance itself, and ln(R / R_row) by three terms of the atanh series: the ratio
        /// stays within one row step (at most 1.32 in the Murata table, |t| &lt; 0.14, series error below 1e-8 in ln R,
        /// 1e-7 C), where a general logarithm (<see cref="FastMath.Log"/>) of every thermistor each tick cost more than
        /// the rest of the conversion.
        /// </summary>
        public float TemperatureC(float ohm)
        {
            int hint = -1;
            return TemperatureC(ohm, ref hint);
        }

        /// <summary>
        /// <see cref="TemperatureC(float)"/> with the row pair tried from the caller's <paramref name="rowHint"/> first
        /// (one per thermistor: its temperature stays between two rows for minutes), which is set to the pair used.
        /// </summary>
        public float TemperatureC(float ohm, ref int rowHint)
        {
#pragma warning disable CS1718
            if (ohm != ohm) return float.NaN; // NaN, without float.IsNaN's two calls (every thermistor, every tick)
#pragma warning restore CS1718
            int last = _ohmAscending.Length - 1;
            if (ohm <= _ohmAscending[0]) return _temperatureByLnOhm[0];
            if (ohm >= _ohmAscending[last]) return _temperatureByLnOhm[last];
            float[] rows = _ohmAscending;
            int i = rowHint;
            // Still between the hinted rows (a thermistor's temperature stays there for minutes): no search, and none of its
            // calls (IntervalFrom tries the hint first too, two calls deep on the device's interpreter, every thermistor, every tick).
            if (i < 0 || i >= last || !(rows[i] <= ohm && ohm < rows[i + 1]))
            {
                i = Interpolation.IntervalFrom(rows, ohm, rowHint);
                rowHint = i;
            }
            // ln(x) = 2 atanh((x - 1) / (x + 1)) with x = R / R_row; (x - 1) / (x + 1) = (R - R_row) / (R + R_row), one division.
            float row = rows[i];
            float t = (ohm - row) / (ohm + row), t2 = t * t;
            float lnRatio = 2f * t * (1f + t2 * (1f / 3f + t2 * (0.2f + t2 * (1f / 7f))));
            return _temperatureByLnOhm[i] + _degreesPerLnStep[i] * lnRatio;
        }

        /// <summary>Resistance at a temperature (for simulated thermistors and tests).</summary>
        public float Ohm(float temperatureC) { return (float)FastMath.Exp(LnOhm(temperatureC)); }

        /// <summary>ln of the resistance at a temperature (the simulator exponentiates it with the host's Math.Exp).</summary>
        public float LnOhm(float temperatureC)
        {
            return Interpolation.Lookup(_temperatureAscendingC, _lnOhmByTemperature, temperatureC);
        }

        /// <summary><see cref="LnOhm(float)"/> with the rows tried from the caller's hint first (the same number).</summary>
        public float LnOhm(float temperatureC, ref int rowHint)
        {
            float f;
            int i = Interpolation.LocateFrom(_temperatureAscendingC, temperatureC, rowHint, out f);
            rowHint = i;
            return Interpolation.Between(_lnOhmByTemperature, i, f);
        }
    }
}
