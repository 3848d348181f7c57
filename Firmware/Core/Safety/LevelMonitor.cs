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
        // No level active and no qualification timer running: the state a monitor spends nearly all its life in.
        // Then a value that exceeds none of the three thresholds changes nothing, and the per-level loop is skipped
        // (19 monitors every tick; on the device's interpreter each level costs three calls into the limit).
        // Stryker disable once Boolean : quiet is a shortcut only: false sends the next value through the full loop, which gives the same
        private bool _quiet = true;

        // Fields behind the properties the tick sets: a property setter is a call on the device's interpreter.
        private readonly LevelLimit _limit;
        private readonly bool _above; // the limit's direction, fixed when it is made: no property call a tick
        private int _level;
        private float _lastValue;

        public LevelMonitor(LevelLimit limit)
        {
            _limit = limit;
            _above = limit.Above;
            for (int l = 1; l <= 3; l++) _exceededSinceMs[l] = -1;
            TripRaisedAtMs = -1; // never (as after Reset), not "at 0 ms"
        }

        public LevelLimit Limit { get { return _limit; } }

        public string TripName { get { return NameOf(Trip); } }

        public string AlarmName { get { return NameOf(Alarm); } }

        public string WarningName { get { return NameOf(Warning); } }

        // The fault names ("cellOverVoltage:trip"), made the first time one is asked for and kept: 57 strings made at
        // start-up were 2 KiB of the ESP32's heap, and most limits never raise a level.
        private string[] _names;

        private static readonly string[] LevelSuffixes = { null, ":warning", ":alarm", ":trip" };

        /// <summary>The fault name of a level (<see cref="Warning"/>, <see cref="Alarm"/> or <see cref="Trip"/>).</summary>
        public string NameOf(int level)
        {
            if (_names == null) _names = new string[4];
            string name = _names[level];
            if (name == null) _names[level] = name = _limit.Name + LevelSuffixes[level];
            return name;
        }

        /// <summary>Highest level whose condition is active now (0 = none).</summary>
        public int Level { get { return _level; } private set { _level = value; } }

        public bool TripLatched { get { return _tripLatched; } private set { _tripLatched = value; } }

        private bool _tripLatched;

        /// <summary>Bits of <see cref="PackedState"/> that hold <see cref="Level"/>; a latched trip adds 4.</summary>
        public const int LevelBits = 3;

        /// <summary><see cref="Level"/>, plus 4 while the trip is latched: the supervisor's summary in one call a monitor.</summary>
        public int PackedState { get { return _tripLatched ? _level + 4 : _level; } }

        /// <summary>The level its fault class reports: Trip while the trip is latched, else the level now.</summary>
        public int ClassLevel { get { return TripLatched ? Trip : Level; } }

        /// <summary>When the trip was first raised (ms), -1 if never.</summary>
        public long TripRaisedAtMs { get; private set; }

        /// <summary>The value that was last evaluated.</summary>
        public float LastValue { get { return _lastValue; } private set { _lastValue = value; } }

        /// <param name="applicable">False when the limit does not apply now (a charge window while not charging): levels release.</param>
        /// <returns><see cref="PackedState"/> after the update: 0 when no level is active and no trip latched, so a caller
        /// summarising many monitors can skip them all while every one returns 0 (the state nearly every tick is in).</returns>
        public int Update(float value, bool applicable, long nowMs)
        {
            _lastValue = value;
            LevelLimit limit = _limit;
            if (!limit.Enabled || !applicable)
            {
                for (int l = 1; l <= 3; l++) { _active[l] = false; _exceededSinceMs[l] = -1; }
                // Stryker disable once Boolean : quiet is a shortcut only: false sends the next value through the full loop, which gives the same
                _quiet = true;
                _level = None;
                return _tripLatched ? 4 : 0;
            }
            // Quiet and no threshold exceeded: nothing changes. Exceeds written out for the three thresholds (a call each
            // on the device's interpreter, 19 monitors a tick). A NaN exceeds nothing and leaves a quiet monitor quiet,
            // which is what holding its state means (below).
            // (A quiet monitor has no active level: its level is None already.)
            // Stryker disable once Equality : a value exactly at a threshold exceeds nothing on the full path either (Exceeds is strict)
            if (_quiet && !(_above
                ? value > limit.Warning || value > limit.Alarm || value > limit.Trip
                : value < limit.Warning || value < limit.Alarm || value < limit.Trip))
                return _tripLatched ? 4 : 0;
            if (float.IsNaN(value))
            {
                // Unknown is not "fine": hold the active levels and the qualification timers alike, so a sensor
                // that fails every other read cannot keep an over-limit value from ever qualifying. The sensor
                // fault monitor handles an outage that lasts.
                return PackedState;
            }
            int level = None;
            // Stryker disable once Boolean : quiet is a shortcut only: false sends the next value through the full loop, which gives the same
            bool quiet = true;
            for (int l = 1; l <= 3; l++)
            {
                float threshold = Limit.Threshold(l);
                if (_active[l])
                {
                    // A released level qualifies afresh: without the reset, the next excursion would re-raise it at once.
                    if (Limit.Released(value, threshold)) { _active[l] = false; _exceededSinceMs[l] = -1; }
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
                if (_active[l] || _exceededSinceMs[l] >= 0) quiet = false;
            }
            _quiet = quiet;
            Level = level;
            if (_active[Trip] && !TripLatched)
            {
                TripLatched = true;
                TripRaisedAtMs = nowMs;
            }
            return PackedState;
        }

        /// <summary>The latched trip (if any) could be cleared now: its condition has released.</summary>
        public bool CanClearTrip() { return !TripLatched || !_active[Trip]; }

        /// <summary>Authorised clear: succeeds only once the trip condition itself has released.</summary>
        public bool TryClearTrip()
        {
            if (!TripLatched) return true;
            if (_active[Trip]) return false;
            TripLatched = false;
            return true;
        }

        /// <summary>
        /// Carries the state of the monitor this one replaces (a profile swap): active levels, qualification timers
        /// and the latch. A carried level is released only when a new value is past the new threshold's band, so
        /// a swap can neither clear a trip whose condition persists nor restart a qualification in progress.
        /// </summary>
        public void CopyStateFrom(LevelMonitor previous)
        {
            for (int l = 1; l <= 3; l++)
            {
                _active[l] = previous._active[l];
                _exceededSinceMs[l] = previous._exceededSinceMs[l];
            }
            Level = previous.Level;
            LastValue = previous.LastValue;
            TripLatched = previous.TripLatched;
            TripRaisedAtMs = previous.TripRaisedAtMs;
            if (TripLatched) _active[Trip] = true; // counts as present until a value shows it released
            if (previous._limit.Name == _limit.Name) _names = previous._names; // the same class: its names, not new ones
            // Stryker disable once Boolean : quiet is a shortcut only: false sends the next value through the full loop, which gives the same
            _quiet = true;
            for (int l = 1; l <= 3; l++) if (_active[l] || _exceededSinceMs[l] >= 0) _quiet = false;
        }

        public void Reset()
        {
            for (int l = 1; l <= 3; l++) { _active[l] = false; _exceededSinceMs[l] = -1; }
            // Stryker disable once Boolean : quiet is a shortcut only: false sends the next value through the full loop, which gives the same
            _quiet = true;
            Level = None;
            TripLatched = false;
            TripRaisedAtMs = -1;
        }
    }
}
