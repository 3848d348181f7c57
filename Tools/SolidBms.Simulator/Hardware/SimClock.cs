using SolidBms.Core.Hal;

namespace SolidBms.Simulator.Hardware;

/// <summary>Simulated time: advances only when the simulator says so, so a day runs in seconds.</summary>
public sealed class SimClock : IMonotonicClock
{
    public long NowMilliseconds { get; private set; }

    public void Advance(long milliseconds) => NowMilliseconds += milliseconds;
}
