using SolidBms.Core.Config;
using SolidBms.Core.Hal;
using SolidBms.Core.Measurement;

namespace SolidBms.Drivers.Esp32Adc
{
    /// <summary>
    /// Reads an ADC channel N times and averages: the ESP32's SAR ADC has a few counts of noise, and averaging
    /// N samples cuts it by sqrt(N). Converts the average to millivolts at the pin with the channel's calibration.
    /// Any failed conversion fails the whole reading (no partial averages), and a rail reading is reported as such.
    /// </summary>
    public sealed class OversampledAdc
    {
        private readonly IAdcChannel _channel;
        private readonly AdcChannelCalibration _calibration;
        private readonly int _samples;
        private readonly int _maxCounts; // the converter's range, fixed: read once, not through the interface per reading
        private readonly float _openCounts, _shortCounts; // the rail bands (0.5 % of full scale), fixed with the range
        private readonly float _inverseSamples; // 1 / samples when that is exact (a power of two), else 0: divide

        public OversampledAdc(IAdcChannel channel, AdcChannelCalibration calibration, int samples)
        {
            _channel = channel;
            _calibration = calibration;
            _samples = samples < 1 ? 1 : samples;
            _maxCounts = channel.MaxCounts;
            _openCounts = _maxCounts * 0.995f;
            _shortCounts = _maxCounts * 0.005f;
            _inverseSamples = (_samples & (_samples - 1)) == 0 ? 1f / _samples : 0f;
        }

        /// <summary>Counts of the last reading, averaged (NaN if it failed).</summary>
        public float LastCounts { get { return _lastCounts; } }

        private float _lastCounts; // a field: a property setter is a call on the device's interpreter, 34 readings a tick

        public int MaxCounts { get { return _maxCounts; } }

        /// <summary>Millivolts at the pin; status says whether the number may be used.</summary>
        public float ReadMillivolts(out SensorStatus status)
        {
            // The sampling is written here, not in a helper of its own: on the device's interpreter a call a reading (34 a tick
            // on the analog board) costs more than the average and the rail test.
            int sum;
            if (!_channel.TryReadSum(_samples, out sum)) // one call for all the conversions (the loop is the channel's)
            {
                _lastCounts = float.NaN;
                status = SensorStatus.ReadFailed;
                return float.NaN;
            }
            // A multiply by an exact reciprocal (power of two) gives the quotient to the bit, without the division.
            float average = _inverseSamples != 0f ? sum * _inverseSamples : (float)sum / _samples;
            _lastCounts = average;
            // Within 0.5 % of a rail the converter is saturated: the true input is unknown, and the status says which rail; the
            // number is still the calibrated average. The calibration read in place: a copy of the struct into a local is a new
            // object on the device's interpreter (34 readings a tick of garbage).
            status = average >= _openCounts ? SensorStatus.Open : average <= _shortCounts ? SensorStatus.Short : SensorStatus.Ok;
            return _calibration.OffsetMillivolts + _calibration.MillivoltsPerCount * average;
        }
    }
}
