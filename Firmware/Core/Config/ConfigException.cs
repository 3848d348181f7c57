using System;

namespace SolidBms.Core.Config
{
    /// <summary>A board file, profile or cell file that cannot be used, with where and why.</summary>
    public class ConfigException : Exception
    {
        public ConfigException(string source, int line, string key, string reason)
            : base(Describe(source, line, key, reason))
        {
            SourceName = source;
            Line = line;
            Key = key;
            Reason = reason;
        }

        public string SourceName { get; private set; }

        /// <summary>1-based line in the file, or 0 when the problem is a missing key.</summary>
        public int Line { get; private set; }

        public string Key { get; private set; }

        public string Reason { get; private set; }

        private static string Describe(string source, int line, string key, string reason)
        {
            string where = line > 0 ? source + ":" + line.ToString() : source;
            return key == null || key.Length == 0 ? where + ": " + reason : where + ": " + key + ": " + reason;
        }
    }
}
