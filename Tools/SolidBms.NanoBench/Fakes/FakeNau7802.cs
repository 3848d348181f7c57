using SolidBms.Core.Hal;

namespace SolidBms.NanoBench.Fakes
{
    /// <summary>
    /// A NAU7802 load-cell ADC at register level, for the device interpreter: PU_CTRL (0x00) with register reset, PUR
    /// following PUD, cycle start and cycle ready (CR set by a conversion, cleared when ADCO is read), CTRL1 (0x01),
    /// CTRL2 (0x02) whose offset calibration (CALS) finishes at once (CAL_ERR when the analog part is not powered), and
    /// the 24-bit result at ADCO 0x12..0x14, big-endian. Registers auto-increment on reads and writes. As the host
    /// model (Tools/SolidBms.Simulator/Chips/Nau7802Model.cs) describes the chip; no CRC on this chip.
    /// </summary>
    public sealed class FakeNau7802 : II2cDevice
    {
        private readonly int _address;
        private readonly byte[] _reg = new byte[0x20];
        public long Transactions;

        public FakeNau7802(int address)
        {
            _address = address;
        }

        public int Address { get { return _address; } }

        private bool Converting { get { return (_reg[0x00] & 0x1E) == 0x1E; } } // PUD, PUA, PUR and CS

        /// <summary>A finished conversion (the chip makes one every 12.5 ms at 80 SPS): the result and CR, while converting.</summary>
        public void Convert(int counts)
        {
            if (!Converting) return;
            if (counts > 8388607) counts = 8388607;
            if (counts < -8388608) counts = -8388608;
            _reg[0x12] = (byte)((counts >> 16) & 0xFF);
            _reg[0x13] = (byte)((counts >> 8) & 0xFF);
            _reg[0x14] = (byte)(counts & 0xFF);
            _reg[0x00] |= 0x20; // CR
        }

        public I2cStatus Write(byte[] data, int offset, int count)
        {
            Transactions++;
            if (count < 1) return I2cStatus.BusError;
            int reg = data[offset];
            for (int i = 1; i < count && reg < _reg.Length; i++, reg++) WriteRegister(reg, data[offset + i]);
            return I2cStatus.Ok;
        }

        private void WriteRegister(int reg, byte value)
        {
            if (reg == 0x00)
            {
                if ((value & 0x01) != 0)
                {
                    for (int i = 0; i < _reg.Length; i++) _reg[i] = 0; // RR: registers to their defaults
                    _reg[0x00] = 0x01;
                    return;
                }
                int pu = value & 0xD7;             // PUR (bit 3) and CR (bit 5) are read-only
                if ((value & 0x02) != 0) pu |= 0x08; // PUR follows PUD
                _reg[0x00] = (byte)(pu | (_reg[0x00] & 0x20));
                return;
            }
            if (reg == 0x02)
            {
                _reg[0x02] = (byte)(value & ~0x0C);
                // CALS with CALMOD = 0: internal offset calibration, done at once; CAL_ERR unless the analog part is up.
                if ((value & 0x04) != 0 && ((value & 0x03) != 0 || (_reg[0x00] & 0x06) != 0x06)) _reg[0x02] |= 0x08;
                return;
            }
            _reg[reg] = value;
        }

        public I2cStatus Read(byte[] data, int offset, int count)
        {
            Transactions++;
            return I2cStatus.BusError; // read through a register pointer only
        }

        public I2cStatus WriteRead(byte[] write, int writeOffset, int writeCount, byte[] read, int readOffset, int readCount)
        {
            Transactions++;
            if (writeCount < 1) return I2cStatus.BusError;
            int register = write[writeOffset];
            for (int i = 0; i < readCount; i++)
            {
                int r = register + i;
                read[readOffset + i] = r < _reg.Length ? _reg[r] : (byte)0;
                if (r == 0x12) _reg[0x00] &= 0xDF; // reading ADCO clears CR
            }
            return I2cStatus.Ok;
        }
    }

    /// <summary>The I2C controller: hands out the fake chip at each address; nothing else answers (address NACK).</summary>
    public sealed class FakeI2cBus : II2cBus
    {
        private readonly II2cDevice[] _chips;
        public int Recoveries;

        public FakeI2cBus(II2cDevice[] chips)
        {
            _chips = chips;
        }

        public II2cDevice Open(int address)
        {
            for (int i = 0; i < _chips.Length; i++) if (_chips[i] != null && _chips[i].Address == address) return _chips[i];
            return new AbsentDevice(address);
        }

        public bool Recover()
        {
            Recoveries++;
            return true;
        }

        private sealed class AbsentDevice : II2cDevice
        {
            private readonly int _address;

            public AbsentDevice(int address) { _address = address; }

            public int Address { get { return _address; } }

            public I2cStatus Write(byte[] data, int offset, int count) { return I2cStatus.AddressNack; }

            public I2cStatus Read(byte[] data, int offset, int count) { return I2cStatus.AddressNack; }

            public I2cStatus WriteRead(byte[] write, int writeOffset, int writeCount, byte[] read, int readOffset, int readCount) { return I2cStatus.AddressNack; }
        }
    }
}
