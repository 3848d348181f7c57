namespace SolidBms.Core.Config
{
    /// <summary>
    /// What is wired where on one rig (board/boards/*.board): ADC channels, dividers, sensors, outputs and
    /// serial ports. Validated when loaded: a missing pin, a channel used twice or a zero divider is
    /// refused with the file and line.
    /// </summary>
    public sealed class BoardConfig
    {
        /// <summary>The capture's ring when the board file does not say ([lab] captureSamples).</summary>
        public const int DefaultCaptureSamples = 300;

        public string Name;
        public int TickMs;
        public int TelemetryPeriodMs;
        public int TelemetryUart;
        public int TelemetryBaud;
        public int WatchdogTimeoutMs;
        public string CellModelName;

        /// <summary>
        /// The lab capture's ring ([lab] captureSamples, default 300: 30 s at 100 ms) and how many of its samples come
        /// before the trigger ([lab] capturePreTriggerSamples, default two thirds): about 11 bytes plus 2 a cell a sample
        /// of the device's managed heap (docs/lab.md).
        /// </summary>
        public int CaptureSamples, CapturePreTriggerSamples;

        /// <summary>The unit's serial number ([board] serialNumber, optional: null when the file has none), for SunSpec's SN.</summary>
        public string SerialNumber;

        // [modbus] and [security] (protocol issue): the second serial port and the key that unlocks writes.
        public int ModbusUart;
        public int ModbusBaud;
        public int ModbusAddress;

        /// <summary>Unlocks writes over both ports (docs/protocol.md). The board files ship a placeholder: a real rig must change it.</summary>
        public string DeviceKey;
        public string ProfileName;

        // Converter
        public int AdcMaxCounts;
        public int Oversample;
        public float AdcDefaultMillivoltsPerCount;

        // Cells
        public int CellCount;
        public int[] CellAdcChannels;
        public float[] CellDividerRatios;

        /// <summary>True: each channel sees one cell through a differential amplifier; false: channels are stacked taps to pack minus.</summary>
        public bool CellDifferential;

        // Thermistors (one per cell)
        public int[] ThermistorAdcChannels;
        public string ThermistorPart;
        public float ThermistorPullupOhm;

        /// <summary>Voltage across pull-up plus thermistor, mV (the divider's supply).</summary>
        public float ThermistorSupplyMillivolts;

        // Current (analog shunt amplifier or Hall sensor)
        public int CurrentAdcChannel;
        public float CurrentZeroMillivolts;
        public float CurrentMillivoltsPerAmp;

        // Stack pressure (load cell amplifier, one per stack)
        public int[] PressureAdcChannels;
        public float PressureZeroMillivolts;
        public float PressureMillivoltsPerNewton;
        public float PressedAreaCm2;

        // Outputs (GPIO numbers)
        public int MainContactorPin;
        public int ChargeEnablePin;
        public int DischargeEnablePin;
        public int AlarmPin;

        /// <summary>Precharge relay GPIO, -1 when the rig has no precharge circuit.</summary>
        public int PrechargePin;

        /// <summary>ADC channel of the load-side (DC link) voltage divider, -1 when not fitted.</summary>
        public int LinkAdcChannel;
        public float LinkDividerRatio;

        public int PrechargeTimeoutMs;
        public int PrechargeFixedMs;
        public int PrechargeMatchPercent;
        public int WeldCheckMs;

        /// <summary>
        /// Per ADC channel number: calibration (defaults to the nominal gain, zero offset), as two arrays of floats. An
        /// array of structs is an object per element on nanoFramework's heap: 48 bytes a channel on the ESP32, not 8.
        /// </summary>
        public float[] CalibrationOffsetMillivolts, CalibrationMillivoltsPerCount;

        /// <summary>ADC channel numbers the board may use (0 .. this - 1): [adc] channels.</summary>
        public int AdcChannelCount { get { return CalibrationMillivoltsPerCount.Length; } }

        /// <summary>A channel's calibration as a pair (for the front end's construction; a copy: not for every tick).</summary>
        public AdcChannelCalibration CalibrationOf(int channel)
        {
            AdcChannelCalibration c;
            c.OffsetMillivolts = CalibrationOffsetMillivolts[channel];
            c.MillivoltsPerCount = CalibrationMillivoltsPerCount[channel];
            return c;
        }

        public int StackCount { get { return PressureAdcChannels.Length; } }

        // --- I2C front end (drv branch): where each quantity is read, and the chips' settings. ---
        public SensorSource CellSource;
        public SensorSource ThermistorSource;
        public SensorSource CurrentSource;
        public SensorSource PressureSource;
        /// <summary>Null when nothing is on I2C.</summary>
        public I2cBusSettings I2c;
        public Bq76952Settings Bq76952;
        public Ina228Settings Ina228;
        public Nau7802Settings Nau7802;
        public FmaSettings Fma;

        /// <summary>Bleed balancing hardware ([balancing]); null when the rig has none.</summary>
        public BalancingSettings Balancing;

        /// <summary>The second means of stopping the current when the contactor does not ([secondMeans]); null when the rig has none.</summary>
        public SecondMeansSettings SecondMeans;

        public bool UsesI2c { get { return I2c != null; } }

        public bool UsesAdc
        {
            get { return CellSource == SensorSource.Adc || ThermistorSource == SensorSource.Adc || CurrentSource == SensorSource.Adc || PressureSource == SensorSource.Adc; }
        }

        private static bool SerialNumberValid(string s)
        {
            if (s.Length < 1 || s.Length > 32) return false;
            for (int i = 0; i < s.Length; i++) if (s[i] <= ' ' || s[i] > '~') return false;
            return true;
        }

        public static BoardConfig Load(string text, string sourceName)
        {
            var doc = KeyValueDocument.Parse(text, sourceName);
            var b = new BoardConfig();
            b.Name = doc.GetString("board", "name");
            doc.GetString("board", "description", "");
            b.TickMs = doc.GetInt("board", "tickMs", 10, 10000, 100);
            b.CellModelName = doc.GetString("board", "cell");
            b.ProfileName = doc.GetString("board", "profile");
            b.SerialNumber = doc.GetString("board", "serialNumber", null);
            if (b.SerialNumber != null && !SerialNumberValid(b.SerialNumber))
                throw doc.Error("board", "serialNumber", "must be 1..32 printable ASCII characters without spaces (SunSpec SN: 16 registers)");
            b.WatchdogTimeoutMs = doc.GetInt("board", "watchdogTimeoutMs", 100, 60000, 2000);
            if (b.WatchdogTimeoutMs < 2 * b.TickMs) throw doc.Error("board", "watchdogTimeoutMs", "must be at least two ticks");

            b.TelemetryUart = doc.GetInt("telemetry", "uart", 0, 2);
            b.TelemetryBaud = doc.GetInt("telemetry", "baud", 1200, 3000000);
            b.TelemetryPeriodMs = doc.GetInt("telemetry", "periodMs", 10, 60000, 1000);
            b.CaptureSamples = doc.GetInt("lab", "captureSamples", 10, 6000, DefaultCaptureSamples);
            b.CapturePreTriggerSamples = doc.GetInt("lab", "capturePreTriggerSamples", 0, b.CaptureSamples - 1, b.CaptureSamples * 2 / 3);

            // Modbus port (optional, defaults) and the device key (required, 12..32 printable ASCII, no delimiters,
            // at least 8 different characters; the placeholder in any letter case is the placeholder: it unlocks nothing)
            b.ModbusUart = doc.GetInt("modbus", "uart", 0, 2, 1);
            b.ModbusBaud = doc.GetInt("modbus", "baud", 1200, 3000000, 115200);
            b.ModbusAddress = doc.GetInt("modbus", "address", 1, 247, 1);
            b.DeviceKey = doc.GetString("security", "deviceKey");
            string keyProblem = Protocol.DeviceAuth.KeyProblem(b.DeviceKey);
            if (keyProblem != null) throw doc.Error("security", "deviceKey", keyProblem);
            if (Protocol.DeviceAuth.IsPlaceholderKey(b.DeviceKey)) b.DeviceKey = Protocol.DeviceAuth.PlaceholderKey; // every reader sees the placeholder

            b.CellSource = Source(doc, "cells", SensorSource.Bq76952);
            b.ThermistorSource = Source(doc, "thermistors", SensorSource.Bq76952);
            b.CurrentSource = Source(doc, "current", SensorSource.Ina228, SensorSource.Bq76952);
            b.PressureSource = Source(doc, "pressure", SensorSource.Nau7802, SensorSource.Fma);
            bool adc = b.UsesAdc;

            b.AdcMaxCounts = adc ? doc.GetInt("adc", "maxCounts", 255, 16777215) : doc.GetInt("adc", "maxCounts", 255, 16777215, 4095);
            b.Oversample = doc.GetInt("adc", "oversample", 1, 64, 1);
            b.AdcDefaultMillivoltsPerCount = (float)(adc ? doc.GetNumber("adc", "millivoltsPerCount", 1e-6, 100) : doc.GetNumber("adc", "millivoltsPerCount", 1e-6, 100, 0.757));
            int channelLimit = adc ? doc.GetInt("adc", "channels", 1, 256) : doc.GetInt("adc", "channels", 0, 256, 0);

            b.CellCount = doc.GetInt("cells", "count", 1, 64);
            if (b.CellSource == SensorSource.Adc)
            {
                b.CellAdcChannels = doc.GetIntList("cells", "adcChannels", 0, channelLimit - 1, b.CellCount);
                b.CellDividerRatios = doc.GetNumberList("cells", "dividerRatios", 1e-3, 1000, b.CellCount);
                string wiring = doc.GetString("cells", "wiring");
                if (wiring != "differential" && wiring != "stacked") throw doc.Error("cells", "wiring", "must be differential or stacked");
                b.CellDifferential = wiring == "differential";
            }
            else
            {
                b.CellAdcChannels = Unwired(b.CellCount);
                b.CellDividerRatios = Ones(b.CellCount);
                b.CellDifferential = true;
            }

            b.ThermistorAdcChannels = b.ThermistorSource == SensorSource.Adc ? doc.GetIntList("thermistors", "adcChannels", 0, channelLimit - 1, b.CellCount) : Unwired(b.CellCount);
            b.ThermistorPart = doc.GetString("thermistors", "part");
            b.ThermistorPullupOhm = (float)doc.GetNumber("thermistors", "pullupOhm", 1, 10000000);
            b.ThermistorSupplyMillivolts = (float)doc.GetNumber("thermistors", "supplyMillivolts", 100, 100000);

            if (b.CurrentSource == SensorSource.Adc)
            {
                b.CurrentAdcChannel = doc.GetInt("current", "adcChannel", 0, channelLimit - 1);
                b.CurrentZeroMillivolts = (float)doc.GetNumber("current", "zeroMillivolts", -100000, 100000);
                b.CurrentMillivoltsPerAmp = (float)doc.GetNumber("current", "millivoltsPerAmp", -100000, 100000);
                if (b.CurrentMillivoltsPerAmp == 0) throw doc.Error("current", "millivoltsPerAmp", "must not be zero");
            }
            else
            {
                b.CurrentAdcChannel = -1;
                b.CurrentMillivoltsPerAmp = 1;
            }

            if (b.PressureSource == SensorSource.Adc)
            {
                b.PressureAdcChannels = doc.GetIntList("pressure", "adcChannels", 0, channelLimit - 1, 0);
                b.PressureZeroMillivolts = (float)doc.GetNumber("pressure", "zeroMillivolts", -100000, 100000);
                b.PressureMillivoltsPerNewton = (float)doc.GetNumber("pressure", "millivoltsPerNewton", -100000, 100000);
                if (b.PressureMillivoltsPerNewton == 0) throw doc.Error("pressure", "millivoltsPerNewton", "must not be zero");
            }
            else
            {
                // One NAU7802 (or FMA sensor) at its fixed address: one load cell, one stack.
                b.PressureAdcChannels = Unwired(1);
                b.PressureMillivoltsPerNewton = 1;
            }
            b.PressedAreaCm2 = (float)doc.GetNumber("pressure", "pressedAreaCm2", 0.01, 100000);

            LoadI2c(doc, b);
            b.Balancing = BalancingSettings.Load(doc, b.CellCount, b.CellSource == SensorSource.Bq76952);

            b.MainContactorPin = doc.GetInt("outputs", "mainContactorPin", 0, 48);
            b.ChargeEnablePin = doc.GetInt("outputs", "chargeEnablePin", 0, 48);
            b.DischargeEnablePin = doc.GetInt("outputs", "dischargeEnablePin", 0, 48);
            b.AlarmPin = doc.GetInt("outputs", "alarmPin", 0, 48);
            b.PrechargePin = doc.GetInt("outputs", "prechargePin", 0, 48, -1);
            b.LinkAdcChannel = doc.GetInt("link", "adcChannel", 0, channelLimit - 1, -1);
            b.LinkDividerRatio = b.LinkAdcChannel >= 0 ? (float)doc.GetNumber("link", "dividerRatio", 1e-3, 1000) : 1f;
            b.PrechargeTimeoutMs = doc.GetInt("contactor", "prechargeTimeoutMs", 10, 60000, 3000);
            b.PrechargeFixedMs = doc.GetInt("contactor", "prechargeFixedMs", 0, 60000, 500);
            b.PrechargeMatchPercent = doc.GetInt("contactor", "prechargeMatchPercent", 50, 100, 95);
            b.WeldCheckMs = doc.GetInt("contactor", "weldCheckMs", 10, 60000, 500);
            if (b.PrechargeFixedMs >= b.PrechargeTimeoutMs) throw doc.Error("contactor", "prechargeFixedMs", "must be shorter than prechargeTimeoutMs");
            b.SecondMeans = SecondMeansSettings.Load(doc, b.Bq76952 != null, b.WeldCheckMs);
            if (b.Bq76952 != null) b.Bq76952.HostFetControl = b.SecondMeans != null && b.SecondMeans.Disconnect == SecondMeansSettings.Bq76952;

            b.CalibrationOffsetMillivolts = new float[channelLimit];
            b.CalibrationMillivoltsPerCount = new float[channelLimit];
            for (int ch = 0; ch < channelLimit; ch++)
            {
                b.CalibrationMillivoltsPerCount[ch] = b.AdcDefaultMillivoltsPerCount;
                string key = "ch" + ch.ToString();
                if (!doc.Has("calibration", key)) continue;
                float[] pair = doc.GetNumberList("calibration", key, -100000, 100000, 2);
                if (pair[1] <= 0) throw doc.Error("calibration", key, "gain (second value, mV per count) must be positive");
                b.CalibrationOffsetMillivolts[ch] = pair[0];
                b.CalibrationMillivoltsPerCount[ch] = pair[1];
            }

            CheckUniqueChannels(doc, b);
            CheckUniquePins(doc, b);
            CheckUniqueAddresses(doc, b);
            doc.RejectUnusedKeys();
            return b;
        }

        private static void CheckUniqueChannels(KeyValueDocument doc, BoardConfig b)
        {
            var used = new bool[b.AdcChannelCount];
            Claim(doc, used, b.CellAdcChannels, "cells", "adcChannels");
            Claim(doc, used, b.ThermistorAdcChannels, "thermistors", "adcChannels");
            Claim(doc, used, new int[] { b.CurrentAdcChannel }, "current", "adcChannel");
            Claim(doc, used, b.PressureAdcChannels, "pressure", "adcChannels");
            if (b.LinkAdcChannel >= 0) Claim(doc, used, new int[] { b.LinkAdcChannel }, "link", "adcChannel");
        }

        private static void Claim(KeyValueDocument doc, bool[] used, int[] channels, string section, string key)
        {
            for (int i = 0; i < channels.Length; i++)
            {
                if (channels[i] < 0) continue; // read over I2C, no ADC channel
                if (used[channels[i]]) throw doc.Error(section, key, "ADC channel " + channels[i].ToString() + " is already used");
                used[channels[i]] = true;
            }
        }

        private static void CheckUniquePins(KeyValueDocument doc, BoardConfig b)
        {
            SecondMeansSettings second = b.SecondMeans;
            int[] pins = { b.MainContactorPin, b.ChargeEnablePin, b.DischargeEnablePin, b.AlarmPin, b.PrechargePin,
                second != null ? second.DisconnectPin : -1, second != null ? second.FusePin : -1 };
            string[] keys = { "mainContactorPin", "chargeEnablePin", "dischargeEnablePin", "alarmPin", "prechargePin", "disconnectPin", "fusePin" };
            string[] sections = { "outputs", "outputs", "outputs", "outputs", "outputs", "secondMeans", "secondMeans" };
            for (int i = 0; i < pins.Length; i++)
                for (int j = 0; j < i; j++)
                    if (pins[i] >= 0 && pins[i] == pins[j])
                        throw doc.Error(sections[i], keys[i], "GPIO " + pins[i].ToString() + " is already " + (sections[j] == sections[i] ? "" : sections[j] + ".") + keys[j]);
            int[] bleed = b.Balancing != null && b.Balancing.Pins != null ? b.Balancing.Pins : new int[0];
            for (int i = 0; i < bleed.Length; i++)
            {
                for (int j = 0; j < pins.Length; j++)
                    if (bleed[i] == pins[j]) throw doc.Error("balancing", "pins", "GPIO " + bleed[i].ToString() + " is already " + sections[j] + "." + keys[j]);
                if (b.I2c != null && (bleed[i] == b.I2c.SdaPin || bleed[i] == b.I2c.SclPin)) throw doc.Error("balancing", "pins", "GPIO " + bleed[i].ToString() + " is an I2C pin");
            }
            if (b.I2c == null) return;
            for (int i = 0; i < pins.Length; i++)
            {
                if (pins[i] == b.I2c.SdaPin) throw doc.Error(sections[i], keys[i], "GPIO " + pins[i].ToString() + " is already i2c.sdaPin");
                if (pins[i] == b.I2c.SclPin) throw doc.Error(sections[i], keys[i], "GPIO " + pins[i].ToString() + " is already i2c.sclPin");
            }
        }

        // --- I2C front end (drv branch) ---

        private static SensorSource Source(KeyValueDocument doc, string section, SensorSource i2cOption, SensorSource secondOption = SensorSource.Adc)
        {
            string v = doc.GetString(section, "source", "adc");
            if (v == "adc") return SensorSource.Adc;
            if (v == SourceName(i2cOption)) return i2cOption;
            if (secondOption != SensorSource.Adc && v == SourceName(secondOption)) return secondOption;
            string allowed = "adc or " + SourceName(i2cOption) + (secondOption != SensorSource.Adc ? " or " + SourceName(secondOption) : "");
            throw doc.Error(section, "source", "must be " + allowed + ", not '" + v + "'");
        }

        public static string SourceName(SensorSource s)
        {
            if (s == SensorSource.Bq76952) return "bq76952";
            if (s == SensorSource.Ina228) return "ina228";
            if (s == SensorSource.Nau7802) return "nau7802";
            if (s == SensorSource.Fma) return "fma";
            return "adc";
        }

        private static void LoadI2c(KeyValueDocument doc, BoardConfig b)
        {
            bool bq = b.CellSource == SensorSource.Bq76952 || b.ThermistorSource == SensorSource.Bq76952 || b.CurrentSource == SensorSource.Bq76952;
            bool ina = b.CurrentSource == SensorSource.Ina228;
            bool nau = b.PressureSource == SensorSource.Nau7802;
            bool fma = b.PressureSource == SensorSource.Fma;
            if (!bq && !ina && !nau && !fma)
            {
                if (doc.HasSection("i2c")) throw doc.Error("i2c", "bus", "no quantity is read over I2C (set a source)");
                return;
            }
            b.I2c = I2cBoardSections.LoadBus(doc);
            if (bq) b.Bq76952 = I2cBoardSections.LoadBq76952(doc, b.CellCount, b.ThermistorSource == SensorSource.Bq76952);
            if (ina) b.Ina228 = I2cBoardSections.LoadIna228(doc);
            if (nau) b.Nau7802 = I2cBoardSections.LoadNau7802(doc);
            if (fma) b.Fma = I2cBoardSections.LoadFma(doc);
        }

        /// <summary>Two chips on one bus at one address would answer together: refused, naming the second one's line.</summary>
        private static void CheckUniqueAddresses(KeyValueDocument doc, BoardConfig b)
        {
            int[] addresses = { b.Bq76952 != null ? b.Bq76952.Address : -1, b.Ina228 != null ? b.Ina228.Address : -1, b.Nau7802 != null ? b.Nau7802.Address : -1, b.Fma != null ? b.Fma.Address : -1 };
            string[] sections = { "bq76952", "ina228", "nau7802", "fma" };
            for (int i = 0; i < addresses.Length; i++)
                for (int j = 0; j < i; j++)
                    if (addresses[i] >= 0 && addresses[i] == addresses[j])
                        throw doc.Error(sections[i], "address", "I2C address 0x" + Hex(addresses[i]) + " is already used by [" + sections[j] + "]");
        }

        private static string Hex(int v)
        {
            const string digits = "0123456789ABCDEF";
            return new string(new char[] { digits[(v >> 4) & 0xF], digits[v & 0xF] });
        }

        private static int[] Unwired(int n)
        {
            int[] a = new int[n];
            for (int i = 0; i < n; i++) a[i] = -1;
            return a;
        }

        private static float[] Ones(int n)
        {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) a[i] = 1f;
            return a;
        }
    }
}
