using SolidBms.Core.Hal;

namespace SolidBms.NanoBench.Fakes
{
    /// <summary>
    /// A BQ76952 at register level, small enough to run on the device interpreter: the direct-command image the
    /// driver reads (Safety Status A 0x03, cells 0x14.., stack 0x34, CC2 0x3A in mA with charge positive, Alarm Status
    /// 0x62 with FULLSCAN, thermistor pins 0x68..0x7A in 0.1 K), subcommands and data-memory writes through
    /// 0x3E/0x40/0x60 with the chip's checksum and length, and "I2C with CRC": every write's CRC bytes are checked (a bad
    /// one is refused with a data NACK and the write dropped), every read byte carries its CRC-8 (poly 0x07; the first
    /// covers write address, command, read address and the byte, later ones their byte alone). The same framing as the
    /// host's model (Tools/SolidBms.Simulator/Chips/Bq76952Model.cs), written again for the device: the host model uses
    /// generics, spans and the BCL, which nanoFramework has not.
    /// Reads are served from a wire image kept up to date at every write of a register (data byte, CRC byte), so a
    /// read costs one native Array.Copy and one CRC look-up: the fake's own share of a tick stays small, as the
    /// ESP32 binding's would (the real chip does this work in silicon).
    /// </summary>
    public sealed class FakeBq76952 : II2cDevice
    {
        public const byte CmdSafetyStatusA = 0x03, CmdCell1 = 0x14, CmdStack = 0x34, CmdCc2 = 0x3A, CmdAlarmStatus = 0x62, CmdTemperature = 0x68;
        public const byte CmdSubcommand = 0x3E, CmdTransferBuffer = 0x40, CmdChecksum = 0x60, CmdLength = 0x61;
        public const int DeviceNumber = 0x7695;
        public const int SubDeviceNumber = 0x0001, SubSetConfigUpdate = 0x0090, SubExitConfigUpdate = 0x0092, SubCbActiveCells = 0x0083, SubCbStatus1 = 0x0085;
        public const int AlarmFullScan = 0x80;

        private readonly int _address;
        private readonly bool _crc;
        private readonly byte _addressWrite, _addressRead;
        private readonly byte[] _table = new byte[256];
        private readonly byte[] _image = new byte[0x80];
        private readonly byte[] _wire = new byte[0x100];     // per register: data byte, then its CRC as a later byte of a read
        private readonly byte[] _readPrefix = new byte[0x80]; // CRC of write address, command, read address: the first byte's CRC starts here
        private readonly byte[] _payload = new byte[40];
        private readonly byte[] _pending = new byte[40];
        private int _pendingLength;
        private int _cbActive;
        private long _cbStartMs;

        /// <summary>The chip's time, for CBSTATUS1 (seconds balancing has run).</summary>
        public long NowMs;
        public bool InConfigUpdate;
        /// <summary>Writes refused for a bad CRC, data-memory commits refused for a bad checksum or length.</summary>
        public int RefusedWrites, RefusedCommits, DataMemoryWrites;
        public long Transactions;

        public FakeBq76952(int address, bool crc)
        {
            _address = address;
            _crc = crc;
            _addressWrite = (byte)(address << 1);
            _addressRead = (byte)((address << 1) | 1);
            for (int b = 0; b < 256; b++)
            {
                int c = b;
                for (int bit = 0; bit < 8; bit++) c = (c & 0x80) != 0 ? ((c << 1) ^ 0x07) & 0xFF : (c << 1) & 0xFF;
                _table[b] = (byte)c;
            }
            for (int r = 0; r < 0x80; r++)
            {
                Set(r, 0);
                _readPrefix[r] = _table[_table[_table[_addressWrite] ^ r] ^ _addressRead];
            }
        }

        public int Address { get { return _address; } }

        /// <summary>VC inputs balancing now (bit n-1 = input n).</summary>
        public int ActiveCells { get { return _cbActive; } }

        private void Set(int register, int value)
        {
            byte v = (byte)value;
            _image[register] = v;
            _wire[2 * register] = v;
            _wire[2 * register + 1] = _table[v];
        }

        private void Set16(int register, int value)
        {
            Set(register, value & 0xFF);
            Set(register + 1, (value >> 8) & 0xFF);
        }

        /// <summary>
        /// One full measurement scan, as the chip makes every 50 ms: cells in mV (VC input n at index n-1), stack in
        /// 10 mV, pack current in A with positive = discharge (the chip reports CC2 in mA, charge positive), temperatures of
        /// the thermistor pins in degC (index (command - 0x68) / 2), and FULLSCAN set in Alarm Status.
        /// </summary>
        public void Scan(int[] inputMillivolts, int inputs, float currentA, float[] pinTemperatureC)
        {
            int stackMv = 0;
            for (int i = 0; i < inputs; i++)
            {
                Set16(CmdCell1 + 2 * i, inputMillivolts[i]);
                stackMv += inputMillivolts[i];
            }
            int stack10 = (stackMv + 5) / 10;
            Set16(CmdStack, stack10);
            Set16(CmdStack + 2, stack10);
            Set16(CmdStack + 4, stack10);
            float mA = -currentA * 1000f;
            int cc2 = mA >= 32767f ? 32767 : mA <= -32768f ? -32768 : (int)(mA < 0 ? mA - 0.5f : mA + 0.5f);
            Set16(CmdCc2, cc2 & 0xFFFF);
            for (int p = 0; p < pinTemperatureC.Length; p++) Set16(CmdTemperature + 2 * p, (int)((pinTemperatureC[p] + 273.15f) * 10f + 0.5f));
            Set(CmdAlarmStatus, _image[CmdAlarmStatus] | AlarmFullScan);
        }

