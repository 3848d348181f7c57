namespace SolidBms.Core.Config
{
    /// <summary>
    /// The board's second line of defence ([secondMeans]): what opens the pack's current path when the main contactor's
    /// open command did not stop the current (a weld), and an optional fuse-blow output with its qualification time
    /// (docs/safety.md, "A second line of defence"). A board without the section has neither: the weld is reported only.
    /// </summary>
    public sealed class SecondMeansSettings
    {
        /// <summary>Nothing fitted.</summary>
        public const int None = 0;
        /// <summary>The BQ76952's own CHG/DSG FET drivers (ALL_FETS_OFF) or its FUSE pin (FUSE_TOGGLE).</summary>
        public const int Bq76952 = 1;
        /// <summary>An ESP32 output that opens the path when energised (a shunt trip, a fuse-blow FET gate).</summary>
        public const int Gpio = 2;

        /// <summary>What opens the path: <see cref="None"/>, <see cref="Bq76952"/> or <see cref="Gpio"/>.</summary>
        public int Disconnect;

        /// <summary>GPIO of the disconnect when it is one, else -1.</summary>
        public int DisconnectPin;

        /// <summary>What blows the fuse: <see cref="None"/>, <see cref="Bq76952"/> or <see cref="Gpio"/>.</summary>
        public int Fuse;

        /// <summary>GPIO of the fuse-blow output when it is one, else -1.</summary>
        public int FusePin;

        /// <summary>How long the current must persist, with the cell voltages confirming the hazard, after the second means acted before the fuse is blown, ms.</summary>
        public int FuseQualifyMs;

        /// <summary>Shortest fuse qualification a board may set: a transient must never blow a fuse.</summary>
        public const int MinFuseQualifyMs = 1000;

        public static string MeansName(int means)
        {
            if (means == Bq76952) return "bq76952";
            if (means == Gpio) return "gpio";
            return "none";
        }

        /// <param name="bqOnBoard">The board reads a BQ76952 (a [bq76952] section is in force).</param>
        /// <param name="weldCheckMs">The contactor's weld-check time: the current counts as stopped after that long without a reading above idle.</param>
        public static SecondMeansSettings Load(KeyValueDocument doc, bool bqOnBoard, int weldCheckMs)
        {
            const string s = "secondMeans";
            if (!doc.HasSection(s)) return null;
            var m = new SecondMeansSettings();
            m.Disconnect = Means(doc, s, "disconnect", bqOnBoard, "the chip's CHG/DSG FETs");
            m.DisconnectPin = m.Disconnect == Gpio ? doc.GetInt(s, "disconnectPin", 0, 48) : -1;
            if (m.Disconnect != Gpio && doc.Has(s, "disconnectPin")) throw doc.Error(s, "disconnectPin", "only for disconnect = gpio");
            m.Fuse = Means(doc, s, "fuse", bqOnBoard, "the chip's FUSE pin");
            m.FusePin = m.Fuse == Gpio ? doc.GetInt(s, "fusePin", 0, 48) : -1;
            if (m.Fuse != Gpio && doc.Has(s, "fusePin")) throw doc.Error(s, "fusePin", "only for fuse = gpio");
            if (m.DisconnectPin >= 0 && m.DisconnectPin == m.FusePin) throw doc.Error(s, "fusePin", "GPIO " + m.FusePin.ToString() + " is already secondMeans.disconnectPin");
            if (m.Fuse != None)
            {
                m.FuseQualifyMs = doc.GetInt(s, "fuseQualifyMs", MinFuseQualifyMs, 600000);
                if (m.FuseQualifyMs < 2 * weldCheckMs)
                    throw doc.Error(s, "fuseQualifyMs", "must be at least two weld checks (2 x contactor.weldCheckMs = " + (2 * weldCheckMs).ToString() + " ms): the current counts as stopped after one without a reading above idle");
            }
            else if (doc.Has(s, "fuseQualifyMs")) throw doc.Error(s, "fuseQualifyMs", "only with a fuse (fuse = bq76952 or gpio)");
            if (m.Disconnect == None && m.Fuse == None) throw doc.Error(s, "disconnect", "the section declares neither a disconnect nor a fuse (leave it out on a board without a second means)");
            return m;
        }

        private static int Means(KeyValueDocument doc, string s, string key, bool bqOnBoard, string chipPart)
        {
            string v = doc.GetString(s, key, "none");
            if (v == "none") return None;
            if (v == "gpio") return Gpio;
            if (v == "bq76952")
            {
                if (!bqOnBoard) throw doc.Error(s, key, "bq76952 (" + chipPart + ") needs the BQ76952 on the board (a [bq76952] section and a source = bq76952)");
                return Bq76952;
            }
            throw doc.Error(s, key, "must be none, bq76952 or gpio, not '" + v + "'");
        }
    }
}
