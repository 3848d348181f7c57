namespace SolidBms.Drivers.I2cCommon
{
    /// <summary>
    /// CRC-8 with polynomial x^8 + x^2 + x + 1 (0x07), initial value 0, no reflection, no final XOR: the
    /// check byte TI's BQ769x2 monitors append in "I2C with CRC" mode. Table-driven (256 bytes, built once from the
    /// polynomial): every data byte of every read is checked, about 60 a tick on a 16-cell BQ76952, and the bitwise
    /// form's eight branches per byte are what the ESP32's IL interpreter pays for.
    /// </summary>
    public static class Crc8
    {
        public const byte Polynomial = 0x07;

        /// <summary>CRC of each byte value from 0 (Update reads it; a hot loop may index it itself: no call a byte).</summary>
        internal static readonly byte[] Table = BuildTable();

        private static byte[] BuildTable()
        {
            var table = new byte[256];
            for (int b = 0; b < 256; b++)
            {
                int c = b;
                for (int bit = 0; bit < 8; bit++)
                    c = (c & 0x80) != 0 ? ((c << 1) ^ Polynomial) & 0xFF : (c << 1) & 0xFF;
                table[b] = (byte)c;
            }
            return table;
        }

        public static byte Update(byte crc, byte data) { return Table[crc ^ data]; }

        public static byte Compute(byte[] data, int offset, int count)
        {
            byte crc = 0;
            for (int i = 0; i < count; i++) crc = Table[crc ^ data[offset + i]];
            return crc;
        }
    }
}
