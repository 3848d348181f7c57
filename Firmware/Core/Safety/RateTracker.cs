using SolidBms.Core.Measurement;

namespace SolidBms.Core.Safety
{
    /// <summary>
    /// Rate of change of one or more signals over a fixed window (value now minus value one window ago): a window
    /// rather than tick-to-tick differences, so sensor noise does not look like swelling. The signals of one tracker
    /// (every cell's temperature, every stack's pressure) are sampled at the same instants, so they share one ring of
    /// sample times and one write position, and their values sit in one array.
    /// The ring is sized once; an invalid sample restarts that signal's window instead of bridging the gap.
    /// </summary>
    /// <remarks>
    /// Heap on the ESP32 (12-byte heap blocks, array elements at their own size): a 30 s window of 16 cells is 301 x 16
    /// samples, 19 KiB as floats. A tracker made with a unit keeps each sample as its step from the one before in
    /// counts of the unit, one signed byte (4.7 KiB), and each signal's value a window ago as a running sum of those
    /// steps: that value is known to half a count, the newest exactly, so a rise is within half a count of the exact
    /// one. A step beyond 127 counts is stored as 127 and the rest carried into the next steps (the kept history
    /// follows a jump at 127 counts a sample): the value a window ago then lags the jump, which makes a rise across
    /// it look larger, a fall smaller. Sample times are kept as their low 32 bits: a difference of two is exact up
    /// to 24 days.
    /// </remarks>
    public sealed class RateTracker
    {
        /// <summary>The largest step a byte holds, and the counts a value is held within (an infinity is held there too).</summary>
        private const int MaxStep = 127, MaxCount = 1000000000;

        private readonly int _signals;
        private readonly int _slots;       // window + 1 samples
        private readonly float[] _ring;    // exact: sample k of signal s at [k * _signals + s]; null when counted
        private readonly sbyte[] _steps;   // the same as steps in counts of _unit from the sample before; null when exact
        private readonly int[] _newestCount, _oldestCount; // per signal: the newest and the oldest kept sample, counts
        private readonly float _unit, _countsPerUnit;
        private readonly int[] _timeMs;    // sample k's time (low 32 bits), shared by every signal
        private readonly int[] _valid;     // consecutive valid samples per signal, at most _slots
        private readonly float[] _rise;    // value now minus one window ago per signal; NaN: no rate
        private readonly float[] _one;     // the single-signal Add's sample
        private static readonly SensorStatus[] OneOk = { SensorStatus.Ok };
        private int _head;
        private long _windowMs;
        private float _fastestRise = float.NaN, _largestRise = float.NaN;

        /// <summary>One signal, kept exactly (<see cref="Add(float, long)"/>, <see cref="RatePerSecond"/>).</summary>
        public RateTracker(int windowTicks) : this(windowTicks, 1) { }

        /// <summary><paramref name="signals"/> signals sampled together (<see cref="Add(float[], SensorStatus[], long)"/>), kept exactly.</summary>
        public RateTracker(int windowTicks, int signals) : this(windowTicks, signals, 0f) { }

        /// <summary>
        /// With <paramref name="unit"/> above 0, samples are kept as steps in counts of it, a byte each (a rise within
        /// half a unit while no sample steps more than 127 units from the one before; see the remarks).
        /// </summary>
        public RateTracker(int windowTicks, int signals, float unit)
        {
            _signals = signals;
            _slots = windowTicks + 1;
            if (unit > 0f)
            {
                _steps = new sbyte[_slots * signals];
                _newestCount = new int[signals];
                _oldestCount = new int[signals];
                _unit = unit;
                _countsPerUnit = 1f / unit;
            }
            else _ring = new float[_slots * signals];
            _timeMs = new int[_slots];
            _valid = new int[signals];
            _rise = new float[signals];
            if (signals == 1) _one = new float[1];
            for (int s = 0; s < signals; s++) _rise[s] = float.NaN;
        }

        /// <summary>Window length in samples.</summary>
        public int WindowTicks { get { return _slots - 1; } }

