namespace SolidBms.Core.Hal
{
    /// <summary>
    /// Time since start-up in milliseconds, never going backwards. Injected so the simulator can run the
    /// loop faster than real time; on the device it is the runtime's tick counter.
    /// </summary>
    public interface IMonotonicClock
    {
        long NowMilliseconds { get; }
    }
}
