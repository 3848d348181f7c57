using SolidBms.Core.Config;

namespace SolidBms.Core.Safety
{
    /// <summary>
    /// Tracks one <see cref="LevelLimit"/>: each level is raised after its qualification time, released past
    /// the hysteresis band, and a trip stays latched until the condition has cleared and a clear is authorised.
    /// </summary>
    public sealed class LevelMonitor
    {
        public const int None = 0, Warning = 1, Alarm = 2, Trip = 3;

        private readonly long[] _exceededSinceMs = new long[4];
        private readonly bool[] _active = new bool[4];

        public LevelMonitor(LevelLimit limit)
        {
            Limit = limit;
            for (int l = 1; l <= 3; l++) _exceededSinceMs[l] = -1;
            TripName = limit.Name + ":trip";
            AlarmName = limit.Name + ":alarm";
            WarningName = limit.Name + ":warning";
        }

        public LevelLimit Limit { get; private set; }

        public string TripName { get; private set; }

        public string AlarmName { get; private set; }

        public string WarningName { get; private set; }

        /// <summary>Highest level whose condition is active now (0 = none).</summary>
        public int Level { get; private set; }

        public bool TripLatched { get; private set; }

        /// <summary>When the trip was first raised (ms), -1 if never.</summary>
        public long TripRaisedAtMs { get; private set; }

        /// <summary>The value that was last evaluated.</summary>
        public float LastValue { get; private set; }

        /// <param name="applicable">False when the limit does not apply now (a charge window while not charging): levels release.</param>
        public void Update(float value, bool applicable, long nowMs)
        {
            LastValue = value;
            if (!Limit.Enabled || !applicable)
            {
                for (int l = 1; l <= 3; l++) { _active[l] = false; _exceededSinceMs[l] = -1; }
                Level = None;
                return;
            }
            if (float.IsNaN(value))
            {
                // Unknown is not "fine": hold the active levels, restart qualification. The sensor fault trips.
                for (int l = 1; l <= 3; l++) _exceededSinceMs[l] = -1;
                return;
            }
            int level = None;
            for (int l = 1; l <= 3; l++)
            {
                float threshold = Limit.Threshold(l);
                if (_active[l])
                {
                    if (Limit.Released(value, threshold)) _active[l] = false;
                }
                else if (Limit.Exceeds(value, threshold))
                {
                    if (_exceededSinceMs[l] < 0) _exceededSinceMs[l] = nowMs;
                    int qualify = l == Trip ? Limit.TripQualifyMs : Limit.QualifyMs;
                    if (nowMs - _exceededSinceMs[l] >= qualify) _active[l] = true;
                }
                else
                {
                    _exceededSinceMs[l] = -1;
                }
                if (_active[l]) level = l;
            }
            Level = level;
            if (_active[Trip] && !TripLatched)
            {
                TripLatched = true;
                TripRaisedAtMs = nowMs;
            }
        }

        /// <summary>Authorised clear: succeeds only once the trip condition itself has released.</summary>
        public bool TryClearTrip()
        {
            if (!TripLatched) return true;
            if (_active[Trip]) return false;
            TripLatched = false;
            return true;
        }

        /// <summary>Carries a latched trip over to a new monitor (a profile swap must not clear trips).</summary>
        public void RestoreLatchedTrip(long raisedAtMs)
        {
            TripLatched = true;
            TripRaisedAtMs = raisedAtMs;
        }

        public void Reset()
        {
            for (int l = 1; l <= 3; l++) { _active[l] = false; _exceededSinceMs[l] = -1; }
            Level = None;
            TripLatched = false;
            TripRaisedAtMs = -1;
        }
    }
}
