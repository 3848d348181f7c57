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
        }

        /// <summary>Window length in samples.</summary>
        public int WindowTicks { get { return _ring.Length - 1; } }

        /// <summary>Rate over the window, units per second; NaN until a full window of valid samples exists.</summary>
        public float RatePerSecond { get { return HasRate ? _rise * 1000f / _windowMs : float.NaN; } }

        /// <summary>
        /// A full window of valid samples spanning some time: the rate is a number. Then <see cref="Rise"/> over
        /// <see cref="WindowMs"/> is the rate, and of trackers with the same window the one with the larger rise has the
        /// larger rate (a reader finding the fastest of many compares rises and divides once).
        /// </summary>
        public bool HasRate { get { return _hasRate; } }

        private bool _hasRate;

        /// <summary>Value now minus value one window ago (meaningful when <see cref="HasRate"/>).</summary>
        public float Rise { get { return _rise; } }

        /// <summary>Time between those two samples, ms.</summary>
        public long WindowMs { get { return _windowMs; } }

        private float _rise;
        private long _windowMs;

        /// <summary>Adds a sample; returns <see cref="HasRate"/> after it.</summary>
        public bool Add(float value, long nowMs)
        {
#pragma warning disable CS1718
            if (value != value) // NaN, without float.IsNaN's two calls (one tracker per cell, every tick)
#pragma warning restore CS1718
            {
                _count = 0;
                _hasRate = false;
                return false;
            }
            _ring[_head] = value;
            _timeMs[_head] = nowMs;
            if (++_head == _ring.Length) _head = 0; // wrap without a division (one tracker per cell, every tick)
            if (_count < _ring.Length) _count++;
            if (_count < _ring.Length)
            {
                _hasRate = false;
                return false;
            }
            int oldest = _head; // after the wrap, the slot about to be overwritten is the oldest sample
            _windowMs = nowMs - _timeMs[oldest];
            float rise = value - _ring[oldest];
            _rise = rise;
#pragma warning disable CS1718
            _hasRate = _windowMs > 0 && rise == rise; // not NaN; the division waits for a reader
#pragma warning restore CS1718
            return _hasRate;
        }

        /// <summary>
        /// Whether this tracker's rate is above another's, both with <see cref="HasRate"/> and the same window (the
        /// supervisor's cell trackers share one length and are fed at the same instants): the larger rise, no division.
        /// </summary>
        public bool RisesFasterThan(RateTracker other)
        {
            return _rise > other._rise;
        }

        public void Reset()
        {
            _count = 0;
            _head = 0;
            _hasRate = false;
        }
    }
}
