using SolidBms.Core.Config;
using SolidBms.Core.Hal;
using SolidBms.Core.Measurement;

namespace SolidBms.Drivers.Esp32Adc
{
    /// <summary>
    /// A bank of ADC channels, each read N times and averaged: the ESP32's SAR ADC has a few counts of noise, and
    /// averaging N samples cuts it by sqrt(N). Converts each average to millivolts at the pin with its channel's
    /// calibration. Any failed conversion fails that channel's reading (no partial averages), and a rail reading is
    /// reported as such. The whole bank is one call (<see cref="Read"/>): on the device's interpreter a call a reading
    /// (34 a tick on the analog board) cost more than the average and the rail test.
    /// </summary>
    public sealed class OversampledAdc
    {
        private readonly IAdcChannel[] _channels;
        private readonly float[] _offsetMillivolts, _millivoltsPerCount; // each channel's calibration, in arrays read in place
        private readonly int _samples;
        private readonly int _maxCounts; // the converter's range, one for the bank: read once, not through the interface per reading
        private readonly float _openCounts, _shortCounts; // the rail bands (0.5 % of full scale), fixed with the range
        private readonly float _inverseSamples; // 1 / samples when that is exact (a power of two), else 0: divide
        private float[] _oneMillivolts; // ReadMillivolts of a one-channel bank (null in a larger one)
        private SensorStatus[] _oneStatus;

        /// <summary>One channel (<see cref="ReadMillivolts"/>).</summary>
        public OversampledAdc(IAdcChannel channel, AdcChannelCalibration calibration, int samples)
            : this(new IAdcChannel[] { channel }, new AdcChannelCalibration[] { calibration }, samples)
        {
            _oneMillivolts = new float[1];
            _oneStatus = new SensorStatus[1];
        }

        /// <param name="channels">The bank's channels, all on one converter (one full-scale count).</param>
        /// <param name="calibrations">Each channel's calibration, in the same order.</param>
        public OversampledAdc(IAdcChannel[] channels, AdcChannelCalibration[] calibrations, int samples)
        {
            if (channels.Length != calibrations.Length) throw new System.ArgumentException("one calibration a channel");
            _channels = channels;
            _offsetMillivolts = new float[channels.Length];
            _millivoltsPerCount = new float[channels.Length];
            _maxCounts = channels.Length > 0 ? channels[0].MaxCounts : 0;
            for (int i = 0; i < channels.Length; i++)
            {
                if (channels[i].MaxCounts != _maxCounts) throw new System.ArgumentException("the channels of a bank share one converter range");
                _offsetMillivolts[i] = calibrations[i].OffsetMillivolts;
                _millivoltsPerCount[i] = calibrations[i].MillivoltsPerCount;
            }
            _samples = samples < 1 ? 1 : samples;
            _openCounts = _maxCounts * 0.995f;
            _shortCounts = _maxCounts * 0.005f;
            _inverseSamples = (_samples & (_samples - 1)) == 0 ? 1f / _samples : 0f;
        }

        /// <summary>Channels in the bank.</summary>
        public int Count { get { return _channels.Length; } }

        public int MaxCounts { get { return _maxCounts; } }

        /// <summary>
        /// Reads every channel of the bank, in order: millivolts at each pin and whether the number may be used
        /// (NaN with <see cref="SensorStatus.ReadFailed"/> where the converter gave no answer).
        /// </summary>
        public void Read(float[] millivolts, SensorStatus[] status)
        {
            // Fields in locals: each is a load per channel otherwise, on the device's interpreter.
            IAdcChannel[] channels = _channels;
            float[] offsets = _offsetMillivolts, slopes = _millivoltsPerCount;
            int samples = _samples;
            float inverse = _inverseSamples, open = _openCounts, shorted = _shortCounts;
            for (int i = 0; i < channels.Length; i++)
            {
                int sum;
                if (!channels[i].TryReadSum(samples, out sum)) // one call for all the conversions (the loop is the channel's)
                {
                    millivolts[i] = float.NaN;
                    status[i] = SensorStatus.ReadFailed;
                    continue;
                }
                // A multiply by an exact reciprocal (power of two) gives the quotient to the bit, without the division.
                float average = inverse != 0f ? sum * inverse : (float)sum / samples;
                // Within 0.5 % of a rail the converter is saturated: the true input is unknown, and the status says which rail;
                // the number is still the calibrated average.
                status[i] = average >= open ? SensorStatus.Open : average <= shorted ? SensorStatus.Short : SensorStatus.Ok;
                millivolts[i] = offsets[i] + slopes[i] * average;
            }
        }

        /// <summary>Millivolts at the pin of a one-channel bank; status says whether the number may be used.</summary>
        public float ReadMillivolts(out SensorStatus status)
        {
            if (_oneMillivolts == null) throw new System.InvalidOperationException("a bank of several channels is read with Read");
            Read(_oneMillivolts, _oneStatus);
            status = _oneStatus[0];
            return _oneMillivolts[0];
        }
    }
}
