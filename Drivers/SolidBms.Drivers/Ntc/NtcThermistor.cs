using SolidBms.Core.Measurement;
using SolidBms.Drivers.Esp32Adc;

namespace SolidBms.Drivers.Ntc
{
    /// <summary>
    /// An NTC from the ADC pin to ground with a pull-up to a known supply: R = Rpull * V / (Vsupply - V).
    /// The pin voltage comes through the channel's calibration, because the ESP32 ADC's full scale
    /// (about 3.1 V at 11 dB) is not its supply. Top rail = open thermistor (the pin sits at the supply, above
    /// full scale), bottom rail = short; a resistance outside the datasheet table is implausible.
    /// </summary>
    public sealed class NtcThermistor
    {
        private readonly OversampledAdc _adc;
        private readonly NtcTable _table;
        private readonly float _pullupOhm;
        private readonly float _supplyMillivolts;
        private readonly float _maxOhm;
        private readonly float _minOhm;
        private int _rowHint = -1; // the table rows around this thermistor's last reading

        public NtcThermistor(OversampledAdc adc, NtcTable table, float pullupOhm, float supplyMillivolts)
        {
            _adc = adc;
            _table = table;
            _pullupOhm = pullupOhm;
            _supplyMillivolts = supplyMillivolts;
            _maxOhm = table.Ohm(table.MinTemperatureC);
            _minOhm = table.Ohm(table.MaxTemperatureC);
        }

        public float ReadTemperatureC(out SensorStatus status)
        {
            float pin = _adc.ReadMillivolts(out status);
            if (status != SensorStatus.Ok) return float.NaN;
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
            return _table.TemperatureC(ohm, ref _rowHint);
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
