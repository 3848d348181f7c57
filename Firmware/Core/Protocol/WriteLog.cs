namespace SolidBms.Core.Protocol
{
    /// <summary>
    /// Every write attempt that reached authorisation, one entry per request (a Modbus write of 123 registers
    /// is one entry naming its register range, so one large request cannot wash the ring), readable page by page
    /// over the line protocol (LOG [seq]). Two fixed rings share one sequence numbering (no allocation after
    /// start-up): the last <see cref="Capacity"/> entries made with the key, and the last <see cref="OpenCapacity"/>
    /// made without it (<see cref="Keyed"/>), so nothing anyone can send without the key pushes the key holder's
    /// history out (issue 21). Refusals are also counted for good (<see cref="Refused"/>). Where the board has the
    /// flash event log (Lab), unlocks, setting writes and refusals (summarised) also go there. Malformed input
    /// never gets here: it is refused before it is understood.
    /// </summary>
    public sealed class WriteLog
    {
        /// <summary>Entries made with the key that are held.</summary>
        public const int Capacity = 32;

        /// <summary>Entries made without the key (refused unlocks, locked writes, the open commands) that are held.</summary>
        public const int OpenCapacity = 16;

        private const int Slots = Capacity + OpenCapacity; // keyed ring 0..31, open ring 32..47

        public const int SourceLine = 0, SourceModbus = 1;

        public const int ActionSet = 0, ActionClearTrips = 1, ActionSetTime = 2, ActionCaptureStart = 3, ActionCaptureStop = 4,
            ActionUnlock = 5, ActionLock = 6, ActionAbuseRequest = 7, ActionAbuseConfirm = 8, ActionAbuseDisarm = 9,
            ActionCaptureTrigger = 10, ActionCaptureRelease = 11, ActionConnect = 12, ActionDisconnect = 13;

        public const int ResultAccepted = 0, ResultNotAuthorised = 1, ResultRefused = 2, ResultBadKey = 3, ResultLockedOut = 4;

        private static readonly string[] SourceNames = { "line", "modbus" };
        private static readonly string[] ActionNames = { "set", "clear", "time", "capture-start", "capture-stop", "unlock", "lock", "abuse-request", "abuse-confirm", "abuse-disarm", "capture-trigger", "capture-release", "connect", "disconnect" };
        private static readonly string[] ResultNames = { "accepted", "not-authorised", "refused", "bad-key", "locked-out" };

        private readonly long[] _sequence = NewSequences();
        private readonly long[] _timeMs = new long[Slots];
        private readonly byte[] _source = new byte[Slots];
        private readonly byte[] _action = new byte[Slots];
        private readonly byte[] _result = new byte[Slots];
        private readonly short[] _field = new short[Slots];
        private readonly double[] _value = new double[Slots];
        private readonly short[] _fieldCount = new short[Slots];
        private readonly int[] _register = new int[Slots];
        private long _keyedAdded, _openAdded;

        private static long[] NewSequences()
        {
            var s = new long[Slots];
            for (int i = 0; i < Slots; i++) s[i] = -1; // -1: never used
            return s;
        }

        /// <summary>
        /// The entry was made with the key: an accepted unlock, or a request of an unlocked session (accepted, or
        /// refused by the checks after the unlock). Refused unlocks, locked requests and the open commands (LOCK,
        /// ABUSE DISARM, CAPTURE START/STOP) are not: anyone can send them.
        /// </summary>
        public static bool Keyed(int action, int result)
        {
            if (action == ActionLock || action == ActionAbuseDisarm || action == ActionCaptureStart || action == ActionCaptureStop) return false;
            return result == ResultAccepted || result == ResultRefused;
        }

        /// <summary>Entries ever written, the next entry's sequence number (the rings hold the last <see cref="Capacity"/> keyed and <see cref="OpenCapacity"/> open ones).</summary>
        public long Total { get; private set; }

        /// <summary>Requests refused (not authorised, refused, bad key, locked out) ever: survives the ring.</summary>
        public long Refused { get; private set; }

        /// <summary>Oldest sequence number still held (<see cref="Total"/> when none is).</summary>
        public long Oldest
        {
            get
            {
                long oldest = Total;
                for (int i = 0; i < Slots; i++)
                {
                    if (_sequence[i] < 0) continue; // never used
                    // Stryker disable once Equality : the numbers held are all different and all below Total
                    if (_sequence[i] < oldest) oldest = _sequence[i];
                }
                return oldest;
            }
        }

        public void Add(long timeMs, int source, int action, int field, double value, int result)
        {
            Add(timeMs, source, action, field, value, field >= 0 ? 1 : 0, -1, 0, result);
        }

        /// <summary>One request: its first field and value, how many fields it carried, and its Modbus register range (-1: line).</summary>
        public void Add(long timeMs, int source, int action, int field, double value, int fieldCount, int firstRegister, int registerCount, int result)
        {
            int i = Keyed(action, result) ? (int)(_keyedAdded++ % Capacity) : Capacity + (int)(_openAdded++ % OpenCapacity);
            _sequence[i] = Total;
            _fieldCount[i] = (short)fieldCount;
            _register[i] = firstRegister < 0 ? -1 : (firstRegister << 8) | (registerCount & 0xFF);
            if (result != ResultAccepted) Refused++;
            _timeMs[i] = timeMs;
            _source[i] = (byte)source;
            _action[i] = (byte)action;
            _field[i] = (short)field;
            _value[i] = value;
            _result[i] = (byte)result;
            Total++;
        }

        /// <summary>Slot of the entry with sequence number <paramref name="seq"/> (0 = oldest ever); -1 if it is not held.</summary>
        public int Slot(long seq)
        {
            if (seq < 0) return -1;
            for (int i = 0; i < Slots; i++) if (_sequence[i] == seq) return i;
            return -1;
        }

        /// <summary>Slot of the held entry with the smallest sequence number from <paramref name="seq"/> on; -1 if none.</summary>
        public int NextSlot(long seq)
        {
            int best = -1;
            for (int i = 0; i < Slots; i++)
                if (_sequence[i] >= seq && (best < 0 || _sequence[i] < _sequence[best])) best = i;
            return best;
        }

        /// <summary>The sequence number from which the newest <paramref name="count"/> held entries run (<see cref="Oldest"/> if fewer are held).</summary>
        public long NewestFrom(int count)
        {
            long from = Total;
            for (int n = 0; n < count; n++)
            {
                long next = -1;
                for (int i = 0; i < Slots; i++)
                    if (_sequence[i] < from &&
                        // Stryker disable once Equality : the numbers held all differ; an unused slot's -1 meets only next = -1
                        _sequence[i] > next) next = _sequence[i];
                if (next < 0) break;
                from = next;
            }
            return from;
        }

        public long Sequence(int slot) { return _sequence[slot]; }
        public long TimeMs(int slot) { return _timeMs[slot]; }
        public int Source(int slot) { return _source[slot]; }
        public int Action(int slot) { return _action[slot]; }
        public int Field(int slot) { return _field[slot]; }
        public double Value(int slot) { return _value[slot]; }
        public int Result(int slot) { return _result[slot]; }
        public int FieldCount(int slot) { return _fieldCount[slot]; }

        /// <summary>First Modbus register of the request, -1 for the line port.</summary>
        public int FirstRegister(int slot) { return _register[slot] >> 8; } // no range: -1, and -1 >> 8 is -1
        // Stryker disable once Equality : a stored range is never negative, and at 0 both arms give 0
        public int RegisterCount(int slot) { return _register[slot] < 0 ? 0 : _register[slot] & 0xFF; }

        public static string SourceName(int source) { return SourceNames[source]; }
        public static string ActionName(int action) { return ActionNames[action]; }
        public static string ResultName(int result) { return ResultNames[result]; }
    }
}
