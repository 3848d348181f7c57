using System;
using System.IO.Ports;
using nanoFramework.Hardware.Esp32;
using SolidBms.Core.Hal;

namespace SolidBms.Esp32.Binding
{
    /// <summary>
    /// The telemetry UART. COM1 carries nanoFramework's debug/deploy protocol, so telemetry uses COM2 (UART2,
    /// TX GPIO17, RX GPIO16 on the DevKitC) or COM3. Reads never wait (only what BytesToRead says is there);
    /// writes use a short timeout and report what was accepted.
    /// </summary>
    public sealed class Esp32SerialPort : ISerialPort
    {
        public const int Uart2TxPin = 17, Uart2RxPin = 16;
        public const int Uart3TxPin = 4, Uart3RxPin = 5;

        private readonly SerialPort _port;

        public Esp32SerialPort(int uart, int baud)
        {
            if (uart == 3)
            {
                Configuration.SetPinFunction(Uart3TxPin, DeviceFunction.COM3_TX);
                Configuration.SetPinFunction(Uart3RxPin, DeviceFunction.COM3_RX);
            }
            else
            {
                Configuration.SetPinFunction(Uart2TxPin, DeviceFunction.COM2_TX);
                Configuration.SetPinFunction(Uart2RxPin, DeviceFunction.COM2_RX);
            }
            _port = new SerialPort(uart == 3 ? "COM3" : "COM2", baud, Parity.None, 8, StopBits.One);
            _port.WriteTimeout = 20;
            _port.Open();
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                int waiting = _port.BytesToRead;
                if (waiting <= 0) return 0;
                return _port.Read(buffer, offset, waiting < count ? waiting : count);
            }
            catch (Exception)
            {
                return 0;
            }
        }

        public int Write(byte[] buffer, int offset, int count)
        {
            try
            {
                _port.Write(buffer, offset, count);
                return count;
            }
            catch (Exception)
            {
                return 0;
            }
        }
    }
}
