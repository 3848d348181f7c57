using SolidBms.Core.Measurement;
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

        public float MinTemperatureC { get { return _temperatureAscendingC[0]; } }

        public float MaxTemperatureC { get { return _temperatureAscendingC[_temperatureAscendingC.Length - 1]; } }

        /// <summary>
        /// Temperature for a resistance, clamped to the table's range: linear in ln R between the two rows around it
        /// (<see cref="TemperaturesC"/>, a bank of one).
        /// </summary>
        public float TemperatureC(float ohm)
        {
            _oneOhmThenC[0] = ohm;
            _oneRowHint[0] = -1;
            TemperaturesC(_oneOhmThenC, _oneStatus, _oneRowHint);
            return _oneOhmThenC[0];
        }

        private readonly float[] _oneOhmThenC = new float[1];
        private readonly SensorStatus[] _oneStatus = new SensorStatus[1]; // Ok
        private readonly int[] _oneRowHint = new int[1];

        /// <summary>
        /// Temperatures for a bank of resistances in one call (every thermistor, every tick: a call each cost the device's
        /// interpreter more than the conversion), in place: where <paramref name="status"/> is Ok, the entry holds a
        /// resistance on entry and its temperature on return, clamped to the table's range (NaN stays NaN); the other
        /// entries are left as they are. Linear in ln R between the two rows around the resistance: the rows are found by
        /// the resistance itself, tried first from the entry's <paramref name="rowHints"/> (-1: none; a thermistor's
        /// temperature stays between two rows for minutes), which are set to the pair used; the hint changes only how
        /// fast the pair is found, never the number. ln(R / R_row) by three terms of the atanh series: the ratio stays
        /// within one row step (at most 1.32 in the Murata table, |t| &lt; 0.14, series error below 1e-8 in ln R,
        /// 1e-7 C), where a general logarithm (<see cref="FastMath.Log"/>) cost more than the rest of the conversion.
        /// </summary>
        public void TemperaturesC(float[] ohmThenC, SensorStatus[] status, int[] rowHints)
        {
            float[] rows = _ohmAscending, temperatures = _temperatureByLnOhm, slopes = _degreesPerLnStep;
            int last = rows.Length - 1;
            float lowest = rows[0], highest = rows[last];
            for (int k = 0; k < ohmThenC.Length; k++)
            {
                if (status[k] != SensorStatus.Ok) continue;
                float ohm = ohmThenC[k];
                int i = rowHints[k];
                // Still between the hinted rows (nearly every reading): then it is a number within the table, and the ends'
                // tests below are not needed (at the lowest row itself the series gives that row's temperature exactly).
                if (i < 0 || i >= last || !(rows[i] <= ohm && ohm < rows[i + 1]))
                {
#pragma warning disable CS1718
                    if (ohm != ohm) continue; // NaN stays NaN, without float.IsNaN's two calls
#pragma warning restore CS1718
                    if (ohm <= lowest) { ohmThenC[k] = temperatures[0]; continue; }
                    if (ohm >= highest) { ohmThenC[k] = temperatures[last]; continue; }
                    i = Interpolation.IntervalFrom(rows, ohm, i);
                    rowHints[k] = i;
                }
                // ln(x) = 2 atanh((x - 1) / (x + 1)) with x = R / R_row; (x - 1) / (x + 1) = (R - R_row) / (R + R_row), one division.
                float row = rows[i];
                float t = (ohm - row) / (ohm + row), t2 = t * t;
                float lnRatio = 2f * t * (1f + t2 * (1f / 3f + t2 * (0.2f + t2 * (1f / 7f))));
                ohmThenC[k] = temperatures[i] + slopes[i] * lnRatio;
            }
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
