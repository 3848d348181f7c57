namespace SolidBms.Core.Lab
{
    /// <summary>
    /// Refusals (a wrong key, a lockout, the placeholder key, a refused abuse request or confirmation) are counted,
    /// not logged one by one: anyone on a port can cause them, and one flash record each let a stranger wash the
    /// trips out of the ring (issue 21). A <see cref="EventKind.Refusals"/> record carries the count since the
    /// previous one and which refusals they were. At most one is written per <see cref="IntervalMs"/>, and never
    /// more than <see cref="MaxHeld"/> of them can be in the ring: the next one waits (the count goes on) until the
    /// oldest has been overwritten by other records. So open commands hold at most MaxHeld slots, whatever they do
    /// and however long. Fixed storage, allocation-free.
    /// </summary>
    public sealed class RefusalSummary
    {
        /// <summary>One summary a minute at most: the length of the key lockout (DeviceAuth.LockoutMs).</summary>
        public const int IntervalMs = 60000;

        /// <summary>Summaries that may be in the ring at once.</summary>
        public const int MaxHeld = 16;

        // Sequence numbers of the summaries written that may still be in the ring (unordered; the smallest goes first).
        private readonly uint[] _heldSequence = new uint[MaxHeld];
        private int _heldCount;
        private long _lastWrittenMs;
        private bool _written;
        private uint _kinds;

        /// <summary>Refusals counted and not yet in a record.</summary>
        public int Pending { get; private set; }

        /// <summary>Counts one refusal; <paramref name="reason"/> is the UnlockRefused code (0..7).</summary>
        public void Count(uint reason)
        {
            if (Pending < int.MaxValue) Pending++;
            if (reason < 8) _kinds |= 1u << (int)reason;
        }

        /// <summary>The record's code: the count (saturated at 65535) and the kinds in bits 16..23.</summary>
        // Stryker disable once Equality : at 65535 both arms give 65535
        public uint Code { get { return (Pending < 65535 ? (uint)Pending : 65535u) | (_kinds << 16); } }

        /// <summary>
        /// A summary may be written now: refusals wait, the interval since the last has passed, and fewer than
        /// <see cref="MaxHeld"/> summaries can still be in a ring of <paramref name="ringSlots"/> slots whose next
        /// record gets <paramref name="nextSequence"/>.
        /// </summary>
        public bool Due(long nowMs, uint nextSequence, int ringSlots)
        {
            if (Pending == 0 || (_written && nowMs - _lastWrittenMs < IntervalMs)) return false;
            if (_heldCount < MaxHeld) return true;
            // The oldest summary is surely gone once a whole ring of records has followed it.
            return nextSequence - _heldSequence[Oldest()] > (uint)ringSlots;
        }

        /// <summary>The summary was written with this sequence number: the count starts again.</summary>
        public void Written(uint sequence, long nowMs)
        {
            Remember(sequence);
            _written = true;
            _lastWrittenMs = nowMs;
            Pending = 0;
            _kinds = 0;
        }

        /// <summary>A summary (found in the ring at start-up, or just written) that may still be in the ring.</summary>
        public void Remember(uint sequence)
        {
            if (_heldCount < MaxHeld) { _heldSequence[_heldCount++] = sequence; return; }
            int oldest = Oldest();
            // Stryker disable once Equality : at equality the number is replaced by itself
            if (sequence > _heldSequence[oldest]) _heldSequence[oldest] = sequence;
        }

        private int Oldest()
        {
            int k = 0;
            for (int i = 1; i < _heldCount; i++)
                // Stryker disable once Equality : on a tie another index of the same number: callers use only the number
                if (_heldSequence[i] < _heldSequence[k]) k = i;
            return k;
        }
    }
}
