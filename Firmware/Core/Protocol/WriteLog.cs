namespace SolidBms.Core.Protocol
{
    /// <summary>
    /// Every write attempt that reached authorisation, kept in a fixed ring of the last <see cref="Capacity"/>
    /// entries (no allocation after start-up), readable over the line protocol (LOG). Where the board has the
    /// flash event log (Lab), unlocks, setting writes and refusals also go there. Malformed input never gets
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

        /// <summary>Entries ever written (the ring holds the last <see cref="Capacity"/>).</summary>
        public long Total { get; private set; }

        public void Add(long timeMs, int source, int action, int field, double value, int result)
        {
            int i = (int)(Total % Capacity);
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

        public static string SourceName(int source) { return SourceNames[source]; }
        public static string ActionName(int action) { return ActionNames[action]; }
        public static string ResultName(int result) { return ResultNames[result]; }
    }
}
