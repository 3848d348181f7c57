using SolidBms.Core.Measurement;

namespace SolidBms.Core.Safety
{
    /// <summary>
    /// One class of sensor (all cell voltages, all thermistors, ...): any invalid reading that persists for the
    /// profile's qualification time trips and latches. The trip names the first bad channel and why.
    /// </summary>
    public sealed class SensorFaultMonitor
    {
        private long _badSinceMs = -1;
        // Read only while bad readings are remembered (_badSinceMs set), and the first bad reading sets it to -1: its value
        // before that (0 at construction, whatever after Reset) forgets nothing that is not already forgotten.
        private long _goodSinceMs;

        public SensorFaultMonitor(string name)
        {
            Name = name;
            TripName = name + ":trip";
            TripRaisedAtMs = -1;
        }

        public string Name { get; private set; }

        public string TripName { get; private set; }

        public bool TripLatched { get { return _tripLatched; } }

        /// <summary>The level its fault class reports: a sensor class has no warning or alarm, only a latched trip.</summary>
        public int ClassLevel { get { return _tripLatched ? LevelMonitor.Trip : LevelMonitor.None; } }

        public long TripRaisedAtMs { get; private set; }

        /// <summary>Whether any channel is invalid right now.</summary>
        public bool Bad { get { return _bad; } }

        public int BadChannel { get { return _badChannel; } }

        public SensorStatus BadStatus { get { return _badStatus; } }

        // Fields behind the properties the tick sets and reads: a property call costs the device's interpreter more than
        // the work (four monitors every tick).
        private bool _tripLatched, _bad;
        private int _badChannel;
        private SensorStatus _badStatus;

        public void Update(SensorStatus status, int qualifyMs, long nowMs)
        {
            Set(status != SensorStatus.Ok ? 0 : -1, status, qualifyMs, nowMs);
        }

        /// <summary>
        /// A bank of channels, scanned by the caller (the supervisor takes it from the pass that summarises the readings,
        /// `PackMeasurement.SummariseCells`): the first channel whose status is not Ok (-1: every channel is), and that status.
        /// </summary>
        public void UpdateScanned(int badChannel, SensorStatus badStatus, int qualifyMs, long nowMs)
        {
            Set(badChannel, badStatus, qualifyMs, nowMs);
        }

        private void Set(int badChannel, SensorStatus status, int qualifyMs, long nowMs)
        {
            _bad = badChannel >= 0;
            if (!_bad)
            {
                // Only a whole qualification time of good readings forgets the bad ones: a sensor that fails
                // every other read is faulty, not healthy half the time.
                if (_goodSinceMs < 0) _goodSinceMs = nowMs;
                if (nowMs - _goodSinceMs >= qualifyMs) _badSinceMs = -1;
                return;
            }
            _goodSinceMs = -1;
            _badChannel = badChannel;
            _badStatus = status;
            if (_badSinceMs < 0) _badSinceMs = nowMs;
            if (nowMs - _badSinceMs >= qualifyMs && !_tripLatched)
            {
                _tripLatched = true;
                TripRaisedAtMs = nowMs;
            }
        }

        public bool CanClearTrip() { return !_bad || !_tripLatched; }

        public bool TryClearTrip()
        {
            if (_bad) return !_tripLatched;
            _tripLatched = false;
            return true;
        }

        public void Reset()
        {
            _badSinceMs = -1;
            _bad = false;
            _tripLatched = false;
            TripRaisedAtMs = -1;
        }
    }
}
