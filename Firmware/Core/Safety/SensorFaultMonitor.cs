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
        private long _goodSinceMs = -1;

        public SensorFaultMonitor(string name)
        {
            Name = name;
            TripName = name + ":trip";
            TripRaisedAtMs = -1;
        }

        public string Name { get; private set; }

        public string TripName { get; private set; }

        public bool TripLatched { get; private set; }

        /// <summary>The level its fault class reports: a sensor class has no warning or alarm, only a latched trip.</summary>
        public int ClassLevel { get { return TripLatched ? LevelMonitor.Trip : LevelMonitor.None; } }

        public long TripRaisedAtMs { get; private set; }

        /// <summary>Whether any channel is invalid right now.</summary>
        public bool Bad { get; private set; }

        public int BadChannel { get; private set; }

        public SensorStatus BadStatus { get; private set; }

        public void Update(SensorStatus[] status, int qualifyMs, long nowMs)
        {
            int bad = -1;
            for (int i = 0; i < status.Length; i++)
                if (status[i] != SensorStatus.Ok) { bad = i; break; }
            Set(bad, bad >= 0 ? status[bad] : SensorStatus.Ok, qualifyMs, nowMs);
        }

        public void Update(SensorStatus status, int qualifyMs, long nowMs)
        {
            Set(status != SensorStatus.Ok ? 0 : -1, status, qualifyMs, nowMs);
        }

        private void Set(int badChannel, SensorStatus status, int qualifyMs, long nowMs)
        {
            Bad = badChannel >= 0;
            if (!Bad)
            {
                // Only a whole qualification time of good readings forgets the bad ones: a sensor that fails
                // every other read is faulty, not healthy half the time.
                if (_goodSinceMs < 0) _goodSinceMs = nowMs;
                if (nowMs - _goodSinceMs >= qualifyMs) _badSinceMs = -1;
                return;
            }
            _goodSinceMs = -1;
            BadChannel = badChannel;
            BadStatus = status;
            if (_badSinceMs < 0) _badSinceMs = nowMs;
            if (nowMs - _badSinceMs >= qualifyMs && !TripLatched)
            {
                TripLatched = true;
                TripRaisedAtMs = nowMs;
            }
        }

        public bool CanClearTrip() { return !Bad || !TripLatched; }

        public bool TryClearTrip()
        {
            if (Bad) return !TripLatched;
            TripLatched = false;
            return true;
        }

        public void Reset()
        {
            _badSinceMs = -1;
            _goodSinceMs = -1;
            Bad = false;
            TripLatched = false;
            TripRaisedAtMs = -1;
        }
    }
}
