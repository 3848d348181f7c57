// Compile-only surface of nanoFramework.System.Device.I2c 1.1.29 (see README.md in this folder). Nothing here runs.
// Every line is checked against api/System.Device.I2c.api.txt by SurfaceListingTests.
namespace System.Device.I2c
{
    /// <summary>
    /// I2cConnectionSettings.cs: public sealed class, ctors (int busId, int deviceAddress) and (int busId, int
    /// deviceAddress, I2cBusSpeed busSpeed). The 1.1.x line has no sharing mode (every device on a bus shares it).
    /// </summary>
    public sealed class I2cConnectionSettings
    {
        public I2cConnectionSettings(int busId, int deviceAddress) { throw new NotSupportedException(); }

        public I2cConnectionSettings(int busId, int deviceAddress, I2cBusSpeed busSpeed) { throw new NotSupportedException(); }
    }

    /// <summary>I2cBusSpeed.cs @b990f71b: StandardMode (100 kHz) = 0, FastMode (400 kHz) = 1.</summary>
    public enum I2cBusSpeed
    {
        StandardMode = 0,
        FastMode = 1,
    }

    /// <summary>I2cTransferStatus.cs @bf3885a1: UnknownError, FullTransfer, ClockStretchTimeout, PartialTransfer, SlaveAddressNotAcknowledged.</summary>
    public enum I2cTransferStatus
    {
        UnknownError = 0,
        FullTransfer = 1,
        ClockStretchTimeout = 2,
        PartialTransfer = 3,
        SlaveAddressNotAcknowledged = 4,
    }

    /// <summary>I2cTransferResult.cs @2a716b06: public struct with uint BytesTransferred and I2cTransferStatus Status.</summary>
    public struct I2cTransferResult
    {
        public uint BytesTransferred { get { throw new NotSupportedException(); } }

        public I2cTransferStatus Status { get { throw new NotSupportedException(); } }
    }

    /// <summary>
    /// I2cDevice.cs: public class I2cDevice : IDisposable. The 1.1.x line takes SpanByte and returns
    /// I2cTransferResult: native entry NativeTransmit___SystemDeviceI2cI2cTransferResult__SystemSpanByte__SystemSpanByte
    /// (nanoframework/nf-interpreter System.Device.I2c natives) and third-party 1.x wrappers declaring
    /// "I2cTransferResult WriteRead(SpanByte, SpanByte)"; the stored 2.x file @2a716b06 has the same shape with Span&lt;byte&gt;.
    /// </summary>
    public class I2cDevice : IDisposable
    {
        /// <summary>I2cDevice.cs: public I2cDevice(I2cConnectionSettings settings).</summary>
        public I2cDevice(I2cConnectionSettings settings) { throw new NotSupportedException(); }

        /// <summary>I2cDevice.cs: public I2cTransferResult Write(SpanByte buffer).</summary>
        public I2cTransferResult Write(SpanByte buffer) { throw new NotSupportedException(); }

        /// <summary>I2cDevice.cs: public I2cTransferResult Read(SpanByte buffer).</summary>
        public I2cTransferResult Read(SpanByte buffer) { throw new NotSupportedException(); }

        /// <summary>I2cDevice.cs: public I2cTransferResult WriteRead(SpanByte writeBuffer, SpanByte readBuffer) (repeated start).</summary>
        public I2cTransferResult WriteRead(SpanByte writeBuffer, SpanByte readBuffer) { throw new NotSupportedException(); }

        /// <summary>I2cDevice.cs: public void Dispose().</summary>
        public void Dispose() { throw new NotSupportedException(); }
    }
}
