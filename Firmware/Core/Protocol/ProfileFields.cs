using SolidBms.Core.Config;
using SolidBms.Core.Safety;
using SolidBms.Core.Util;

namespace SolidBms.Core.Protocol
{
    /// <summary>
    /// The limit-profile values the ports can read and set, numbered once: field f of limit L
    /// (LimitProfile.All() order) is L * 7 + f, then the current and sensor settings. The same numbering
    /// drives the Modbus holding map, so the line protocol and Modbus can never disagree about a field.
    /// A change is applied by writing the whole profile as text with the new values and loading it through
    /// <see cref="LimitProfile.TryLoad"/>: a set value passes exactly the checks a profile file does.
    /// </summary>
    public sealed class ProfileFields
    {
        public const int PerLimit = 7;
        public const int FieldEnabled = 0, FieldWarning = 1, FieldAlarm = 2, FieldTrip = 3, FieldHysteresis = 4, FieldQualifyMs = 5, FieldTripQualifyMs = 6;
        public const int ExtraMaxChargeA = 0, ExtraMaxDischargeA = 1, ExtraIdleA = 2, ExtraAlarmDerateFactor = 3,
            ExtraSensorFaultQualifyMs = 4, ExtraPressureRateWindowMs = 5, ExtraTemperatureRateWindowMs = 6;
        public const int ExtraCount = 7;

        private static readonly string[] LimitFieldKeys = { "enabled", "warning", "alarm", "trip", "hysteresis", "qualifyMs", "tripQualifyMs" };
        private static readonly string[] ExtraSections = { "current", "current", "current", "current", "sensors", "sensors", "sensors" };
        private static readonly string[] ExtraKeys = { "maxChargeA", "maxDischargeA", "idleA", "alarmDerateFactor", "faultQualifyMs", "pressureRateWindowMs", "temperatureRateWindowMs" };
        private static readonly string[] ExtraUnits = { "A", "A", "A", "factor", "ms", "ms", "ms" };

        // Each field's name, unit and scale follow from its limit's name and unit and its place in the row: worked out
        // when asked (a response, a Modbus request, a configuration change), not held per field (140 fields' strings and
        // attributes were 12 KiB of the ESP32's heap).
        private readonly string[] _limitNames;
        private readonly string[] _limitUnits;

        public ProfileFields()
        {
            LevelLimit[] limits = new LimitProfile().All();
            LimitCount = limits.Length;
            Count = LimitCount * PerLimit + ExtraCount;
            _limitNames = new string[LimitCount];
            _limitUnits = new string[LimitCount];
            for (int l = 0; l < LimitCount; l++)
            {
                _limitNames[l] = limits[l].Name;
                _limitUnits[l] = limits[l].Unit;
            }
        }

        /// <summary>Register units per level unit: mV 1, A 0.01, C 0.1 (signed), kPa 1, kPa/s 0.1, C/min 0.1, % 1, ms 1.</summary>
        private static double LevelScale(string unit)
        {
            if (unit == "A") return 100;
            if (unit == "C" || unit == "kPa/s" || unit == "C/min") return 10;
            return 1;
        }

        public int LimitCount { get; private set; }

        public int Count { get; private set; }

        /// <summary>First field after the limits (current.maxChargeA).</summary>
        public int ExtraBase { get { return LimitCount * PerLimit; } }

        /// <summary>"section.key" (allocates: <see cref="AppendName"/> writes it without).</summary>
        public string Name(int field) { return Section(field) + "." + Key(field); }

        /// <summary>Writes "section.key" (no allocation).</summary>
        public void AppendName(int field, AsciiWriter w)
        {
            w.Append(Section(field));
            w.Append('.');
            w.Append(Key(field));
        }

        /// <summary>The profile file's section: the limit's name, or current / sensors.</summary>
        private string Section(int field) { return field < ExtraBase ? _limitNames[field / PerLimit] : ExtraSections[field - ExtraBase]; }

