using SolidBms.Core.Config;
using SolidBms.Core.Measurement;
using SolidBms.Drivers.I2cCommon;

namespace SolidBms.Drivers.Bq76952
{
    /// <summary>
    /// TI BQ76952 3-16 cell monitor and protector: cell voltages, CC2 current and thermistor temperatures,
    /// read as direct commands once per tick. At start-up (and after the chip was lost) it checks the device
    /// number, then configures which inputs carry cells and its own COV/CUV protections, set outside the
    /// firmware's limits so the chip stays a second line of defence. Register map: see README.md.
    /// </summary>
    public sealed class Bq76952Monitor
    {
        // Direct commands (datasheet / TRM "Direct Commands" table)
        public const byte CmdSafetyStatusA = 0x03;
        public const byte CmdCell1 = 0x14;
        public const byte CmdStack = 0x34;
        public const byte CmdCc2Current = 0x3A;
        public const byte CmdAlarmStatus = 0x62;
        public const byte CmdInternalTemperature = 0x68;

        // Subcommands and data memory (TRM "Subcommands", "Data Memory": Settings 13.3, Protections 13.6)
        public const int SubDeviceNumber = 0x0001;
        public const int SubSetConfigUpdate = 0x0090;
        public const int SubExitConfigUpdate = 0x0092;
        public const int DmEnabledProtectionsA = 0x9261;
        public const int DmCuvThreshold = 0x9275;
        public const int DmCovThreshold = 0x9278;
        public const int DmVcellMode = 0x9304;
        public const int DeviceNumber = 0x7695;

        // Cell balancing (TRM SLUUBY2B, "Cell Balancing" chapter; subcommands table; Settings:Cell Balancing Config)
        public const int SubCbActiveCells = 0x0083; // write: cells to balance (bit n-1 = VC input n), 0 stops; read: active cells
        public const int SubCbStatus1 = 0x0085;     // U2: seconds the present balancing has run
        public const int DmBalancingConfiguration = 0x9335; // H1: CB_NO_CMD bit 4, CB_NOSLEEP 3, CB_SLEEP 2, CB_RLX 1, CB_CHG 0
        public const int DmCbMinCellTemp = 0x9336;  // I1, degC
        public const int DmCbMaxCellTemp = 0x9337;  // I1, degC
        public const int DmCbMaxInternalTemp = 0x9338; // I1, degC
        public const int DmCbInterval = 0x9339;     // U1, s: host balancing stops unless renewed within it
        public const int DmCbMaxCells = 0x933A;     // U1: most cells balanced at once

        /// <summary>Balancing Configuration: host commands accepted, no autonomous balancing (the firmware decides).</summary>
        public const int BalancingHostOnly = 0x00;

        // Second line of defence (TRM SLUUBY2B: direct commands, subcommand table, Settings:FET; docs/safety.md)
        public const byte CmdBatteryStatus = 0x12;  // bit 10 FUSE: the FUSE pin was asserted (by the chip or a secondary protector), sampled once a second
        public const byte CmdFetStatus = 0x7F;      // bit 0 CHG_FET, 1 PCHG_FET, 2 DSG_FET, 3 PDSG_FET: the drivers that are on
        public const int SubFuseToggle = 0x001D;    // FUSE_TOGGLE: toggles the FUSE pin drive (UNSEALED or FULLACCESS)
        public const int SubDsgPdsgOff = 0x0093, SubChgPchgOff = 0x0094, SubAllFetsOff = 0x0095, SubAllFetsOn = 0x0096;
        public const int DmFetOptions = 0x9308;     // Settings:FET:FET Options (H1)
        /// <summary>FET Options as TRM default: SFET (bit 0), HOST_FET_EN (bit 2: FET-off commands honoured), FET_CTRL_EN (bit 3).</summary>
        public const int FetOptionsHostControl = 0x0D;
        public const int FetStatusSwitches = 0x0F;
        public const int BatteryStatusFuse = 0x0400;

        /// <summary>Alarm Status bit 7: a full measurement scan finished since the bit was last cleared.</summary>
        public const int AlarmFullScan = 0x0080;

        /// <summary>Enabled Protections A: SCD (bit 7), COV (bit 3), CUV (bit 2).</summary>
        public const byte ProtectionsA = 0x8C;

        /// <summary>COV/CUV threshold unit, mV per count.</summary>
        public const float ThresholdMillivoltsPerCount = 50.6f;

