using System;
using System.IO;
using System.Threading;
using nanoFramework.Runtime.Native;
using SolidBms.Core.Hal;

namespace SolidBms.Esp32.Binding
{
    /// <summary>Forces every output to its de-energised state (called by the watchdog before it reboots).</summary>
    public delegate void SafeStateAction();

    /// <summary>
    /// A SOFTWARE watchdog - not a hardware one. nanoFramework 1.x exposes no managed hardware watchdog on ESP32
    /// (the ESP-IDF task watchdog is a firmware build setting, not reachable from C#). This one is a
    /// highest-priority thread that checks every quarter timeout whether the control loop has fed it; if not,
    /// it de-energises all outputs, leaves a marker file on the internal flash drive and reboots through
    /// Power.RebootDevice. It catches a loop that stops or hangs in managed code. It does NOT catch a hang of the
    /// nanoCLR interpreter itself or of native code (then no managed thread runs): that needs the ESP-IDF task
    /// watchdog enabled in the firmware image, and outputs whose drivers fall safe on their own (pull-downs on
    /// the MOSFET gates), as board/README.md requires.
    /// </summary>
    public sealed class SoftwareWatchdog : IWatchdog
    {
        public const string MarkerPath = "I:\\bms-watchdog.flag";

        private readonly IMonotonicClock _clock;
        private readonly SafeStateAction _forceSafe;
        private readonly object _sync = new object();
        private long _lastFeedMs;
        private int _timeoutMs;
        private Thread _thread;

        public SoftwareWatchdog(IMonotonicClock clock, SafeStateAction forceSafe)
        {
            _clock = clock;
            _forceSafe = forceSafe;
            LastResetCause = ReadAndClearMarker();
        }

        public ResetCause LastResetCause { get; private set; }

        public void Start(int timeoutMilliseconds)
        {
            lock (_sync)
            {
                _timeoutMs = timeoutMilliseconds;
                _lastFeedMs = _clock.NowMilliseconds;
            }
            if (_thread != null) return;
            _thread = new Thread(Watch);
            _thread.Priority = ThreadPriority.Highest;
            _thread.Start();
        }

        public void Feed()
        {
            long now = _clock.NowMilliseconds;
            lock (_sync) _lastFeedMs = now;
        }

        private void Watch()
        {
            while (true)
            {
                int timeout;
                long last;
                lock (_sync)
                {
                    timeout = _timeoutMs;
                    last = _lastFeedMs;
                }
                Thread.Sleep(timeout / 4 > 10 ? timeout / 4 : 10);
                lock (_sync) last = _lastFeedMs;
                if (_clock.NowMilliseconds - last > timeout) Expire();
            }
        }

        private void Expire()
        {
            try { _forceSafe(); } catch (Exception) { }
            try { File.Create(MarkerPath).Dispose(); } catch (Exception) { }
            Power.RebootDevice(200);
        }

        private static ResetCause ReadAndClearMarker()
        {
            try
            {
                if (!File.Exists(MarkerPath)) return ResetCause.Unknown;
                File.Delete(MarkerPath);
                return ResetCause.Watchdog;
            }
            catch (Exception)
            {
                return ResetCause.Unknown;
            }
        }
    }
}