        /// <summary>The key within the section.</summary>
        private string Key(int field) { return field < ExtraBase ? LimitFieldKeys[field % PerLimit] : ExtraKeys[field - ExtraBase]; }

        /// <summary>Display unit: the limit's unit, ms, bool or factor.</summary>
        public string Unit(int field)
        {
            if (field >= ExtraBase) return ExtraUnits[field - ExtraBase];
            int f = field % PerLimit;
            return f == FieldEnabled ? "bool" : (f >= FieldQualifyMs ? "ms" : _limitUnits[field / PerLimit]);
        }

        /// <summary>Whole numbers only (times, enabled).</summary>
        public bool Whole(int field)
        {
            if (field >= ExtraBase) return ExtraUnits[field - ExtraBase] == "ms";
            int f = field % PerLimit;
            return f == FieldEnabled || f >= FieldQualifyMs;
        }

        /// <summary>Modbus register = value * scale. Qualification times in 10 ms (up to 600 s fits 16 bits); levels in their own unit's scale.</summary>
        public double ModbusScale(int field)
        {
            if (field >= ExtraBase)
            {
                string unit = ExtraUnits[field - ExtraBase];
                return unit == "A" ? 100 : (unit == "factor" ? 1000 : 0.1);
            }
            int f = field % PerLimit;
            return f == FieldEnabled ? 1 : (f >= FieldQualifyMs ? 0.1 : LevelScale(_limitUnits[field / PerLimit]));
        }

        /// <summary>A level in C (the temperature limits' levels go below zero).</summary>
        public bool ModbusSigned(int field)
        {
            if (field >= ExtraBase) return false;
            int f = field % PerLimit;
            return f != FieldEnabled && f < FieldQualifyMs && _limitUnits[field / PerLimit] == "C";
        }

        /// <summary>The field whose name equals the bytes (ASCII, case-insensitive); -1 if none. No allocation.</summary>
        public int Find(byte[] b, int offset, int count)
        {
            for (int i = 0; i < Count; i++)
            {
                string section = Section(i), key = Key(i);
                if (section.Length + 1 + key.Length != count || b[offset + section.Length] != '.') continue;
                if (SameIgnoringCase(section, b, offset) && SameIgnoringCase(key, b, offset + section.Length + 1)) return i;
            }
            return -1;
        }

        private static bool SameIgnoringCase(string s, byte[] b, int offset)
        {
            for (int k = 0; k < s.Length; k++) if (Lower(b[offset + k]) != Lower((byte)s[k])) return false;
            return true;
        }