        public const float MinPlausibleCellMillivolts = 0f, MaxPlausibleCellMillivolts = 5500f;

        /// <summary>Readings at or below this are an open thermistor (the divider sits at its pull-up: coldest code).</summary>
        public const float OpenThermistorC = -40f;

        /// <summary>Readings at or above this are a shorted thermistor (pin at ground: hottest code).</summary>
        public const float ShortThermistorC = 150f;

        private readonly Bq76952Protocol _io;
        private readonly Bq76952Settings _settings;
        private readonly int _staleAfterMs;
        private readonly byte[] _pinCommands;
        // Block reads (the I2C block auto-increments the register address; TI's answer on E2E thread 1560065: 32 bytes
        // from 0x14 read all sixteen cells): the cells, stack-to-CC2 and the thermistor pins each in one transaction
        // instead of one per register, which cuts the bus time and the interpreter's per-transaction work.
        private readonly byte _cellBlockCommand, _pinBlockCommand;
        private readonly int _cellBlockBytes, _pinBlockBytes;
        /// <summary>Bytes from <see cref="CmdStack"/> through the CC2 current (0x34..0x3B).</summary>
        private const int StackToCurrentBytes = CmdCc2Current - CmdStack + 2;
        private readonly byte[] _word = new byte[36];
        private long _lastScanMs;
        // The cells' block ends where stack and CC2 begin (the top cell on input 16): one transaction reads all three.
        private readonly bool _stackInCellBlock;
        private readonly I2cHealth _health; // the link's, fixed: no chain of property calls a tick
        private long _lastSafetyReadMs = -SafetyStatusPeriodMs; // the first tick reads it

        /// <summary>How often Safety Status A is read, ms: a record of the chip's own protections, read by nothing in the
        /// loop (the firmware's limits act first, docs/safety.md), so not a transaction every tick.</summary>
        public const int SafetyStatusPeriodMs = 1000;

        public Bq76952Monitor(I2cLink link, Bq76952Settings settings, int staleAfterMs)
        {
            _io = new Bq76952Protocol(link, settings.Crc);
            _health = link.Health;
            _settings = settings;
            _staleAfterMs = staleAfterMs;
            int pins = settings.ThermistorPins == null ? 0 : settings.ThermistorPins.Length;
            _pinCommands = new byte[pins];
            for (int i = 0; i < pins; i++) _pinCommands[i] = PinCommand(settings.ThermistorPins[i]);
            int firstInput = 16, lastInput = 1;
            for (int i = 0; i < settings.CellInputs.Length; i++)
            {
                if (settings.CellInputs[i] < firstInput) firstInput = settings.CellInputs[i];
                if (settings.CellInputs[i] > lastInput) lastInput = settings.CellInputs[i];
            }
            _cellBlockCommand = (byte)(CmdCell1 + 2 * (firstInput - 1));
            _cellBlockBytes = lastInput >= firstInput ? 2 * (lastInput - firstInput + 1) : 0;
            byte firstPin = 0xFF, lastPin = 0;
            for (int p = 0; p < pins; p++)
            {
                if (_pinCommands[p] < firstPin) firstPin = _pinCommands[p];
                if (_pinCommands[p] > lastPin) lastPin = _pinCommands[p];
            }
            _stackInCellBlock = _cellBlockBytes > 0 && _cellBlockCommand + _cellBlockBytes == CmdStack;
            _pinBlockCommand = firstPin;
            _pinBlockBytes = pins > 0 ? lastPin - firstPin + 2 : 0;
            CellMillivolts = new float[settings.CellInputs.Length];
            CellStatus = new SensorStatus[settings.CellInputs.Length];
            PinTemperatureC = new float[pins];
            PinStatus = new SensorStatus[pins];
            Invalidate(SensorStatus.NoData);
        }

        public I2cHealth Health { get { return _health; } }

        /// <summary>Host-controlled balancing settings written at every (re-)initialisation; null: the chip's balancing is left alone.</summary>
        public BalancingSettings Balancing;

        /// <summary>Cells the chip reported balancing at the last <see cref="SetActiveCells"/> (bit n-1 = VC input n).</summary>
        public int ActiveCells { get; private set; }

