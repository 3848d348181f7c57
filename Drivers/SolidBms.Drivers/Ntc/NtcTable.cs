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
            for (int i = 0; i < n; i++)
            {
                _lnOhmByTemperature[i] = (float)FastMath.Log(kiloOhm[i] * 1000.0);
                _lnOhmAscending[n - 1 - i] = _lnOhmByTemperature[i];
                _temperatureByLnOhm[n - 1 - i] = temperaturesC[i];
            }
        }

        public string Part { get; private set; }

        public float MinTemperatureC { get { return _temperatureAscendingC[0]; } }

        public float MaxTemperatureC { get { return _temperatureAscendingC[_temperatureAscendingC.Length - 1]; } }

        /// <summary>Temperature for a resistance, clamped to the table's range.</summary>
        public float TemperatureC(float ohm)
        {
            return Interpolation.Lookup(_lnOhmAscending, _temperatureByLnOhm, (float)FastMath.Log(ohm));
        }

        /// <summary>Resistance at a temperature (for simulated thermistors and tests).</summary>
        public float Ohm(float temperatureC) { return (float)FastMath.Exp(LnOhm(temperatureC)); }

        /// <summary>ln of the resistance at a temperature (the simulator exponentiates it with the host's Math.Exp).</summary>
        public float LnOhm(float temperatureC)
        {
            return Interpolation.Lookup(_temperatureAscendingC, _lnOhmByTemperature, temperatureC);
        }
    }
}
