using SolidBms.Core.Hal;
using SolidBms.Core.Loop;

namespace SolidBms.NanoBench.Fakes
{
    /// <summary>The loop's clock, moved by the bench: one board tick per loop pass, so the controller sees a steady 100 ms loop.</summary>
    public sealed class BenchClock : IMonotonicClock
    {
        public long Now;

        public long NowMilliseconds { get { return Now; } }
    }

    /// <summary>An output pin: remembers what it was told (the contactor, enable lines, alarm, bleed switches).</summary>
    public sealed class FakeOutput : IDigitalOutput
    {
        private bool _state;

        public void Write(bool energised) { _state = energised; }

        public bool State { get { return _state; } }
    }

    /// <summary>
    /// A UART that takes every byte and receives none: the telemetry and Modbus ports of a rig nobody talks to.
    /// Bytes are counted, not kept (the real port hands them to the native driver).
    /// </summary>
    public sealed class FakeSerialPort : ISerialPort
    {
        public long BytesWritten;

        public int Read(byte[] buffer, int offset, int count) { return 0; }

        public int Write(byte[] buffer, int offset, int count)
        {
            BytesWritten += count;
            return count;
        }
    }

    /// <summary>The watchdog: counts feeds, never resets.</summary>
    public sealed class FakeWatchdog : IWatchdog
    {
        public long Feeds;

        public void Start(int timeoutMilliseconds) { }

        public void Feed() { Feeds++; }

        public ResetCause LastResetCause { get { return ResetCause.PowerOn; } }
    }

    /// <summary>
    /// The event log's flash, always erased: reads give 0xFF, writes and erases are counted and dropped. The device keeps
    /// the log in a file on its own flash, outside the managed heap; a RAM copy here would add 64 KiB the ESP32 does not spend.
    /// </summary>
    public sealed class ErasedFlash : INonVolatileStorage
    {
        private readonly int _size, _block;
        public long Writes, Erases;

        public ErasedFlash(int sizeBytes, int blockSizeBytes)
        {
            _size = sizeBytes;
            _block = blockSizeBytes;
        }

        public int SizeBytes { get { return _size; } }

        public int BlockSizeBytes { get { return _block; } }

        public void Read(int address, byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++) buffer[offset + i] = 0xFF;
        }

        public void Write(int address, byte[] buffer, int offset, int count) { Writes++; }

        public void EraseBlock(int blockIndex) { Erases++; }
    }

    /// <summary>
    /// The stage timer of the bench: the interpreter's wall clock in 100 ns ticks (DateTime.UtcNow), the only clock the
    /// posix host has. On the ESP32 the on-device test uses the microsecond HighResTimer instead.
    /// </summary>
    public sealed class WallStageTimer : IStageTimer
    {
        public long NowTicks() { return System.DateTime.UtcNow.Ticks; }
    }
}
