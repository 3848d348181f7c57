using System.Collections;

namespace SolidBms.Core.Config
{
    /// <summary>
    /// The plain-text format of board files, limit profiles and cell files:
    /// '# comment', '[section]', 'key = value' (lists comma-separated). Keys are unique per section,
    /// every key must be read by the loader (an unknown key is a typo until proven otherwise), and
    /// every error names the file and line. Parsing allocates; it runs at load time, never in the tick.
    /// </summary>
    public sealed class KeyValueDocument
    {
        private readonly ArrayList _entries = new ArrayList();

        private KeyValueDocument(string sourceName) { SourceName = sourceName; }

        public string SourceName { get; private set; }

        public int Count { get { return _entries.Count; } }

        public static KeyValueDocument Parse(string text, string sourceName)
        {
            var doc = new KeyValueDocument(sourceName);
            if (text == null) throw new ConfigException(sourceName, 0, null, "no text");
            string section = "";
            var sections = new ArrayList();
            int lineNumber = 0, start = 0;
            while (start <= text.Length)
            {
                int end = text.IndexOf('\n', start);
                if (end < 0) end = text.Length;
                lineNumber++;
                string line = StripComment(text.Substring(start, end - start)).Trim();
                start = end + 1;
                if (line.Length == 0) continue;
                if (line[0] == '[')
                {
                    if (line[line.Length - 1] != ']') throw new ConfigException(sourceName, lineNumber, null, "section header needs a closing ']'");
                    section = line.Substring(1, line.Length - 2).Trim();
                    if (section.Length == 0) throw new ConfigException(sourceName, lineNumber, null, "empty section name");
                    if (sections.Contains(section)) throw new ConfigException(sourceName, lineNumber, "[" + section + "]", "section appears twice");
                    sections.Add(section);
                    continue;
                }
                int eq = line.IndexOf('=');
                if (eq <= 0) throw new ConfigException(sourceName, lineNumber, null, "expected 'key = value'");
                string key = line.Substring(0, eq).Trim();
                string value = line.Substring(eq + 1).Trim();
                if (value.Length == 0) throw new ConfigException(sourceName, lineNumber, Qualified(section, key), "has no value");
                if (doc.Find(section, key) != null) throw new ConfigException(sourceName, lineNumber, Qualified(section, key), "appears twice");
                doc._entries.Add(new ConfigEntry(section, key, value, lineNumber));
            }
            return doc;
        }

        private static string StripComment(string line)
        {
            int hash = line.IndexOf('#');
            return hash < 0 ? line : line.Substring(0, hash);
        }

        public static string Qualified(string section, string key)
        {
            return section.Length == 0 ? key : section + "." + key;
        }

        public ConfigEntry Find(string section, string key)
        {
            for (int i = 0; i < _entries.Count; i++)
            {
                var e = (ConfigEntry)_entries[i];
                if (e.Section == section && e.Key == key) return e;
            }
            return null;
        }

        public bool Has(string section, string key) { return Find(section, key) != null; }

        public bool HasSection(string section)
        {
            for (int i = 0; i < _entries.Count; i++)
                if (((ConfigEntry)_entries[i]).Section == section) return true;
            return false;
        }

        public ConfigEntry Require(string section, string key)
        {
            var e = Find(section, key);
            if (e == null) throw new ConfigException(SourceName, 0, Qualified(section, key), "is missing");
            e.Used = true;
            return e;
        }

        public string GetString(string section, string key) { return Require(section, key).Value; }

        public string GetString(string section, string key, string fallback)
        {
            return Has(section, key) ? GetString(section, key) : fallback;
        }

        public double GetNumber(string section, string key, double min, double max)
        {
            return Require(section, key).ToNumber(SourceName, min, max);
        }

        public double GetNumber(string section, string key, double min, double max, double fallback)
        {
            return Has(section, key) ? GetNumber(section, key, min, max) : fallback;
        }

        public int GetInt(string section, string key, int min, int max)
        {
            return Require(section, key).ToInt(SourceName, min, max);
        }

        public int GetInt(string section, string key, int min, int max, int fallback)
        {
            return Has(section, key) ? GetInt(section, key, min, max) : fallback;
        }

        public bool GetBool(string section, string key, bool fallback)
        {
            if (!Has(section, key)) return fallback;
            var e = Require(section, key);
            if (e.Value == "true") return true;
            if (e.Value == "false") return false;
            throw new ConfigException(SourceName, e.Line, e.QualifiedKey, "must be true or false, not '" + e.Value + "'");
        }

        /// <summary>A comma-separated list of numbers, each within [min, max], of exactly expectedCount items (0: any count >= 1).</summary>
        public float[] GetNumberList(string section, string key, double min, double max, int expectedCount)
        {
            return Require(section, key).ToNumberList(SourceName, min, max, expectedCount);
        }

        public int[] GetIntList(string section, string key, int min, int max, int expectedCount)
        {
            float[] values = GetNumberList(section, key, min, max, expectedCount);
            var e = Find(section, key);
            int[] result = new int[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] != (int)values[i]) throw new ConfigException(SourceName, e.Line, e.QualifiedKey, "item " + (i + 1).ToString() + " '" + e.Value.Split(',')[i].Trim() + "' is not a whole number");
                result[i] = (int)values[i];
            }
            return result;
        }

        /// <summary>Refuses the document if any key was never read: a misspelt limit must not silently fall back to a default.</summary>
        public void RejectUnusedKeys()
        {
            for (int i = 0; i < _entries.Count; i++)
            {
                var e = (ConfigEntry)_entries[i];
                if (!e.Used) throw new ConfigException(SourceName, e.Line, e.QualifiedKey, "unknown key");
            }
        }

        /// <summary>Marks every key of a section as read (a section the loader passes over on purpose).</summary>
        public void MarkSectionUsed(string section)
        {
            for (int i = 0; i < _entries.Count; i++)
            {
                var e = (ConfigEntry)_entries[i];
                if (e.Section == section) e.Used = true;
            }
        }

        public ConfigException Error(string section, string key, string reason)
        {
            var e = Find(section, key);
            return new ConfigException(SourceName, e == null ? 0 : e.Line, Qualified(section, key), reason);
        }
    }
}
