namespace SolidBms.Core.Util
{
    /// <summary>
    /// CRC-16/MODBUS (reflected polynomial 0xA001, initial 0xFFFF): the Modbus RTU frame check, the line protocol's
    /// checksum and the event-log records' check. Table-driven, one look-up per byte: the telemetry frame (up to
    /// ~250 bytes) is checked every tick on boards that send at 10 Hz, and the bitwise form costs eight
    /// data-dependent branches per byte, which the ESP32's IL interpreter pays in full.
    /// Eight bytes a step by slicing (Kounavis and Berry, "A Systematic Approach to Building High Performance
    /// Software-Based CRC Generators", ISCC 2005): table k holds a byte's CRC followed by k zero bytes, so the eight
    /// look-ups of a step are independent instead of a chain of eight, and the loop runs an eighth as often. The
    /// tables (8 x 256 entries, 4 KB of RAM) are built once from the polynomial; a tail of four is done in one step,
    /// the rest a byte at a time.
    /// </summary>
    public static class Crc16
    {
        private static readonly ushort[] Table = BuildTable(0);  // one byte
        private static readonly ushort[] Table1 = BuildTable(1); // a byte, then one zero byte
        private static readonly ushort[] Table2 = BuildTable(2);
        private static readonly ushort[] Table3 = BuildTable(3);
        private static readonly ushort[] Table4 = BuildTable(4);
        private static readonly ushort[] Table5 = BuildTable(5);
        private static readonly ushort[] Table6 = BuildTable(6);
        private static readonly ushort[] Table7 = BuildTable(7);

        private static ushort[] BuildTable(int zeroBytes)
        {
            var table = new ushort[256];
            for (int b = 0; b < 256; b++)
            {
                int crc = b;
                for (int bit = 0; bit < 8 * (zeroBytes + 1); bit++)
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1;
                table[b] = (ushort)crc;
            }
            return table;
        }

        public static ushort Compute(byte[] data, int offset, int count)
        {
            ushort[] t0 = Table, t1 = Table1, t2 = Table2, t3 = Table3;
            int crc = 0xFFFF;
            int i = offset, end = offset + count;
            if (count >= 8)
            {
                ushort[] t4 = Table4, t5 = Table5, t6 = Table6, t7 = Table7;
                for (int stop = end - 7; i < stop; i += 8)
                {
                    int low = crc ^ data[i] ^ (data[i + 1] << 8); // the register's 16 bits meet the first two bytes
                    crc = t7[low & 0xFF] ^ t6[low >> 8] ^ t5[data[i + 2]] ^ t4[data[i + 3]]
                        ^ t3[data[i + 4]] ^ t2[data[i + 5]] ^ t1[data[i + 6]] ^ t0[data[i + 7]];
                }
            }
            if (end - i >= 4)
            {
                int low = crc ^ data[i] ^ (data[i + 1] << 8);
                crc = t3[low & 0xFF] ^ t2[low >> 8] ^ t1[data[i + 2]] ^ t0[data[i + 3]];
                i += 4;
            }
            for (; i < end; i++)
                crc = (crc >> 8) ^ t0[(crc ^ data[i]) & 0xFF];
            return (ushort)crc;
        }
    }
}