        /// <summary>Per pack cell (board order), mV; NaN unless the status is Ok.</summary>
        public readonly float[] CellMillivolts;
        public readonly SensorStatus[] CellStatus;
        /// <summary>Per configured thermistor pin, degC.</summary>
        // (CurrentStatus OverRange: CC2 clipped at +-32.767 A with the default 1 mA userA; CurrentA holds the limit.)
        public readonly float[] PinTemperatureC;
        public readonly SensorStatus[] PinStatus;
        public float StackMillivolts;
        public float CurrentA;
        public SensorStatus CurrentStatus;
        /// <summary>Safety Status A of the last read (the chip's own protections that have tripped).</summary>
        public int SafetyStatusA;

        /// <summary>Direct command of a thermistor-capable pin.</summary>
        public static byte PinCommand(string pin)
        {
            switch (pin)
            {
                case "CFETOFF": return 0x6A;
                case "DFETOFF": return 0x6C;
                case "ALERT": return 0x6E;
                case "TS1": return 0x70;
                case "TS2": return 0x72;
                case "TS3": return 0x74;
                case "HDQ": return 0x76;
                case "DCHG": return 0x78;
                case "DDSG": return 0x7A;
                default: return 0;
            }
        }

        /// <summary>Checks the device number and writes the cell map and protections. False if the chip did not take them.</summary>
        public bool Initialise(long nowMs)
        {
            int number;
            if (!ReadSubcommandU16(SubDeviceNumber, out number)) return false;
            if (number != DeviceNumber)
            {
                _io.Link.Fail(I2cFault.WrongDevice);
                return false;
            }
            int vcellMode = 0;
            for (int i = 0; i < _settings.CellInputs.Length; i++) vcellMode |= 1 << (_settings.CellInputs[i] - 1);
            bool ok = Subcommand(SubSetConfigUpdate)
                && WriteDataMemory(DmVcellMode, vcellMode, 2)
                && WriteDataMemory(DmCovThreshold, ThresholdCounts(_settings.CovMillivolts), 1)
                && WriteDataMemory(DmCuvThreshold, ThresholdCounts(_settings.CuvMillivolts), 1)
                && WriteDataMemory(DmEnabledProtectionsA, ProtectionsA, 1)
                && (!_settings.HostFetControl || WriteDataMemory(DmFetOptions, FetOptionsHostControl, 1))
                && WriteBalancingConfig()
                && Subcommand(SubExitConfigUpdate);
            if (!ok) return false;
            Health.RecordInitialised();
            _lastScanMs = nowMs;
            return true;
        }

        private bool WriteBalancingConfig()
        {
            BalancingSettings b = Balancing;
            if (b == null) return true;
            return WriteDataMemory(DmBalancingConfiguration, BalancingHostOnly, 1)
                && WriteDataMemory(DmCbMinCellTemp, b.ChipMinCellTempC & 0xFF, 1)
                && WriteDataMemory(DmCbMaxCellTemp, b.ChipMaxCellTempC & 0xFF, 1)
                && WriteDataMemory(DmCbMaxInternalTemp, b.ChipMaxInternalTempC & 0xFF, 1)
                && WriteDataMemory(DmCbInterval, b.ChipIntervalS, 1)
                && WriteDataMemory(DmCbMaxCells, b.MaxCells, 1);
        }

        /// <summary>
        /// Starts (or renews, restarting the chip's interval timer) host-controlled balancing of the VC inputs in
        /// <paramref name="inputMask"/> (0 stops it), then reads CB_ACTIVE_CELLS back into <see cref="ActiveCells"/>.
        /// True only when the chip balances exactly what was asked (it refuses neighbours, more than Cell Balance Max
        /// Cells, and balancing outside its temperature window).
        /// </summary>
        public bool SetActiveCells(int inputMask)
        {
            int readBack;
            // A subcommand with data has the framing of a data-memory write: 0x3E.., then checksum and length at 0x60.
            if (Health.NeedsInitialise || !WriteDataMemory(SubCbActiveCells, inputMask & 0xFFFF, 2) || !ReadSubcommandU16(SubCbActiveCells, out readBack))
            {
                ActiveCells = 0; // unknown: the chip's own interval stops whatever it was doing
                return false;
            }
            ActiveCells = readBack;
            return readBack == (inputMask & 0xFFFF);
        }

        /// <summary>CBSTATUS1: seconds the present balancing has run; -1 when it cannot be read.</summary>
        public int ReadBalancingSeconds()
        {
            int seconds;
            return ReadSubcommandU16(SubCbStatus1, out seconds) ? seconds : -1;
        }

