namespace SolidBms.Core.Safety
{
    /// <summary>
    /// Rate of change of one signal over a fixed window (value now minus value one window ago): a window
    /// rather than tick-to-tick differences, so sensor noise does not look like swelling.
    /// The ring is sized once; an invalid sample restarts the window instead of bridging the gap.
    /// </summary>
    public sealed class RateTracker
    {
        private readonly float[] _ring;
        private readonly long[] _timeMs;
        private int _head;
        private int _count;

        public RateTracker(int windowTicks)
        {
            _ring = new float[windowTicks + 1];
            _timeMs = new long[windowTicks + 1];
            RatePerSecond = float.NaN;
        }

        /// <summary>Window length in samples.</summary>
        public int WindowTicks { get { return _ring.Length - 1; } }

        /// <summary>Rate over the window, units per second; NaN until a full window of valid samples exists.</summary>
        public float RatePerSecond { get; private set; }

        public void Add(float value, long nowMs)
        {
            if (float.IsNaN(value))
            {
                _count = 0;
                RatePerSecond = float.NaN;
                return;
            }
            _ring[_head] = value;
            _timeMs[_head] = nowMs;
            if (++_head == _ring.Length) _head = 0; // wrap without a division (one tracker per cell, every tick)
            if (_count < _ring.Length) _count++;
            if (_count < _ring.Length)
            {
                RatePerSecond = float.NaN;
                return;
            }
            int oldest = _head; // after the wrap, the slot about to be overwritten is the oldest sample
            long dt = nowMs - _timeMs[oldest];
            RatePerSecond = dt > 0 ? (value - _ring[oldest]) * 1000f / dt : float.NaN;
        }

        public void Reset()
        {
            _count = 0;
            _head = 0;
            RatePerSecond = float.NaN;
        }
    }
}
