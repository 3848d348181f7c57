using SolidBms.Core.Measurement;

namespace SolidBms.Core.Safety
{
    /// <summary>
    /// Rate of change of one or more signals over a fixed window (value now minus value one window ago): a window
    /// rather than tick-to-tick differences, so sensor noise does not look like swelling. The signals of one tracker
    /// (every cell's temperature, every stack's pressure) are sampled at the same instants, so they share one ring of
    /// sample times and one write position, and their values sit in one float array: on the ESP32's heap a 30 s window
    /// of 16 cells is 21 KiB this way, where a ring of values and of times per cell took 56 KiB.
    /// The ring is sized once; an invalid sample restarts that signal's window instead of bridging the gap.
    /// </summary>
    public sealed class RateTracker
    {
        private readonly int _signals;
        private readonly int _slots;      // window + 1 samples
        private readonly float[] _ring;   // sample k of signal s at [k * _signals + s]
        private readonly long[] _timeMs;  // sample k's time, shared by every signal
        private readonly int[] _count;    // consecutive valid samples per signal, at most _slots
        private readonly float[] _rise;   // value now minus one window ago per signal; NaN: no rate
        private int _head;
        private long _windowMs;
        private float _fastestRise = float.NaN, _largestRise = float.NaN;

        /// <summary>One signal (<see cref="Add(float, long)"/>, <see cref="RatePerSecond"/>).</summary>
        public RateTracker(int windowTicks) : this(windowTicks, 1) { }

        /// <summary><paramref name="signals"/> signals sampled together (<see cref="Add(float[], SensorStatus[], long)"/>).</summary>
        public RateTracker(int windowTicks, int signals)
        {
            _signals = signals;
            _slots = windowTicks + 1;
            _ring = new float[_slots * signals];
            _timeMs = new long[_slots];
            _count = new int[signals];
            _rise = new float[signals];
            for (int s = 0; s < signals; s++) _rise[s] = float.NaN;
        }

        /// <summary>Window length in samples.</summary>
        public int WindowTicks { get { return _slots - 1; } }

        /// <summary>The first signal's rate over the window, units per second; NaN until a full window of valid samples exists.</summary>
        public float RatePerSecond { get { return HasRate ? _rise[0] * 1000f / _windowMs : float.NaN; } }

        /// <summary>
        /// The first signal has a full window of valid samples spanning some time: the rate is a number. Then
        /// <see cref="Rise"/> over <see cref="WindowMs"/> is the rate.
        /// </summary>
        public bool HasRate
        {
            get
            {
                float r = _rise[0];
#pragma warning disable CS1718
                return r == r; // not NaN
#pragma warning restore CS1718
            }
        }

        /// <summary>The first signal's value now minus its value one window ago (meaningful when <see cref="HasRate"/>).</summary>
        public float Rise { get { return _rise[0]; } }

        /// <summary>Time between the newest sample and the one a window before it, ms (every signal's window).</summary>
        public long WindowMs { get { return _windowMs; } }

        /// <summary>
        /// Of the signals with a rate after the last <see cref="Add(float[], SensorStatus[], long)"/>, the largest rate
        /// (the fastest riser), units per second; NaN when none has one. The signals' windows span the same time, so
        /// the largest rise is the largest rate: one division.
        /// </summary>
        public float FastestRisePerSecond { get { return _fastestRise * 1000f / _windowMs; } }

        /// <summary>The same for the largest rate of either sign, as a magnitude.</summary>
        public float LargestRatePerSecond { get { return _largestRise * 1000f / _windowMs; } }

        /// <summary>Adds a sample of the one signal (NaN: invalid); returns <see cref="HasRate"/> after it.</summary>
        public bool Add(float value, long nowMs)
        {
            int at = Begin(nowMs);
            Take(0, value, at);
            End();
            return HasRate;
        }

        /// <summary>Adds a sample of every signal: <paramref name="values"/>[s], valid while <paramref name="status"/>[s] is Ok.</summary>
        public void Add(float[] values, SensorStatus[] status, long nowMs)
        {
            int at = Begin(nowMs);
            for (int s = 0; s < _signals; s++) Take(s, status[s] == SensorStatus.Ok ? values[s] : float.NaN, at);
            End();
        }

        /// <summary>The slot this instant's samples go to (its time stored); the window's span once the ring is full.</summary>
        private int Begin(long nowMs)
        {
            int at = _head;
            _timeMs[at] = nowMs;
            int oldest = at + 1 == _slots ? 0 : at + 1; // the slot about to be overwritten holds the sample a window ago
            _windowMs = nowMs - _timeMs[oldest];
            _fastestRise = _largestRise = float.NaN;
            return at;
        }

        private void End()
        {
            if (++_head == _slots) _head = 0; // wrap without a division (every tick)
        }

        private void Take(int s, float value, int at)
        {
#pragma warning disable CS1718
            if (value != value) // NaN, without float.IsNaN's two calls (one signal per cell, every tick)
            {
                _count[s] = 0;
                _rise[s] = float.NaN;
                return;
            }
            int n = _signals;
            _ring[at * n + s] = value;
            int count = _count[s];
            if (count < _slots) _count[s] = ++count;
            if (count < _slots || _windowMs <= 0)
            {
                _rise[s] = float.NaN;
                return;
            }
            int oldest = at + 1 == _slots ? 0 : at + 1;
            float rise = value - _ring[oldest * n + s];
            _rise[s] = rise; // NaN (infinity less infinity): no rate
            if (rise != rise) return;
            if (!(rise <= _fastestRise)) _fastestRise = rise; // the first number, or a larger one
            float magnitude = rise < 0f ? -rise : rise;
            if (!(magnitude <= _largestRise)) _largestRise = magnitude;
#pragma warning restore CS1718
        }

        /// <summary>Every signal starts a new window.</summary>
        public void Reset()
        {
            for (int s = 0; s < _signals; s++)
            {
                _count[s] = 0;
                _rise[s] = float.NaN;
            }
            _fastestRise = _largestRise = float.NaN;
        }
    }
}
