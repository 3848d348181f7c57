using SolidBms.Core.Measurement;

namespace SolidBms.Core.Safety
{
    /// <summary>
    /// <see cref="RateTracker"/> for many signals sampled at the same instants (every cell's temperature, once a tick):
    /// one ring of times for all of them, each signal its own ring of values and its own run of valid samples, so an
    /// invalid sample restarts that signal's window alone, as a tracker of its own would. One call a tick feeds the whole
    /// pack and finds the fastest riser: with one window for all, the larger rise is the larger rate, and one division is
    /// made. On the device's interpreter a call per cell cost more than the samples themselves.
    /// </summary>
    public sealed class RateBank
    {
        private readonly float[] _values; // signal s at slot k: s * _slots + k
        private readonly long[] _timeMs;
        private readonly int[] _run;      // valid samples in a row per signal, up to _slots
        private readonly int _slots;
        private int _head;

        public RateBank(int signals, int windowTicks)
        {
            _slots = windowTicks + 1;
            _values = new float[signals * _slots];
            _timeMs = new long[_slots];
            _run = new int[signals];
        }

        /// <summary>Window length in samples.</summary>
        public int WindowTicks { get { return _slots - 1; } }

        /// <summary>
        /// Adds this tick's sample of every signal (a status other than Ok, or a NaN, restarts that signal's window) and
        /// returns the fastest rise over the window, units per second, among the signals with a full window of valid
        /// samples spanning some time; NaN while there is none.
        /// </summary>
        public float Add(float[] values, SensorStatus[] status, long nowMs)
        {
            int slots = _slots, head = _head;
            float[] ring = _values;
            int[] run = _run;
            _timeMs[head] = nowMs;
            int oldest = head + 1 == slots ? 0 : head + 1; // the slot the next tick overwrites: one window ago
            long windowMs = nowMs - _timeMs[oldest];
            bool found = false;
            float fastest = 0f;
#pragma warning disable CS1718
            for (int s = 0, at = 0; s < run.Length; s++, at += slots)
            {
                float v = values[s];
                if (status[s] != SensorStatus.Ok || v != v) // NaN, without float.IsNaN's two calls
                {
                    run[s] = 0;
                    continue;
                }
                ring[at + head] = v;
                int n = run[s];
                if (n < slots) run[s] = ++n;
                if (n < slots) continue;
                float rise = v - ring[at + oldest];
                if (rise == rise && (!found || rise > fastest))
                {
                    fastest = rise;
                    found = true;
                }
            }
#pragma warning restore CS1718
            _head = oldest;
            return found && windowMs > 0 ? fastest * 1000f / windowMs : float.NaN;
        }

        public void Reset()
        {
            for (int s = 0; s < _run.Length; s++) _run[s] = 0;
        }
    }
}
