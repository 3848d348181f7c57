namespace SolidBms.Core.Config
{
    /// <summary>
    /// One monitored quantity with three levels (as foxBMS 2's MOL / RSL / MSL): a warning is reported,
    /// an alarm derates current, a trip forces the safe state and latches. Each level must persist for its
    /// qualification time before it is raised, and is released only past the hysteresis band.
    /// </summary>
    public sealed class LevelLimit
    {
        public LevelLimit(string name, string unit, bool above)
        {
            Name = name;
            Unit = unit;
            Above = above;
        }

        /// <summary>Profile section name, also the fault's name in telemetry and CSV.</summary>
        public string Name { get; private set; }

        public string Unit { get; private set; }

        /// <summary>True: the limit is exceeded above the threshold (over-voltage); false: below it.</summary>
        public bool Above { get; private set; }

        public bool Enabled;
        public float Warning;
        public float Alarm;
        public float Trip;

        /// <summary>How long warning and alarm must persist, ms.</summary>
        public int QualifyMs;

        /// <summary>How long the trip level must persist, ms (shorter for fast hazards).</summary>
        public int TripQualifyMs;

        /// <summary>Release band in the quantity's unit.</summary>
        public float Hysteresis;

        public float Threshold(int level)
        {
            return level == 1 ? Warning : (level == 2 ? Alarm : Trip);
        }

        public bool Exceeds(float value, float threshold)
        {
            return Above ? value > threshold : value < threshold;
        }

        public bool Released(float value, float threshold)
        {
            return Above ? value < threshold - Hysteresis : value > threshold + Hysteresis;
        }

        /// <summary>Reads the section; levels must be ordered (warning before alarm before trip).</summary>
        public void Load(KeyValueDocument doc, double min, double max)
        {
            Enabled = doc.GetBool(Name, "enabled", true);
            Warning = (float)doc.GetNumber(Name, "warning", min, max);
            Alarm = (float)doc.GetNumber(Name, "alarm", min, max);
            Trip = (float)doc.GetNumber(Name, "trip", min, max);
            QualifyMs = doc.GetInt(Name, "qualifyMs", 0, 600000);
            TripQualifyMs = doc.GetInt(Name, "tripQualifyMs", 0, 600000);
            Hysteresis = (float)doc.GetNumber(Name, "hysteresis", 0, max - min);
            bool ordered = Above ? (Warning <= Alarm && Alarm <= Trip) : (Warning >= Alarm && Alarm >= Trip);
            if (!ordered)
                throw doc.Error(Name, "trip", Above ? "levels must be ordered warning <= alarm <= trip" : "levels must be ordered warning >= alarm >= trip");
        }
    }
}
