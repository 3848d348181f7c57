using SolidBms.Drivers.I2cCommon;

namespace SolidBms.Drivers.Bq76952
{
    /// <summary>
    /// The BQ76952's I2C framing (TRM SLUUBY2, "I2C communications subsystem"; command map in the datasheet).
    /// Direct commands are register reads/writes at 0x00..0x7F, little-endian. In "I2C with CRC" mode each
    /// data byte is followed by a CRC-8 (poly 0x07): the first byte's CRC also covers the address and command
    /// bytes of the frame, each later byte's CRC covers that byte alone. Subcommands and data memory go
    /// through 0x3E/0x3F (16-bit subcommand or address), the 32-byte transfer buffer at 0x40, and
    /// checksum / length at 0x60 / 0x61 (checksum = inverted 8-bit sum of 0x3E.. bytes, length = data + 4).
    /// </summary>
    public sealed class Bq76952Protocol
    {
        public const byte CmdSubcommandLow = 0x3E;
        public const byte CmdTransferBuffer = 0x40;
        public const byte CmdTransferChecksum = 0x60;
        public const byte CmdTransferLength = 0x61;

        private readonly I2cLink _link;
        private readonly bool _crc;
        private readonly byte _addressWrite, _addressRead;
        private readonly byte[] _rx = new byte[80];
        private readonly byte[] _tx = new byte[80];

        /// <summary>Data of the last successful read, CRC bytes removed.</summary>
        public readonly byte[] Data = new byte[40];

        public Bq76952Protocol(I2cLink link, bool crc)
        {
            _link = link;
            _crc = crc;
            _addressWrite = (byte)(link.Address << 1);
            _addressRead = (byte)((link.Address << 1) | 1);
        }

        public I2cLink Link { get { return _link; } }

        /// <summary>Reads count bytes from a direct command into <see cref="Data"/>; retries bus and CRC failures up to the limit.</summary>
        public bool ReadDirect(byte command, int count)
        {
            int wire = _crc ? count * 2 : count;
            while (true)
            {
                if (_link.TryReadRegister(command, _rx, 0, wire))
                {
                    if (Unpack(command, count))
                    {
                        _link.Health.RecordSuccess();
                        return true;
                    }
                    _link.Fail(I2cFault.CrcMismatch);
                }
                if (!_link.CanRetry) return false;
            }
        }

        private bool Unpack(byte command, int count)
        {
            if (!_crc)
            {
                for (int i = 0; i < count; i++) Data[i] = _rx[i];
                return true;
            }
            // Crc8.Update written out on its table (a call a byte on the device's interpreter, some fifty bytes a tick): the first
            // byte's CRC runs on from the address, command and read address; every later byte's starts from 0.
            byte[] rx = _rx, data = Data, table = Crc8.Table;
            int crc = table[table[table[_addressWrite] ^ command] ^ _addressRead];
            for (int i = 0, j = 0; i < count; i++, j += 2)
            {
                byte d = rx[j];
                if (rx[j + 1] != table[crc ^ d]) return false;
                data[i] = d;
                crc = 0;
            }
            return true;
        }

        public bool WriteDirect(byte command, byte[] data, int count)
        {
            int n = 0;
            byte[] tx = _tx, table = Crc8.Table;
            tx[n++] = command;
            int crc = table[table[_addressWrite] ^ command]; // the first byte's CRC runs on from address and command (as in Unpack)
            for (int i = 0; i < count; i++)
            {
                tx[n++] = data[i];
                if (!_crc) continue;
                tx[n++] = table[crc ^ data[i]];
                crc = 0;
            }
            return _link.Write(_tx, 0, n);
        }

        public static short Int16(byte[] data, int offset) { return (short)(data[offset] | (data[offset + 1] << 8)); }

        public static byte Checksum(byte[] bytes, int count)
        {
            int sum = 0;
            for (int i = 0; i < count; i++) sum += bytes[i];
            return (byte)(~sum & 0xFF);
        }
    }
}