        public I2cStatus Write(byte[] data, int offset, int count)
        {
            Transactions++;
            if (count < 1) return I2cStatus.BusError;
            byte cmd = data[offset];
            int n = 0;
            for (int i = offset + 1; i < offset + count; i++)
            {
                byte d = data[i];
                if (_crc)
                {
                    if (i + 1 >= offset + count) { RefusedWrites++; return I2cStatus.DataNack; }
                    byte expected = n == 0 ? _table[_table[_table[_addressWrite] ^ cmd] ^ d] : _table[d];
                    if (data[i + 1] != expected) { RefusedWrites++; return I2cStatus.DataNack; } // a corrupted write is refused, not applied
                    i++;
                }
                if (n < _payload.Length) _payload[n++] = d;
            }
            if (cmd == CmdSubcommand)
            {
                if (n == 2) RunSubcommand(_payload[0] | (_payload[1] << 8));
                else if (n > 2)
                {
                    for (int i = 0; i < n; i++) _pending[i] = _payload[i];
                    _pendingLength = n;
                }
            }
            else if (cmd == CmdChecksum && n == 2) Commit(_payload[0], _payload[1]);
            else if (cmd == CmdAlarmStatus && n >= 1)
            {
                Set(CmdAlarmStatus, _image[CmdAlarmStatus] & ~_payload[0]); // write 1 to clear
                if (n >= 2) Set(CmdAlarmStatus + 1, _image[CmdAlarmStatus + 1] & ~_payload[1]);
            }
            return I2cStatus.Ok; // other direct writes are taken and ignored
        }

        public I2cStatus Read(byte[] data, int offset, int count)
        {
            Transactions++;
            return I2cStatus.BusError; // the chip is read through a command (register) only
        }

        public I2cStatus WriteRead(byte[] write, int writeOffset, int writeCount, byte[] read, int readOffset, int readCount)
        {
            Transactions++;
            if (writeCount < 1) return I2cStatus.BusError;
            int register = write[writeOffset];
            if (!_crc)
            {
                for (int i = 0; i < readCount; i++) read[readOffset + i] = register + i < 0x80 ? _image[register + i] : (byte)0xFF;
                return I2cStatus.Ok;
            }
            if (register >= 0x80 || 2 * register + readCount > _wire.Length)
            {
                for (int i = 0; i < readCount; i++) read[readOffset + i] = 0xFF;
                return I2cStatus.Ok;
            }
            System.Array.Copy(_wire, 2 * register, read, readOffset, readCount);
            if (readCount > 1) read[readOffset + 1] = _table[_readPrefix[register] ^ _image[register]];
            return I2cStatus.Ok;
        }

        private void RunSubcommand(int sub)
        {
            Set(CmdSubcommand, sub & 0xFF);
            Set(CmdSubcommand + 1, sub >> 8);
            int length = 0, r0 = 0, r1 = 0;
            switch (sub)
            {
                case SubDeviceNumber: r0 = DeviceNumber & 0xFF; r1 = DeviceNumber >> 8; length = 2; break;
                case SubSetConfigUpdate: InConfigUpdate = true; _cbActive = 0; break;
                case SubExitConfigUpdate: InConfigUpdate = false; break;
                case SubCbActiveCells: r0 = _cbActive & 0xFF; r1 = _cbActive >> 8; length = 2; break;
                case SubCbStatus1:
                    long seconds = _cbActive == 0 ? 0 : (NowMs - _cbStartMs) / 1000;
                    if (seconds > 0xFFFF) seconds = 0xFFFF;
                    r0 = (int)(seconds & 0xFF); r1 = (int)(seconds >> 8); length = 2;
                    break;
            }
            Set(CmdTransferBuffer, r0);
            Set(CmdTransferBuffer + 1, r1);
            int sum = (sub & 0xFF) + (sub >> 8) + (length > 0 ? r0 + r1 : 0);
            Set(CmdChecksum, ~sum & 0xFF);
            Set(CmdLength, length + 4);
        }

        /// <summary>A data-memory write (or a subcommand with data) completes with its checksum and length at 0x60.</summary>
        private void Commit(byte checksum, byte length)
        {
            if (_pendingLength < 3 || length != _pendingLength + 2) { RefusedCommits++; return; }
            int sum = 0;
            for (int i = 0; i < _pendingLength; i++) sum += _pending[i];
            if ((byte)(~sum & 0xFF) != checksum) { RefusedCommits++; return; }
            int address = _pending[0] | (_pending[1] << 8);
            int value = _pending[2] | (_pendingLength > 3 ? _pending[3] << 8 : 0);
            _pendingLength = 0;
            if (address == SubCbActiveCells)
            {
                if (InConfigUpdate) return; // no balancing while the configuration changes
                if (value != 0 && _cbActive == 0) _cbStartMs = NowMs;
                _cbActive = value;
                return;
            }
            if (InConfigUpdate) DataMemoryWrites++; // data memory changes only in CONFIG_UPDATE (values are not kept here)
        }
    }
}
