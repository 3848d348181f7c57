using nanoFramework.Hardware.Esp32;
using SolidBms.Core.Hal;

namespace SolidBms.Esp32.Binding
{
    /// <summary>Milliseconds since boot from the ESP32's 64-bit microsecond timer: monotonic, unlike DateTime (SNTP may step it).</summary>
    public sealed class Esp32Clock : IMonotonicClock
    {
        public long NowMilliseconds { get { return (long)(HighResTimer.GetCurrent() / 1000UL); } }
    }
}
