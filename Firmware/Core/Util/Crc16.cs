namespace SolidBms.Core.Util
{
    /// <summary>
    /// CRC-16/MODBUS (reflected polynomial 0xA001, initial 0xFFFF): the Modbus RTU frame check, the line protocol's
    /// checksum and the event-log records' check. Table-driven, one look-up per byte: the telemetry frame (up to
    /// ~250 bytes) is checked every tick on boards that send at 10 Hz, and the bitwise form costs eight
    /// data-dependent branches per byte, which the ESP32's IL interpreter pays in full.
    /// Four bytes a step by slicing (Kounavis and Berry, "A Systematic Approach to Building High Performance
    /// Software-Based CRC Generators", ISCC 2005): table k holds a byte's CRC followed by k zero bytes, so the four
    /// look-ups of a step are independent instead of a chain of four, and the loop runs a quarter as often. The
    /// tables (4 x 256 entries, 2 KB of RAM) are built once from the polynomial; the tail is done a byte at a time.
    /// </summary>
    public static class Crc16
    {
        private static readonly ushort[] Table = BuildTable(0);  // one byte
        private static readonly ushort[] Table1 = BuildTable(1); // a byte, then one zero byte
        private static readonly ushort[] Table2 = BuildTable(2);
        private static readonly ushort[] Table3 = BuildTable(3);

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
            for (int stop = end - 3; i < stop; i += 4)
            {
                int low = crc ^ data[i] ^ (data[i + 1] << 8); // the register's 16 bits meet the first two bytes
                crc = t3[low & 0xFF] ^ t2[low >> 8] ^ t1[data[i + 2]] ^ t0[data[i + 3]];
            }
            for (; i < end; i++)
                crc = (crc >> 8) ^ t0[(crc ^ data[i]) & 0xFF];
            return (ushort)crc;
        }
    }
}
