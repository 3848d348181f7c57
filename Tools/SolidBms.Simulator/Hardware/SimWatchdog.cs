using SolidBms.Core.Hal;

namespace SolidBms.Simulator.Hardware;

/// <summary>
/// The host's stand-in for the ESP32 hardware watchdog: if the loop stops feeding it for longer than the
/// timeout, it "resets" the board, which de-energises every output, and records the cause.
/// </summary>
public sealed class SimWatchdog : IWatchdog
{
    private readonly IMonotonicClock _clock;
    private long _lastFeedMs;

    public SimWatchdog(IMonotonicClock clock) => _clock = clock;

    public int TimeoutMs { get; private set; }
    public bool Running { get; private set; }
    public int Expiries { get; private set; }
    public ResetCause LastResetCause { get; private set; } = ResetCause.PowerOn;

    public void Start(int timeoutMilliseconds)
    {
        TimeoutMs = timeoutMilliseconds;
        Running = true;
        _lastFeedMs = _clock.NowMilliseconds;
    }

    public void Feed() => _lastFeedMs = _clock.NowMilliseconds;

    /// <summary>Called by the simulator each step; true when the watchdog fires (the caller resets the outputs).</summary>
    public bool CheckExpired()
    {
        if (!Running || _clock.NowMilliseconds - _lastFeedMs <= TimeoutMs) return false;
        Expiries++;
        LastResetCause = ResetCause.Watchdog;
        _lastFeedMs = _clock.NowMilliseconds;
        return true;
    }
}
