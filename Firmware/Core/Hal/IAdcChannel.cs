namespace SolidBms.Core.Hal
{
    /// <summary>One analog input, read as raw converter counts (ESP32 ADC1: 12 bit, 0..4095).</summary>
    public interface IAdcChannel
    {
        /// <summary>Full-scale count of the converter behind this channel.</summary>
        int MaxCounts { get; }

        /// <summary>Reads one conversion. False when the converter gave no answer: never substitute a value.</summary>
        bool TryReadCounts(out int counts);
    }
}
