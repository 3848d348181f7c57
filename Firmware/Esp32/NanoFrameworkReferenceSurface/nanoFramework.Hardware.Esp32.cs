// Compile-only surface of nanoFramework.Hardware.Esp32 1.6.37 (see README.md in this folder). Nothing here runs.
// Every line is checked against api/nanoFramework.Hardware.Esp32.api.txt by SurfaceListingTests.
namespace nanoFramework.Hardware.Esp32
{
    /// <summary>nanoframework/nanoFramework.Hardware.Esp32: nanoFramework.Hardware.Esp32/Configuration.cs @2fcc3520: public class Configuration.</summary>
    public class Configuration
    {
        /// <summary>Configuration.cs: public static void SetPinFunction(int pin, DeviceFunction value).</summary>
        public static void SetPinFunction(int pin, DeviceFunction value) { throw new System.NotSupportedException(); }
    }

    /// <summary>DeviceTypePins.cs @2eb59efa: enum DeviceFunction, values DeviceType x 0x10000 + index x 0x100 + n.</summary>
    public enum DeviceFunction
    {
        I2C1_DATA = 0x20100,
        I2C1_CLOCK = 0x20101,
        I2C2_DATA = 0x20200,
        I2C2_CLOCK = 0x20201,
        COM2_TX = 0x30200,
        COM2_RX = 0x30201,
        COM3_TX = 0x30300,
        COM3_RX = 0x30301,
    }

    /// <summary>HighResTimer.cs @2fcc3520 (read 2026-11-25): public class HighResTimer : IDisposable.</summary>
    public class HighResTimer : System.IDisposable
    {
        /// <summary>HighResTimer.cs: public static UInt64 GetCurrent() - microseconds since boot.</summary>
        public static ulong GetCurrent() { throw new System.NotSupportedException(); }

        /// <summary>HighResTimer.cs: public void Dispose().</summary>
        public void Dispose() { throw new System.NotSupportedException(); }
    }
}
