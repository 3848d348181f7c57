namespace SolidBms.Core.Protocol
{
    /// <summary>
    /// Every write attempt that reached authorisation, one entry per request (a Modbus write of 123 registers
    /// is one entry naming its register range, so one large request cannot wash the ring), kept in a fixed ring
    /// of the last <see cref="Capacity"/> entries (no allocation after start-up), readable page by page over the
    /// line protocol (LOG [seq]). Refusals are also counted for good (<see cref="Refused"/>). Where the board has
    /// the flash event log (Lab), unlocks, setting writes and refusals also go there. Malformed input never gets
    /// here: it is refused before it is understood.
    /// </summary>
    public sealed class WriteLog
    {
        public const int Capacity = 32;

        public const int SourceLine = 0, SourceModbus = 1;

        public const int ActionSet = 0, ActionClearTrips = 1, ActionSetTime = 2, ActionCaptureStart = 3, ActionCaptureStop = 4,
            ActionUnlock = 5, ActionLock = 6, ActionAbuseRequest = 7, ActionAbuseConfirm = 8, ActionAbuseDisarm = 9,
            ActionCaptureTrigger = 10, ActionCaptureRelease = 11;

        public const int ResultAccepted = 0, ResultNotAuthorised = 1, ResultRefused = 2, ResultBadKey = 3, ResultLockedOut = 4;

        private static readonly string[] SourceNames = { "line", "modbus" };
        private static readonly string[] ActionNames = { "set", "clear", "time", "capture-start", "capture-stop", "unlock", "lock", "abuse-request", "abuse-confirm", "abuse-disarm", "capture-trigger", "capture-release" };
        private static readonly string[] ResultNames = { "accepted", "not-authorised", "refused", "bad-key", "locked-out" };

        private readonly long[] _timeMs = new long[Capacity];
        private readonly byte[] _source = new byte[Capacity];
        private readonly byte[] _action = new byte[Capacity];
        private readonly byte[] _result = new byte[Capacity];
        private readonly short[] _field = new short[Capacity];
        private readonly double[] _value = new double[Capacity];
        private readonly short[] _fieldCount = new short[Capacity];
        private readonly int[] _register = new int[Capacity];

        /// <summary>Entries ever written (the ring holds the last <see cref="Capacity"/>).</summary>
        public long Total { get; private set; }

        /// <summary>Requests refused (not authorised, refused, bad key, locked out) ever: survives the ring.</summary>
        public long Refused { get; private set; }

        /// <summary>Oldest sequence number still held.</summary>
        public long Oldest { get { return Total > Capacity ? Total - Capacity : 0; } }

        public void Add(long timeMs, int source, int action, int field, double value, int result)
        {
            Add(timeMs, source, action, field, value, field >= 0 ? 1 : 0, -1, -1, result);
        }

        /// <summary>One request: its first field and value, how many fields it carried, and its Modbus register range (-1: line).</summary>
        public void Add(long timeMs, int source, int action, int field, double value, int fieldCount, int firstRegister, int registerCount, int result)
        {
            int i = (int)(Total % Capacity);
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

        /// <summary>Ring slot of the entry with sequence number <paramref name="seq"/> (0 = oldest ever); -1 if it has been overwritten.</summary>
        public int Slot(long seq)
        {
            if (seq < 0 || seq >= Total || seq < Total - Capacity) return -1;
            return (int)(seq % Capacity);
        }

        public long TimeMs(int slot) { return _timeMs[slot]; }
        public int Source(int slot) { return _source[slot]; }
        public int Action(int slot) { return _action[slot]; }
        public int Field(int slot) { return _field[slot]; }
        public double Value(int slot) { return _value[slot]; }
        public int Result(int slot) { return _result[slot]; }
        public int FieldCount(int slot) { return _fieldCount[slot]; }

        /// <summary>First Modbus register of the request, -1 for the line port.</summary>
        public int FirstRegister(int slot) { return _register[slot] < 0 ? -1 : _register[slot] >> 8; }
        public int RegisterCount(int slot) { return _register[slot] < 0 ? 0 : _register[slot] & 0xFF; }

        public static string SourceName(int source) { return SourceNames[source]; }
        public static string ActionName(int action) { return ActionNames[action]; }
        public static string ResultName(int result) { return ResultNames[result]; }
    }
}