        /// <summary>The first signal's rate over the window, units per second; NaN until a full window of valid samples exists.</summary>
        public float RatePerSecond { get { return _rise[0] * 1000f / _windowMs; } } // NaN exactly when there is no rate

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
            _one[0] = value;
            Add(_one, OneOk, nowMs);
            return HasRate;
        }

        /// <summary>Adds a sample of every signal: <paramref name="values"/>[s], valid while <paramref name="status"/>[s] is Ok.</summary>
        public void Add(float[] values, SensorStatus[] status, long nowMs)
        {
            int at = _head, slots = _slots, n = _signals;
            int[] times = _timeMs;
            int now32 = unchecked((int)nowMs);
            times[at] = now32;
            int oldest = at + 1 == slots ? 0 : at + 1; // the slot about to be overwritten holds the sample a window ago
            long windowMs = unchecked(now32 - times[oldest]);
            _windowMs = windowMs;
            _head = oldest; // wrap without a division (every tick)
            // The signals in one loop here, not a call each (the interpreter charges a full call a signal: 16 a tick).
            float[] ring = _ring;
            sbyte[] steps = _steps;
            int[] newestCount = _newestCount, oldestCount = _oldestCount;
            int[] valid = _valid;
            float[] rises = _rise;
            float perUnit = _countsPerUnit, unit = _unit;
            int atBase = at * n, oldBase = oldest * n;
            float fastest = float.NaN, largest = float.NaN;
#pragma warning disable CS1718
            for (int s = 0; s < n; s++)
            {
                float value = status[s] == SensorStatus.Ok ? values[s] : float.NaN;
                if (value != value) // NaN, without float.IsNaN's two calls
                {
                    valid[s] = 0;
                    rises[s] = float.NaN;
                    continue;
                }
                int count = valid[s];
                float old = 0f;
                if (ring != null)
                {
                    ring[atBase + s] = value;
                    old = ring[oldBase + s];
                }
                else
                {
                    float scaled = value * perUnit;
                    // Stryker disable once Equality : at each edge both sides give the same count (0 at 0, the clamp at the clamp)
                    int q = scaled >= 0f ? (scaled < MaxCount ? (int)(scaled + 0.5f) : MaxCount)
                        : (scaled > -MaxCount ? -(int)(0.5f - scaled) : -MaxCount);
                    if (count == 0)
                    {
                        // A new run: its first sample is both ends of what is kept.
                        steps[atBase + s] = 0;
                        newestCount[s] = oldestCount[s] = q;
                    }
                    else
                    {
                        int step = q - newestCount[s];
                        // Stryker disable once Equality : at exactly the largest step (either sign) both keep it
                        if (step > MaxStep) step = MaxStep;
                        else if (step < -MaxStep) step = -MaxStep;
                        steps[atBase + s] = (sbyte)step;
                        newestCount[s] += step;
                        // A full window already: the oldest kept sample moves on to the next, one step later.
                        if (count == slots) oldestCount[s] += steps[oldBase + s];
                    }
                    old = oldestCount[s] * unit;
                }
                if (count < slots) valid[s] = ++count;
                if (count < slots || windowMs <= 0)
                {
                    rises[s] = float.NaN;
                    continue;
                }
                float rise = value - old;
                rises[s] = rise; // NaN (infinity less infinity): no rate
                if (rise != rise) continue;
                // Stryker disable once Equality : an equal rise leaves the same number
                if (!(rise <= fastest)) fastest = rise; // the first number, or a larger one
                float magnitude = rise < 0f ? -rise : rise;
                // Stryker disable once Equality : an equal magnitude leaves the same number
                if (!(magnitude <= largest)) largest = magnitude;
            }
#pragma warning restore CS1718
            _fastestRise = fastest;
            _largestRise = largest;
        }

        /// <summary>Every signal starts a new window.</summary>
        public void Reset()
        {
            for (int s = 0; s < _signals; s++)
            {
                _valid[s] = 0;
                _rise[s] = float.NaN;
            }
            _fastestRise = _largestRise = float.NaN;
        }
    }
}
