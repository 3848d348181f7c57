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
            float average = Sample(out status);
            // ToMillivolts written out: one call less a reading. Read in place: a copy of the struct into a local is a new
            // object on the device's interpreter (34 readings a tick of garbage).
            return status == SensorStatus.Ok || status == SensorStatus.Open || status == SensorStatus.Short
                ? _calibration.OffsetMillivolts + _calibration.MillivoltsPerCount * average
                : float.NaN;
        }

        /// <summary>
        /// Average counts as a fraction of full scale (for ratiometric sensors such as a thermistor divider).
        /// Status is Open at the top rail and Short at the bottom rail; callers decide what a rail means for them.
        /// </summary>
        public float ReadRatio(out SensorStatus status)
        {
            return Sample(out status) / _maxCounts; // NaN when the reading failed
        }

        /// <summary>The average counts of one reading (also kept as <see cref="LastCounts"/>, NaN if it failed) and its status.</summary>
        private float Sample(out SensorStatus status)
        {
            // One call for all the conversions (the loop is the channel's): per conversion, the interface call and its out
            // parameter cost the device's interpreter more than the conversion.
            int sum;
            if (!_channel.TryReadSum(_samples, out sum))
            {
                _lastCounts = float.NaN;
                status = SensorStatus.ReadFailed;
                return float.NaN;
            }
            // A multiply by an exact reciprocal (power of two) gives the quotient to the bit, without the division.
            float average = _inverseSamples != 0f ? sum * _inverseSamples : (float)sum / _samples;
            _lastCounts = average;
            // Within 0.5 % of a rail the converter is saturated: the true input is unknown.
            if (average >= _openCounts) status = SensorStatus.Open;
            else if (average <= _shortCounts) status = SensorStatus.Short;
            else status = SensorStatus.Ok;
            return average;
        }
    }
}
