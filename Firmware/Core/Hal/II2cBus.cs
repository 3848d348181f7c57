namespace SolidBms.Core.Hal
{
    /// <summary>
    /// One I2C controller with its pins: hands out a device per 7-bit address and can try to free a hung bus.
    /// The ESP32 binding and the simulator each provide one; drivers only ever see <see cref="II2cDevice"/>.
    /// </summary>
    public interface II2cBus
    {
        II2cDevice Open(int address);

        /// <summary>
        /// Tries to free the bus after repeated failures (a target holding SDA low, a controller stuck mid-transfer).
        /// Returns false when the platform cannot recover by itself. Callers count every attempt.
        /// </summary>
        bool Recover();
    }
}
