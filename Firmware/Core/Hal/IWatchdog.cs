namespace SolidBms.Core.Hal
{
    /// <summary>Why the processor last started.</summary>
    public enum ResetCause
    {
        Unknown = 0,
        PowerOn = 1,
        Watchdog = 2,
        Software = 3,
        Brownout = 4,
        External = 5,
    }

    /// <summary>
    /// Hardware watchdog: if Feed is not called within the timeout the processor resets, and the
    /// outputs fall to their de-energised (safe) state with it.
    /// </summary>
    public interface IWatchdog
    {
        void Start(int timeoutMilliseconds);

        void Feed();

        ResetCause LastResetCause { get; }
    }
}
