using SolidBms.Core.Measurement;

namespace SolidBms.Drivers.Ntc
{
    /// <summary>
    /// Thermistors of one part, each an NTC from an ADC pin to ground with a pull-up to a known supply:
    /// R = Rpull * V / (Vsupply - V). The pin voltage comes through the channel's calibration, because the ESP32 ADC's
    /// full scale (about 3.1 V at 11 dB) is not its supply. Top rail = open thermistor (the pin sits at the supply, above
    /// full scale), bottom rail = short; a resistance outside the datasheet table is implausible. The whole bank is
    /// converted in one call (<see cref="Convert"/>): on the device's interpreter the two calls a thermistor this took
    /// cost more than the conversion.
    /// </summary>
    public sealed class NtcThermistor
    {
        private readonly NtcTable _table;
        private readonly float _pullupOhm;
        private readonly float _supplyMillivolts;
        private readonly float _maxOhm;
        private readonly float _minOhm;
        private readonly int[] _rowHints; // each thermistor's table rows at its last reading
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
            float pullup = _pullupOhm, supply = _supplyMillivolts, maxOhm = _maxOhm, minOhm = _minOhm;
            for (int i = 0; i < pinMillivolts.Length; i++)
            {
                SensorStatus st = pinStatus[i];
                float pin = pinMillivolts[i], ohm = float.NaN;
                if (st == SensorStatus.Ok)
                {
                    if (pin >= supply || pin <= 0f) st = pin <= 0f ? SensorStatus.Short : SensorStatus.Open;
                    else
                    {
                        ohm = pullup * pin / (supply - pin);
                        if (ohm > maxOhm || ohm < minOhm)
                        {
                            st = SensorStatus.Implausible;
                            ohm = float.NaN;
                        }
                    }
                }
                temperatureC[i] = ohm; // the resistance, where the status is Ok: the table converts it in place
                status[i] = st;
            }
            _table.TemperaturesC(temperatureC, status, _rowHints);
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
