namespace SolidBms.Core.Config
{
    /// <summary>
    /// Two-point calibration of one ADC channel: millivolts at the pin = offset + gain * counts.
    /// ESP32 ADCs differ in offset and gain from chip to chip, so each channel carries its own pair,
    /// taken with a bench supply (see Drivers/README.md).
    /// </summary>
    public struct AdcChannelCalibration
    {
        public float OffsetMillivolts;
        public float MillivoltsPerCount;

        public float ToMillivolts(float counts) { return OffsetMillivolts + MillivoltsPerCount * counts; }

        public float ToCounts(float millivolts) { return (millivolts - OffsetMillivolts) / MillivoltsPerCount; }
    }
}
