using System;
using System.Device.I2c;
using SolidBms.Core.Hal;

namespace SolidBms.Esp32.Binding
{
    /// <summary>
    /// One chip on an ESP32 I2C bus. Array slices become SpanByte (a struct: nothing allocated per transfer), and
    /// nanoFramework's transfer status maps onto the firmware's I2cStatus. An exception from the native driver is a bus error.
    /// </summary>
    public sealed class Esp32I2cDevice : II2cDevice
    {
        private I2cDevice _device;

        public Esp32I2cDevice(int address, I2cDevice device)
        {
            Address = address;
            _device = device;
        }

        public int Address { get; private set; }

        /// <summary>Swaps in a freshly opened device after a bus recovery.</summary>
        internal void Replace(I2cDevice device)
        {
            var old = _device;
            _device = device;
            try { old.Dispose(); } catch (Exception) { }
        }

        public I2cStatus Write(byte[] data, int offset, int count)
        {
            try { return Map(_device.Write(new SpanByte(data, offset, count))); }
            catch (Exception) { return I2cStatus.BusError; }
        }

        public I2cStatus Read(byte[] data, int offset, int count)
        {
            try { return Map(_device.Read(new SpanByte(data, offset, count))); }
            catch (Exception) { return I2cStatus.BusError; }
        }

        public I2cStatus WriteRead(byte[] write, int writeOffset, int writeCount, byte[] read, int readOffset, int readCount)
        {
            try { return Map(_device.WriteRead(new SpanByte(write, writeOffset, writeCount), new SpanByte(read, readOffset, readCount))); }
            catch (Exception) { return I2cStatus.BusError; }
        }

        public static I2cStatus Map(I2cTransferResult result)
        {
            switch (result.Status)
            {
                case I2cTransferStatus.FullTransfer: return I2cStatus.Ok;
                case I2cTransferStatus.SlaveAddressNotAcknowledged: return I2cStatus.AddressNack;
                case I2cTransferStatus.PartialTransfer: return I2cStatus.DataNack;
                case I2cTransferStatus.ClockStretchTimeout: return I2cStatus.Timeout;
                default: return I2cStatus.BusError;
            }
        }
    }
}
