namespace SolidBms.Core.Measurement
{
    /// <summary>Why a reading may or may not be used. Anything but Ok means: the value is not a measurement.</summary>
    public enum SensorStatus : byte
    {
        Ok = 0,
        /// <summary>Not read yet since start-up.</summary>
        NoData = 1,
        /// <summary>The converter or bus gave no answer (ADC timeout, I2C NACK, CRC mismatch).</summary>
        ReadFailed = 2,
        /// <summary>Input at the top rail: an open thermistor or a broken sense wire.</summary>
        Open = 3,
        /// <summary>Input at the bottom rail: a shorted thermistor or sense line.</summary>
        Short = 4,
        /// <summary>A number the physics does not allow (e.g. a 9 V cell).</summary>
        Implausible = 5,
        /// <summary>The source stopped updating (a chip that no longer converts).</summary>
        Stale = 6,
        /// <summary>
        /// Beyond the sensor's range: the value holds the range limit with its sign, a lower bound on the
        /// magnitude (a short circuit saturates the current sensor). Not a measurement, but not silence either.
        /// </summary>
        OverRange = 7,
    }
}
