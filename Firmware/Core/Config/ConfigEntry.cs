using SolidBms.Core.Util;

namespace SolidBms.Core.Config
{
    /// <summary>One 'key = value' line of a <see cref="KeyValueDocument"/>.</summary>
    public sealed class ConfigEntry
    {
        public ConfigEntry(string section, string key, string value, int line)
        {
            Section = section;
            Key = key;
            Value = value;
            Line = line;
        }

        public string Section { get; private set; }

        public string Key { get; private set; }

        public string Value { get; private set; }

        public int Line { get; private set; }

        public bool Used { get; set; }

        public string QualifiedKey { get { return KeyValueDocument.Qualified(Section, Key); } }

        public double ToNumber(string source, double min, double max)
        {
            double v;
            if (!NumberParser.TryParseDouble(Value, out v)) throw new ConfigException(source, Line, QualifiedKey, "'" + Value + "' is not a number");
            CheckRange(source, v, Value, min, max, null);
            return v;
        }

        public int ToInt(string source, int min, int max)
        {
            int v;
            if (!NumberParser.TryParseInt(Value, out v)) throw new ConfigException(source, Line, QualifiedKey, "'" + Value + "' is not a whole number");
            CheckRange(source, v, Value, min, max, null);
            return v;
        }

        public float[] ToNumberList(string source, double min, double max, int expectedCount)
        {
            string[] parts = Value.Split(',');
            if (expectedCount > 0 && parts.Length != expectedCount)
                throw new ConfigException(source, Line, QualifiedKey, "needs " + expectedCount.ToString() + " values, has " + parts.Length.ToString());
            float[] result = new float[parts.Length];
            for (int i = 0; i < parts.Length; i++)
            {
                double v;
                string item = parts[i].Trim();
                if (!NumberParser.TryParseDouble(item, out v))
                    throw new ConfigException(source, Line, QualifiedKey, "item " + (i + 1).ToString() + " '" + item + "' is not a number");
                CheckRange(source, v, item, min, max, "item " + (i + 1).ToString() + " ");
                result[i] = (float)v;
            }
            return result;
        }

        /// <param name="text">The value as written: the item alone for a list (the whole line would hide which item is wrong).</param>
        private void CheckRange(string source, double v, string text, double min, double max, string prefix)
        {
            if (v < min || v > max)
                throw new ConfigException(source, Line, QualifiedKey, (prefix ?? "") + "value " + text + " is outside " + Fmt(min) + " .. " + Fmt(max));
        }

        /// <summary>A number for a message: whole numbers without decimals, others to 4 decimals.</summary>
        public static string Fmt(double v)
        {
            var w = new AsciiWriter(32);
            if (v == (long)v) w.Append((long)v); else w.AppendFixed(v, 4);
            return w.ToText();
        }
    }
}
