namespace SolidBms.Core.Loop
{
    /// <summary>
    /// Fixed-period scheduling from the injected clock: says how long to wait for the next tick, and counts
    /// overruns (a tick that started a whole period late) so a stalled loop is visible, not silent.
    /// Deadlines advance by the period, not from "now", so jitter does not accumulate into drift.
    /// </summary>
    public sealed class LoopTimer
    {
        private long _nextDueMs;
        private bool _started;

        public LoopTimer(int periodMs)
        {
            PeriodMs = periodMs;
            LastTickMs = -1;
        }

        public int PeriodMs { get; private set; }

        public long TickCount { get; private set; }

        public long OverrunCount { get; private set; }

        /// <summary>Milliseconds elapsed since the previous tick (the period on the first tick).</summary>
        public int ElapsedMs { get; private set; }

        public long LastTickMs { get; private set; }

        /// <summary>How long to wait before the next tick is due (0 = now).</summary>
        public int MillisecondsUntilDue(long nowMs)
        {
            if (!_started) return 0;
            long wait = _nextDueMs - nowMs;
            return wait > 0 ? (int)wait : 0;
        }

        public bool IsDue(long nowMs) { return MillisecondsUntilDue(nowMs) == 0; }

        /// <summary>Records that a tick starts now.</summary>
        public void MarkTick(long nowMs)
        {
            if (!_started)
            {
                _started = true;
                _nextDueMs = nowMs;
                ElapsedMs = PeriodMs;
            }
            else
            {
                ElapsedMs = (int)(nowMs - LastTickMs);
            }
            if (nowMs - _nextDueMs >= PeriodMs)
            {
                // A whole period late: count it and re-anchor, rather than firing a burst of catch-up ticks.
                OverrunCount++;
                _nextDueMs = nowMs;
            }
            _nextDueMs += PeriodMs;
            LastTickMs = nowMs;
            TickCount++;
        }
    }
}
