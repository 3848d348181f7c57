namespace SolidBms.Core.Config
{
    /// <summary>The I2C controller a board uses ([i2c] section) and how drivers treat failures on it.</summary>
    public sealed class I2cBusSettings
    {
        /// <summary>ESP32 I2C controller, 1 or 2.</summary>
        public int Bus;
        public int SdaPin;
        public int SclPin;
        public int SpeedHz;

        /// <summary>Transactions in a row that may fail before a reading is marked invalid and the bus is recovered.</summary>
        public int MaxConsecutiveFailures;

        /// <summary>A chip that has not finished a conversion for this long is reported Stale.</summary>
        public int StaleAfterMs;
    }

    /// <summary>[bq76952]: the cell monitor. Cell n of the pack is on input CellInputs[n] (1..16).</summary>
    public sealed class Bq76952Settings
    {
        public int Address;
        /// <summary>True when the chip is set to "I2C with CRC" (Settings:Configuration:Comm Type); the driver then checks every byte.</summary>
        public bool Crc;
        public int[] CellInputs;
        /// <summary>Thermistor pins by name (TS1, TS2, TS3, CFETOFF, DFETOFF, ALERT, HDQ, DCHG, DDSG).</summary>
        public string[] ThermistorPins;
        /// <summary>Per cell: index into ThermistorPins (0-based) of the thermistor on that cell.</summary>
        public int[] CellThermistors;
        /// <summary>The chip's own cell over/under-voltage protections, set outside the firmware limits (second line of defence).</summary>
        public int CovMillivolts;
        public int CuvMillivolts;
        /// <summary>+1 when the chip's positive CC2 current means discharge, -1 when it means charge (TI's default).</summary>
        public int CurrentSign;
        /// <summary>The chip's CHG/DSG FETs are the board's second means ([secondMeans] disconnect = bq76952): host FET-off commands must be honoured.</summary>
        public bool HostFetControl;
    }

    /// <summary>[ina228]: the shunt monitor.</summary>
    public sealed class Ina228Settings
    {
        public int Address;
        public float ShuntMilliOhm;
        public float MaxCurrentA;
        /// <summary>0: +-163.84 mV shunt range; 1: +-40.96 mV (SHUNT_CAL x4).</summary>
        public int AdcRange;
        public int CurrentSign;
    }

    /// <summary>[nau7802]: the load-cell converter of the stack fixture.</summary>
    public sealed class Nau7802Settings
    {
        public int Address;
        /// <summary>PGA gain 1, 2, 4, ..., 128.</summary>
        public int Gain;
        /// <summary>10, 20, 40, 80 or 320 samples per second.</summary>
        public int SamplesPerSecond;
        public float LoadCellRatedNewton;
        public float SensitivityMvPerV;
        /// <summary>Counts at zero load (tare), from calibration.</summary>
        public int TareCounts;
        /// <summary>Known load / indicated load at the span point (1 when uncalibrated).</summary>
        public float SpanFactor;
    }

    /// <summary>[fma]: a Honeywell FMA-series digital force sensor (compression, I2C).</summary>
    public sealed class FmaSettings
    {
        public int Address;
        /// <summary>Full-scale force of the part: 5, 15 or 25 N.</summary>
        public float RatedNewton;
        /// <summary>Output at zero and full force, percent of 2^14 counts: 10..90 or 20..80 (the part number says which).</summary>
        public int MinPercent;
        public int MaxPercent;
        /// <summary>Counts at zero load in the fixture (tare), from calibration; 0 = use the transfer function's zero.</summary>
        public int TareCounts;
    }

    /// <summary>Reads the I2C sections of a board file. Parsing allocates; it runs at load time only.</summary>
    public static class I2cBoardSections
    {
        public static readonly string[] Bq76952PinNames = { "TS1", "TS2", "TS3", "CFETOFF", "DFETOFF", "ALERT", "HDQ", "DCHG", "DDSG" };

        public static I2cBusSettings LoadBus(KeyValueDocument doc)
        {
            var s = new I2cBusSettings();
            s.Bus = doc.GetInt("i2c", "bus", 1, 2);
            s.SdaPin = doc.GetInt("i2c", "sdaPin", 0, 48);
            s.SclPin = doc.GetInt("i2c", "sclPin", 0, 48);
            if (s.SdaPin == s.SclPin) throw doc.Error("i2c", "sclPin", "SCL and SDA cannot share GPIO " + s.SclPin.ToString());
            s.SpeedHz = doc.GetInt("i2c", "speedHz", 100000, 400000, 100000);
            if (s.SpeedHz != 100000 && s.SpeedHz != 400000) throw doc.Error("i2c", "speedHz", "must be 100000 or 400000 (the two speeds nanoFramework offers)");
            s.MaxConsecutiveFailures = doc.GetInt("i2c", "maxConsecutiveFailures", 1, 20, 3);
            s.StaleAfterMs = doc.GetInt("i2c", "staleAfterMs", 50, 60000, 1000);
            return s;
        }

        public static Bq76952Settings LoadBq76952(KeyValueDocument doc, int cellCount, bool thermistorsOnChip)
        {
            var s = new Bq76952Settings();
            s.Address = Address(doc, "bq76952", 0x08);
            s.Crc = doc.GetBool("bq76952", "crc", true);
            s.CellInputs = doc.GetIntList("bq76952", "cellInputs", 1, 16, cellCount);
            for (int i = 1; i < s.CellInputs.Length; i++)
                if (s.CellInputs[i] <= s.CellInputs[i - 1]) throw doc.Error("bq76952", "cellInputs", "inputs must rise from the bottom cell up, without repeats");
            s.CovMillivolts = doc.GetInt("bq76952", "covMillivolts", 1012, 5566);
            s.CuvMillivolts = doc.GetInt("bq76952", "cuvMillivolts", 1012, 5566);
            if (s.CuvMillivolts >= s.CovMillivolts) throw doc.Error("bq76952", "cuvMillivolts", "must be below covMillivolts");
            s.CurrentSign = Sign(doc, "bq76952", -1);
            if (thermistorsOnChip)
            {
                s.ThermistorPins = Names(doc, "bq76952", "thermistorPins", Bq76952PinNames);
                s.CellThermistors = doc.GetIntList("bq76952", "cellThermistors", 1, s.ThermistorPins.Length, cellCount);
                for (int i = 0; i < s.CellThermistors.Length; i++) s.CellThermistors[i]--;
            }
            return s;
        }

        public static Ina228Settings LoadIna228(KeyValueDocument doc)
        {
            var s = new Ina228Settings();
            s.Address = Address(doc, "ina228", 0x40);
            s.ShuntMilliOhm = (float)doc.GetNumber("ina228", "shuntMilliOhm", 0.01, 100000);
            s.MaxCurrentA = (float)doc.GetNumber("ina228", "maxCurrentA", 0.001, 10000);
            s.AdcRange = doc.GetInt("ina228", "adcRange", 0, 1, 0);
            s.CurrentSign = Sign(doc, "ina228", 1);
            // SHUNT_CAL is a 15-bit register: the rating and the shunt must give a value that fits.
            double cal = 13107.2e6 * (s.MaxCurrentA / 524288.0) * (s.ShuntMilliOhm / 1000.0) * (s.AdcRange == 1 ? 4 : 1);
            if (cal < 1 || cal > 32767) throw doc.Error("ina228", "maxCurrentA", "gives SHUNT_CAL outside 1..32767 with this shunt; change maxCurrentA or adcRange");
            double fullScaleMv = s.AdcRange == 1 ? 40.96 : 163.84;
            if (s.MaxCurrentA * s.ShuntMilliOhm / 1000.0 * 1000.0 > fullScaleMv * 1.0001)
                throw doc.Error("ina228", "maxCurrentA", "drops more than the " + (s.AdcRange == 1 ? "40.96" : "163.84") + " mV shunt range across the shunt");
            return s;
        }

        public static Nau7802Settings LoadNau7802(KeyValueDocument doc)
        {
            var s = new Nau7802Settings();
            s.Address = Address(doc, "nau7802", 0x2A);
            s.Gain = doc.GetInt("nau7802", "gain", 1, 128, 128);
            if ((s.Gain & (s.Gain - 1)) != 0) throw doc.Error("nau7802", "gain", "must be 1, 2, 4, 8, 16, 32, 64 or 128");
            s.SamplesPerSecond = doc.GetInt("nau7802", "samplesPerSecond", 10, 320, 80);
            if (s.SamplesPerSecond != 10 && s.SamplesPerSecond != 20 && s.SamplesPerSecond != 40 && s.SamplesPerSecond != 80 && s.SamplesPerSecond != 320)
                throw doc.Error("nau7802", "samplesPerSecond", "must be 10, 20, 40, 80 or 320");
            s.LoadCellRatedNewton = (float)doc.GetNumber("nau7802", "loadCellRatedNewton", 0.1, 10000000);
            s.SensitivityMvPerV = (float)doc.GetNumber("nau7802", "sensitivityMvPerV", 0.01, 100);
            s.TareCounts = doc.GetInt("nau7802", "tareCounts", -8388608, 8388607, 0);
            s.SpanFactor = (float)doc.GetNumber("nau7802", "spanFactor", 0.5, 2.0, 1.0);
            return s;
        }

        public static FmaSettings LoadFma(KeyValueDocument doc)
        {
            var s = new FmaSettings();
            s.Address = Address(doc, "fma", 0x28);
            s.RatedNewton = (float)doc.GetNumber("fma", "ratedNewton", 0.1, 1000);
            string tf = doc.GetString("fma", "transferFunction", "10-90");
            if (tf == "10-90") { s.MinPercent = 10; s.MaxPercent = 90; }
            else if (tf == "20-80") { s.MinPercent = 20; s.MaxPercent = 80; }
            else throw doc.Error("fma", "transferFunction", "must be 10-90 or 20-80 (percent of 2^14 counts)");
            s.TareCounts = doc.GetInt("fma", "tareCounts", 0, 16383, 0);
            return s;
        }

        /// <summary>A 7-bit address, written decimal or 0x-hex.</summary>
        public static int Address(KeyValueDocument doc, string section, int fallback)
        {
            if (!doc.Has(section, "address")) return fallback;
            var e = doc.Require(section, "address");
            int value;
            if (!TryParseAddress(e.Value, out value) || value < 0x08 || value > 0x77)
                throw new ConfigException(doc.SourceName, e.Line, e.QualifiedKey, "'" + e.Value + "' is not a 7-bit I2C address (0x08..0x77)");
            return value;
        }

        public static bool TryParseAddress(string text, out int value)
        {
            value = 0;
            if (text.Length > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
            {
                for (int i = 2; i < text.Length; i++)
                {
                    char c = text[i];
                    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                    if (d < 0 || value > 0xFFF) return false;
                    value = value * 16 + d;
                }
                return true;
            }
            return Util.NumberParser.TryParseInt(text, out value);
        }

        private static int Sign(KeyValueDocument doc, string section, int fallback)
        {
            int v = doc.GetInt(section, "currentSign", -1, 1, fallback);
            if (v == 0) throw doc.Error(section, "currentSign", "must be 1 or -1");
            return v;
        }

        private static string[] Names(KeyValueDocument doc, string section, string key, string[] allowed)
        {
            string[] parts = doc.GetString(section, key).Split(',');
            for (int i = 0; i < parts.Length; i++)
            {
                parts[i] = parts[i].Trim();
                bool known = false;
                for (int k = 0; k < allowed.Length; k++) if (allowed[k] == parts[i]) known = true;
                if (!known) throw doc.Error(section, key, "item " + (i + 1).ToString() + " '" + parts[i] + "' is not a thermistor pin (TS1, TS2, TS3, CFETOFF, DFETOFF, ALERT, HDQ, DCHG, DDSG)");
                for (int k = 0; k < i; k++) if (parts[k] == parts[i]) throw doc.Error(section, key, "pin " + parts[i] + " is listed twice");
            }
            return parts;
        }
    }
}
