namespace SolidBms.Core.Util
{
    /// <summary>
    /// CRC-16/MODBUS (reflected polynomial 0xA001, initial 0xFFFF): the Modbus RTU frame check, also used
    /// for event-log records. Bitwise rather than table-driven: 512 bytes of table cost more RAM than the
    /// few records a second this checks.
    /// </summary>
    public static class Crc16
    {
        public static ushort Compute(byte[] data, int offset, int count)
        {
            int crc = 0xFFFF;
            for (int i = offset; i < offset + count; i++)
            {
                crc ^= data[i];
                for (int bit = 0; bit < 8; bit++)
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1;
            }
            return (ushort)crc;
        }
    }
}