        private static int Lower(byte c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

        /// <summary>The value in force, read through the supervisor's monitors (no allocation).</summary>
        public double Get(SafetySupervisor s, int field)
        {
            if (field < ExtraBase) return LimitField(s.Monitors[field / PerLimit].Limit, field % PerLimit);
            return Extra(s.Profile, field - ExtraBase);
        }

        /// <summary>A profile's value (allocates LimitProfile.All(): for configuration changes and tests).</summary>
        public double Get(LimitProfile p, int field)
        {
            if (field < ExtraBase) return LimitField(p.All()[field / PerLimit], field % PerLimit);
            return Extra(p, field - ExtraBase);
        }

        private static double LimitField(LevelLimit lim, int f)
        {
            switch (f)
            {
                case FieldEnabled: return lim.Enabled ? 1 : 0;
                case FieldWarning: return lim.Warning;
                case FieldAlarm: return lim.Alarm;
                case FieldTrip: return lim.Trip;
                case FieldHysteresis: return lim.Hysteresis;
                case FieldQualifyMs: return lim.QualifyMs;
                default: return lim.TripQualifyMs;
            }
        }

        private static double Extra(LimitProfile p, int k)
        {
            switch (k)
            {
                case ExtraMaxChargeA: return p.MaxChargeCurrentA;
                case ExtraMaxDischargeA: return p.MaxDischargeCurrentA;
                case ExtraIdleA: return p.IdleCurrentA;
                case ExtraAlarmDerateFactor: return p.AlarmDerateFactor;
                case ExtraSensorFaultQualifyMs: return p.SensorFaultQualifyMs;
                case ExtraPressureRateWindowMs: return p.PressureRateWindowMs;
                default: return p.TemperatureRateWindowMs;
            }
        }

        /// <summary>
        /// Writes the profile as profile-file text, taking field i from <paramref name="values"/> where
        /// <paramref name="changed"/>[i] is set (null: none changed). Allocates (LimitProfile.All()).
        /// </summary>
        public void WriteText(LimitProfile p, bool[] changed, double[] values, AsciiWriter w)
        {
            LevelLimit[] limits = p.All();
            w.Clear();
            w.Append("[profile]\nname = "); w.Append(p.Name);
            w.Append("\nchemistry = "); w.Append(p.Chemistry); w.Append('\n');
            for (int l = 0; l < LimitCount; l++)
            {
                w.Append('['); w.Append(limits[l].Name); w.Append("]\n");
                for (int f = 0; f < PerLimit; f++)
                {
                    int i = l * PerLimit + f;
                    WriteKey(i, LimitFieldKeys[f], changed != null && changed[i] ? values[i] : LimitField(limits[l], f), w);
                }
            }
            string section = null;
            for (int k = 0; k < ExtraCount; k++)
            {
                if (ExtraSections[k] != section)
                {
                    section = ExtraSections[k];
                    w.Append('['); w.Append(section); w.Append("]\n");
                }
                int i = ExtraBase + k;
                WriteKey(i, ExtraKeys[k], changed != null && changed[i] ? values[i] : Extra(p, k), w);
            }
            WriteDerating(p.Derating, w);
            if (p.Balancing != null) p.Balancing.WriteText(w); // balancing policy (docs/balancing.md), unchanged by field writes
        }

        /// <summary>
        /// The profile's [derating] tables, unchanged: no port field reaches them, and a profile text without them
        /// would derate nothing (before issue 11 every SET silently dropped them).
        /// </summary>
        private static void WriteDerating(DeratingTables d, AsciiWriter w)
        {
            if (d == null || !d.Present) return;
            w.Append('['); w.Append(DeratingTables.Section); w.Append("]\n");
            WriteList("temperaturesC", d.TemperaturesC, w);
            WriteList("chargeByTemperature", d.ChargeByTemperature, w);
            WriteList("dischargeByTemperature", d.DischargeByTemperature, w);
            WriteList("socPoints", d.SocPoints, w);
            WriteList("chargeBySoc", d.ChargeBySoc, w);
            WriteList("dischargeBySoc", d.DischargeBySoc, w);
            WriteList("pressuresKpa", d.PressuresKpa, w);
            WriteList("chargeByPressure", d.ChargeByPressure, w);
            WriteList("dischargeByPressure", d.DischargeByPressure, w);
            w.Append("horizonS = "); w.AppendFixed(d.HorizonS, 4); w.Append('\n');
        }

        private static void WriteList(string key, float[] values, AsciiWriter w)
        {
            w.Append(key); w.Append(" = ");
            for (int i = 0; i < values.Length; i++)
            {
                if (i > 0) w.Append(", ");
                w.AppendFixed(values[i], 4);
            }
            w.Append('\n');
        }

        private void WriteKey(int field, string key, double v, AsciiWriter w)
        {
            w.Append(key); w.Append(" = ");
            if (Unit(field) == "bool") w.Append(v == 1 ? "true" : (v == 0 ? "false" : "invalid"));
            else if (Whole(field) && v == (long)v) w.Append((long)v);
            else w.AppendFixed(v, 4); // a fraction where a whole number belongs: the loader refuses it with its own message
            w.Append('\n');
        }
    }
}