        /// <summary>
        /// Second means: ALL_FETS_OFF, unless FET Status already reads every switch off. True once FET Status reads them off
        /// (the tick after the command: the chip takes the subcommand, then switches). Never turns anything on.
        /// </summary>
        public bool ForceFetsOff()
        {
            if (_io.ReadDirect(CmdFetStatus, 1) && (_io.Data[0] & FetStatusSwitches) == 0) return true;
            Subcommand(SubAllFetsOff);
            return false;
        }

        private bool _fuseDriven;

        /// <summary>
        /// Drives the FUSE pin once with FUSE_TOGGLE, only while Battery Status says the pin is not asserted already (a
        /// second toggle would release it; the bit is sampled once a second, so it is never asked twice). True once the
        /// pin is driven.
        /// </summary>
        public bool DriveFuse()
        {
            if (_fuseDriven) return true;
            if (!_io.ReadDirect(CmdBatteryStatus, 2)) return false;
            if ((Bq76952Protocol.Int16(_io.Data, 0) & BatteryStatusFuse) == 0 && !Subcommand(SubFuseToggle)) return false;
            _fuseDriven = true;
            return true;
        }

        /// <summary>COV/CUV register value for a threshold, rounded to the nearest 50.6 mV step.</summary>
        public static int ThresholdCounts(int millivolts) { return (int)(millivolts / ThresholdMillivoltsPerCount + 0.5f); }

        /// <summary>Reads everything once. Each reading gets a status; a failed or stale chip gives NaN, never old values.</summary>
        public void Update(long nowMs)
        {
            if (_health.NeedsInitialise && !Initialise(nowMs))
            {
                Invalidate(SensorStatus.ReadFailed);
                return;
            }
            if (!_io.ReadDirect(CmdAlarmStatus, 2)) { Invalidate(SensorStatus.ReadFailed); return; }
            byte[] data = _io.Data;
            int alarm = data[0] | (data[1] << 8); // Int16 & 0xFFFF written out
            if ((alarm & AlarmFullScan) != 0)
            {
                _lastScanMs = nowMs;
                _word[0] = (byte)AlarmFullScan;
                _word[1] = 0;
                _io.WriteDirect(CmdAlarmStatus, _word, 2); // write 1 to clear
            }
            else if (nowMs - _lastScanMs > _staleAfterMs)
            {
                _io.Link.Fail(I2cFault.NotConverting);
                Invalidate(SensorStatus.Stale);
                return;
            }

            int cellRead = _stackInCellBlock ? _cellBlockBytes + StackToCurrentBytes : _cellBlockBytes;
            if (cellRead > 0 && !_io.ReadDirect(_cellBlockCommand, cellRead)) { Invalidate(SensorStatus.ReadFailed); return; }
            // The arrays in locals and Int16 written out: no property or static call per cell (every tick, on the interpreter).
            int[] inputs = _settings.CellInputs;
            float[] cellMv = CellMillivolts;
            SensorStatus[] cellStatus = CellStatus;
            int first = CmdCell1 - 2 - _cellBlockCommand; // the block's offset of input n is first + 2 n
            for (int i = 0; i < cellMv.Length; i++)
            {
                int at = first + 2 * inputs[i];
                float mv = (short)(data[at] | (data[at + 1] << 8));
                if (mv < MinPlausibleCellMillivolts || mv > MaxPlausibleCellMillivolts)
                {
                    Health.CountOutOfRange();
                    cellStatus[i] = SensorStatus.Implausible;
                    cellMv[i] = float.NaN;
                }
                else
                {
                    cellStatus[i] = SensorStatus.Ok;
                    cellMv[i] = mv;
                }
            }

            int stack = _stackInCellBlock ? _cellBlockBytes : 0; // where stack and CC2 are in the data
            if (!_stackInCellBlock && !_io.ReadDirect(CmdStack, StackToCurrentBytes)) { Invalidate(SensorStatus.ReadFailed); return; }
            StackMillivolts = (short)(data[stack] | (data[stack + 1] << 8)) * 10f; // userV: 10 mV by default
            int cc2At = stack + CmdCc2Current - CmdStack;
            short cc2 = (short)(data[cc2At] | (data[cc2At + 1] << 8));
            CurrentA = cc2 * 0.001f * _settings.CurrentSign; // userA: mA by default
            // CC2 at the end of its 16-bit range is clipped: at least that current, in that direction.
            CurrentStatus = cc2 == short.MaxValue || cc2 == short.MinValue ? SensorStatus.OverRange : SensorStatus.Ok;

            if (_pinBlockBytes > 0 && !_io.ReadDirect(_pinBlockCommand, _pinBlockBytes)) { Invalidate(SensorStatus.ReadFailed); return; }
            byte[] pins = _pinCommands;
            float[] pinC = PinTemperatureC;
            SensorStatus[] pinStatus = PinStatus;
            for (int p = 0; p < pins.Length; p++)
            {
                int at = pins[p] - _pinBlockCommand;
                float c = (data[at] | (data[at + 1] << 8)) * 0.1f - 273.15f; // 0.1 K, unsigned
                if (c <= OpenThermistorC) { pinStatus[p] = SensorStatus.Open; pinC[p] = float.NaN; }
                else if (c >= ShortThermistorC) { pinStatus[p] = SensorStatus.Short; pinC[p] = float.NaN; }
                else { pinStatus[p] = SensorStatus.Ok; pinC[p] = c; }
            }

            if (nowMs - _lastSafetyReadMs >= SafetyStatusPeriodMs && _io.ReadDirect(CmdSafetyStatusA, 1))
            {
                SafetyStatusA = _io.Data[0];
                _lastSafetyReadMs = nowMs;
            }
        }

