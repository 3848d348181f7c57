namespace SolidBms.Drivers.I2cCommon
{
    /// <summary>Why one I2C reading could not be used.</summary>
    public enum I2cFault : byte
    {
        None = 0,
        /// <summary>The chip did not acknowledge its address or a data byte.</summary>
        Nack = 1,
        /// <summary>Clock stretched too long / the transfer did not finish.</summary>
        Timeout = 2,
        /// <summary>Arbitration loss, partial transfer or another controller error.</summary>
        BusError = 3,
        /// <summary>The chip's CRC-8 or checksum did not match the bytes received.</summary>
        CrcMismatch = 4,
        /// <summary>A value the chip cannot produce, or the physics does not allow.</summary>
        OutOfRange = 5,
        /// <summary>The chip answers but has stopped converting (no new result within the stale time).</summary>
        NotConverting = 6,
        /// <summary>The chip at the address is not the one the board names (wrong ID register).</summary>
        WrongDevice = 7,
    }
}
