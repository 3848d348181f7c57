namespace SolidBms.Drivers.I2cCommon
{
    /// <summary>
    /// CRC-8 with polynomial x^8 + x^2 + x + 1 (0x07), initial value 0, no reflection, no final XOR: the
    /// check byte TI's BQ769x2 monitors append in "I2C with CRC" mode. Bitwise (no table): the firmware checks
    /// a few dozen bytes per tick, and 256 bytes of table are not worth it.
    /// </summary>
    public static class Crc8
    {
        public const byte Polynomial = 0x07;

        public static byte Update(byte crc, byte data)
        {
            int c = crc ^ data;
            for (int bit = 0; bit < 8; bit++)
                c = (c & 0x80) != 0 ? ((c << 1) ^ Polynomial) & 0xFF : (c << 1) & 0xFF;
            return (byte)c;
        }

        public static byte Compute(byte[] data, int offset, int count)
        {
            byte crc = 0;
            for (int i = 0; i < count; i++) crc = Update(crc, data[offset + i]);
            return crc;
        }
    }
}
