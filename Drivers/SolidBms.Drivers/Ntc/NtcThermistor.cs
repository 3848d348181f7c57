using SolidBms.Core.Measurement;

namespace SolidBms.Drivers.Ntc
{
    /// <summary>
    /// Thermistors of one part, each an NTC from an ADC pin to ground with a pull-up to a known supply:
    /// R = Rpull * V / (Vsupply - V). The pin voltage comes through the channel's calibration, because the ESP32 ADC's
    /// full scale (about 3.1 V at 11 dB) is not its supply. Top rail = open thermistor (the pin sits at the supply, above
    /// full scale), bottom rail = short; a resistance outside the datasheet table is implausible. The whole bank is
    /// converted in one call (<see cref="Convert"/>), with no call a thermistor while it stays between two inner rows of
    /// the table (every thermistor, every tick, on the device's interpreter).
    /// </summary>
    public sealed class NtcThermistor
    {
        private readonly NtcTable _table;
        private readonly float _pullupOhm;
        private readonly float _supplyMillivolts;
        private readonly float _maxOhm;
        private readonly float _minOhm;
        private readonly int[] _rowHints; // each thermistor's table rows at its last reading
        private readonly float[] _rows; // the table's resistances, ascending
        private readonly float[] _onePin = new float[1], _oneTemperatureC = new float[1]; // TemperatureC: a bank of one
        private readonly SensorStatus[] _onePinStatus = new SensorStatus[1], _oneStatus = new SensorStatus[1];

        /// <param name="thermistors">How many thermistors <see cref="Convert"/> is given at most.</param>
        public NtcThermistor(NtcTable table, float pullupOhm, float supplyMillivolts, int thermistors)
        {
            _table = table;
            _pullupOhm = pullupOhm;
            _supplyMillivolts = supplyMillivolts;
            _maxOhm = table.Ohm(table.MinTemperatureC);
            _minOhm = table.Ohm(table.MaxTemperatureC);
            _rows = table.OhmAscending;
            if (_rows.Length < 4 || !(_rows[1] > _minOhm && _rows[_rows.Length - 2] < _maxOhm))
                throw new System.ArgumentException("a thermistor table needs 4 rows or more, its ends a row apart from the next");
            _rowHints = new int[thermistors < 1 ? 1 : thermistors];
            for (int i = 0; i < _rowHints.Length; i++) _rowHints[i] = -1;
        }

        /// <summary>
        /// A bank of thermistors in one call: each pin voltage (with its reading's status) to a temperature and status.
        /// A failed or saturated reading keeps its status, with NaN; a good one gives the temperature, or NaN with
        /// <see cref="SensorStatus.Open"/>, <see cref="SensorStatus.Short"/> or <see cref="SensorStatus.Implausible"/>.
        /// </summary>
        public void Convert(float[] pinMillivolts, SensorStatus[] pinStatus, float[] temperatureC, SensorStatus[] status)
        {
            float pullup = _pullupOhm, supply = _supplyMillivolts;
            float[] rows = _rows, temperatures = _table.TemperatureByLnOhm, slopes = _table.DegreesPerLnStep;
            int[] hints = _rowHints;
            int innerRows = rows.Length - 2;
            for (int i = 0; i < pinMillivolts.Length; i++)
            {
                SensorStatus st = pinStatus[i];
                float value = float.NaN;
                if (st == SensorStatus.Ok)
                {
                    float pin = pinMillivolts[i];
                    float ohm = pullup * pin / (supply - pin);
                    // Between the thermistor's hinted rows or the pair either side (a temperature resting on a row, as 25 C
                    // does, crosses it with the noise), neither pair at an end of the table: then the pin is inside the rails
                    // and the resistance inside the table (rows[1] is above the hot end's resistance, rows[last - 1] below
                    // the cold end's), so none of the status tests can fail, and the number is NtcTable.TemperatureC's
                    // arithmetic, written here (three calls a thermistor otherwise).
                    int r = hints[i];
                    if (r > 0 && r < innerRows)
                    {
                        if (ohm < rows[r]) r--;
                        else if (ohm >= rows[r + 1]) r++;
                    }
                    if (r > 0 && r < innerRows && rows[r] <= ohm && ohm < rows[r + 1])
                    {
                        hints[i] = r;
                        float row = rows[r];
                        float t = (ohm - row) / (ohm + row), t2 = t * t;
                        float lnRatio = 2f * t * (1f + t2 * (1f / 3f + t2 * (0.2f + t2 * (1f / 7f))));
                        value = temperatures[r] + slopes[r] * lnRatio;
                    }
                    else value = Checked(pin, ohm, i, out st);
                }
                temperatureC[i] = value;
                status[i] = st;
            }
        }

        /// <summary>The divider's and the table's tests in full, then the temperature with the thermistor's hint.</summary>
        private float Checked(float pin, float ohm, int thermistor, out SensorStatus status)
        {
            if (pin >= _supplyMillivolts || pin <= 0f)
            {
                status = pin <= 0f ? SensorStatus.Short : SensorStatus.Open;
                return float.NaN;
            }
            if (ohm > _maxOhm || ohm < _minOhm)
            {
                status = SensorStatus.Implausible;
                return float.NaN;
            }
            status = SensorStatus.Ok;
            int hint = _rowHints[thermistor];
            float c = _table.TemperatureC(ohm, ref hint);
            _rowHints[thermistor] = hint;
            return c;
        }

        /// <summary><see cref="Convert"/> of one pin voltage whose reading was good.</summary>
        public float TemperatureC(float pinMillivolts, out SensorStatus status)
        {
            _onePin[0] = pinMillivolts;
            Convert(_onePin, _onePinStatus, _oneTemperatureC, _oneStatus);
            status = _oneStatus[0];
            return _oneTemperatureC[0];
        }

        /// <summary>Pin voltage of a healthy thermistor at a temperature (for simulators and tests).</summary>
        public static float PinMillivoltsAt(NtcTable table, float pullupOhm, float supplyMillivolts, float temperatureC)
        {
            return PinMillivoltsForOhm(table.Ohm(temperatureC), pullupOhm, supplyMillivolts);
        }

        /// <summary>Pin voltage of the divider for a thermistor resistance.</summary>
        public static float PinMillivoltsForOhm(float ohm, float pullupOhm, float supplyMillivolts)
        {
            return supplyMillivolts * ohm / (ohm + pullupOhm);
        }
    }
}
