namespace SolidBms.Core.Util
{
    /// <summary>
    /// CRC-16/MODBUS (reflected polynomial 0xA001, initial 0xFFFF): the Modbus RTU frame check, the line protocol's
    /// checksum and the event-log records' check. Table-driven, one look-up per byte: the telemetry frame (up to
    /// ~250 bytes) is checked every tick on boards that send at 10 Hz, and the bitwise form costs eight
    /// data-dependent branches per byte, which the ESP32's IL interpreter pays in full. The table (512 bytes of
    /// RAM) is built once from the polynomial.
    /// </summary>
    public static class Crc16
    {
        private static readonly ushort[] Table = BuildTable();

        private static ushort[] BuildTable()
        {
            var table = new ushort[256];
            for (int b = 0; b < 256; b++)
            {
                int crc = b;
                for (int bit = 0; bit < 8; bit++)
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1;
                table[b] = (ushort)crc;
            }
            return table;
        }

        public static ushort Compute(byte[] data, int offset, int count)
        {
            ushort[] table = Table;
            int crc = 0xFFFF;
            int end = offset + count;
            for (int i = offset; i < end; i++)
                crc = (crc >> 8) ^ table[(crc ^ data[i]) & 0xFF];
            return (ushort)crc;
        }
    }
}
