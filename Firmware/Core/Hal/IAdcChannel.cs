namespace SolidBms.Core.Hal
{
    /// <summary>One analog input, read as raw converter counts (ESP32 ADC1: 12 bit, 0..4095).</summary>
    public interface IAdcChannel
    {
        /// <summary>Full-scale count of the converter behind this channel.</summary>
        int MaxCounts { get; }

        /// <summary>Reads one conversion. False when the converter gave no answer: never substitute a value.</summary>
        bool TryReadCounts(out int counts);

        /// <summary>
        /// Makes <paramref name="conversions"/> conversions and sums their counts: the oversampled reading in one call (on
        /// the device's interpreter an interface call costs several times the conversion it makes). False, with no partial
        /// sum, when any conversion gave no answer or a count outside 0..<see cref="MaxCounts"/>.
        /// </summary>
        bool TryReadSum(int conversions, out int sumCounts);
    }
}
