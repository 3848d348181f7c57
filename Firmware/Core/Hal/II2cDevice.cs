namespace SolidBms.Core.Hal
{
    /// <summary>Outcome of one I2C transaction, as the bus reports it.</summary>
    public enum I2cStatus
    {
        Ok = 0,
        AddressNack = 1,
        DataNack = 2,
        Timeout = 3,
        BusError = 4,
    }

    /// <summary>
    /// One device on an I2C bus at a fixed 7-bit address. Buffers are plain arrays with offset and count
    /// because nanoFramework's SpanByte does not exist on the host and generics do not exist on the device.
    /// </summary>
    public interface II2cDevice
    {
        int Address { get; }

        I2cStatus Write(byte[] data, int offset, int count);

        I2cStatus Read(byte[] data, int offset, int count);

        /// <summary>Write then read with a repeated start (register read).</summary>
        I2cStatus WriteRead(byte[] write, int writeOffset, int writeCount, byte[] read, int readOffset, int readCount);
    }
}
