using SolidBms.Core.Measurement;

namespace SolidBms.Drivers.Ntc
{
    /// <summary>
    /// Thermistors of one part, each an NTC from an ADC pin to ground with a pull-up to a known supply:
    /// R = Rpull * V / (Vsupply - V). The pin voltage comes through the channel's calibration, because the ESP32 ADC's
    /// full scale (about 3.1 V at 11 dB) is not its supply. Top rail = open thermistor (the pin sits at the supply, above
    /// full scale), bottom rail = short; a resistance outside the datasheet table is implausible.
    /// <para>
    /// The datasheet table is interpolated in ln R (<see cref="TemperatureC"/>). Every tick, every thermistor, that cost
    /// a division, the row search and a series for the logarithm; <see cref="Convert"/> reads instead a table of
    /// temperature against pin voltage computed from it at start-up (<see cref="TableIntervals"/> steps of about 12 mV,
    /// linear between them): with the boards' 10 kOhm from 3.3 V, within 0.012 C of it from -40 to 100 C and 0.05 C above
    /// (where the datasheet's 5 C rows are fewest millivolts apart), half the frame's 0.1 C or less (NtcThermistorTests). Within a step of the
    /// table's ends the conversion is the datasheet's own, so the statuses at the edges are unchanged.
    /// </para>
    /// </summary>
    public sealed class NtcThermistor
    {
        /// <summary>Steps of the start-up table between the pin voltages of the datasheet's ends.</summary>
        public const int TableIntervals = 256;

        private readonly NtcTable _table;
        private readonly float _pullupOhm;
        private readonly float _supplyMillivolts;
        private readonly float _maxOhm;
        private readonly float _minOhm;
        private readonly float[] _temperatureAtStepC; // TableIntervals + 1 nodes from _firstStepMillivolts up
        private readonly float _firstStepMillivolts, _stepsPerMillivolt;
        private readonly float _tableLowMillivolts, _tableHighMillivolts; // the table is read strictly between these

        public NtcThermistor(NtcTable table, float pullupOhm, float supplyMillivolts)
        {
            _table = table;
            _pullupOhm = pullupOhm;
            _supplyMillivolts = supplyMillivolts;
            _maxOhm = table.Ohm(table.MinTemperatureC);
            _minOhm = table.Ohm(table.MaxTemperatureC);
            // The pin voltages of the datasheet's hot and cold ends; the nodes between them from the datasheet conversion.
            float low = PinMillivoltsForOhm(_minOhm, pullupOhm, supplyMillivolts);
            float high = PinMillivoltsForOhm(_maxOhm, pullupOhm, supplyMillivolts);
            float step = (high - low) / TableIntervals;
            _firstStepMillivolts = low;
            _stepsPerMillivolt = 1f / step;
            _temperatureAtStepC = new float[TableIntervals + 1];
            for (int k = 0; k <= TableIntervals; k++)
            {
                float pin = k == TableIntervals ? high : low + k * step;
                _temperatureAtStepC[k] = table.TemperatureC(pullupOhm * pin / (supplyMillivolts - pin));
            }
            // A whole step inside the ends: there the resistance is certainly within the table, whatever the rounding.
            _tableLowMillivolts = low + step;
            _tableHighMillivolts = high - step;
        }

        /// <summary>
        /// The datasheet conversion of one pin voltage whose reading was good: the temperature, or NaN with
        /// <see cref="SensorStatus.Open"/>, <see cref="SensorStatus.Short"/> or <see cref="SensorStatus.Implausible"/>.
        /// </summary>
        public float TemperatureC(float pinMillivolts, out SensorStatus status)
        {
            float pin = pinMillivolts;
            if (pin >= _supplyMillivolts || pin <= 0f)
            {
                status = pin <= 0f ? SensorStatus.Short : SensorStatus.Open;
                return float.NaN;
            }
            float ohm = _pullupOhm * pin / (_supplyMillivolts - pin);
            if (ohm > _maxOhm || ohm < _minOhm)
            {
                status = SensorStatus.Implausible;
                return float.NaN;
            }
            status = SensorStatus.Ok;
            return _table.TemperatureC(ohm);
        }

        /// <summary>
        /// A bank of thermistors in one call: each pin voltage (with its reading's status) to a temperature and status.
        /// A failed or saturated reading keeps its status, with NaN.
        /// </summary>
        public void Convert(float[] pinMillivolts, SensorStatus[] pinStatus, float[] temperatureC, SensorStatus[] status)
        {
            float[] nodes = _temperatureAtStepC;
            float first = _firstStepMillivolts, perMillivolt = _stepsPerMillivolt, low = _tableLowMillivolts, high = _tableHighMillivolts;
            for (int i = 0; i < pinMillivolts.Length; i++)
            {
                SensorStatus st = pinStatus[i];
                float pin = pinMillivolts[i];
                if (st != SensorStatus.Ok) temperatureC[i] = float.NaN;
                else if (pin > low && pin < high)
                {
                    float x = (pin - first) * perMillivolt;
                    int k = (int)x;
                    float below = nodes[k];
                    temperatureC[i] = below + (nodes[k + 1] - below) * (x - k);
                }
                else temperatureC[i] = TemperatureC(pin, out st); // at the table's ends and beyond: the datasheet's own
                status[i] = st;
            }
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