        private void Invalidate(SensorStatus status)
        {
            for (int i = 0; i < CellMillivolts.Length; i++) { CellMillivolts[i] = float.NaN; CellStatus[i] = status; }
            for (int p = 0; p < PinTemperatureC.Length; p++) { PinTemperatureC[p] = float.NaN; PinStatus[p] = status; }
            StackMillivolts = float.NaN;
            CurrentA = float.NaN;
            CurrentStatus = status;
        }

        // --- Subcommands and data memory (load time only) ---

        private bool Subcommand(int subcommand)
        {
            _word[0] = (byte)(subcommand & 0xFF);
            _word[1] = (byte)(subcommand >> 8);
            return _io.WriteDirect(Bq76952Protocol.CmdSubcommandLow, _word, 2);
        }

        /// <summary>Sends a subcommand, waits until 0x3E/0x3F read it back (0xFF while busy), then reads and checks its response.</summary>
        public bool ReadSubcommandU16(int subcommand, out int value)
        {
            value = 0;
            if (!Subcommand(subcommand)) return false;
            bool done = false;
            for (int poll = 0; poll < 20 && !done; poll++)
            {
                if (!_io.ReadDirect(Bq76952Protocol.CmdSubcommandLow, 2)) return false;
                done = _io.Data[0] == (byte)(subcommand & 0xFF) && _io.Data[1] == (byte)(subcommand >> 8);
            }
            if (!done) { _io.Link.Fail(I2cFault.Timeout); return false; }
            if (!_io.ReadDirect(Bq76952Protocol.CmdTransferChecksum, 2)) return false;
            int checksum = _io.Data[0], length = _io.Data[1];
            if (length < 6 || length > 36) { _io.Link.Fail(I2cFault.OutOfRange); return false; }
            int dataBytes = length - 4;
            if (!_io.ReadDirect(Bq76952Protocol.CmdTransferBuffer, dataBytes)) return false;
            _word[0] = (byte)(subcommand & 0xFF);
            _word[1] = (byte)(subcommand >> 8);
            for (int i = 0; i < dataBytes; i++) _word[2 + i] = _io.Data[i];
            if (Bq76952Protocol.Checksum(_word, 2 + dataBytes) != checksum) { _io.Link.Fail(I2cFault.CrcMismatch); return false; }
            value = _io.Data[0] | (_io.Data[1] << 8);
            return true;
        }

        /// <summary>Writes a 1- or 2-byte data memory value: address and data at 0x3E.., then checksum and length at 0x60.</summary>
        public bool WriteDataMemory(int address, int value, int bytes)
        {
            _word[0] = (byte)(address & 0xFF);
            _word[1] = (byte)(address >> 8);
            _word[2] = (byte)(value & 0xFF);
            _word[3] = (byte)(value >> 8);
            if (!_io.WriteDirect(Bq76952Protocol.CmdSubcommandLow, _word, 2 + bytes)) return false;
            byte checksum = Bq76952Protocol.Checksum(_word, 2 + bytes);
            _word[0] = checksum;
            _word[1] = (byte)(bytes + 4);
            return _io.WriteDirect(Bq76952Protocol.CmdTransferChecksum, _word, 2);
        }
    }
}
