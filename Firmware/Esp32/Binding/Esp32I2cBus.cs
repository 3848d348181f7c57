using System;
using System.Device.I2c;
using nanoFramework.Hardware.Esp32;
using SolidBms.Core.Config;
using SolidBms.Core.Hal;

namespace SolidBms.Esp32.Binding
{
    /// <summary>
    /// An ESP32 I2C controller (bus 1 or 2) with the board's pins routed to it. Recovery closes and reopens every
    /// device, which makes nanoFramework re-initialise the ESP-IDF driver (it resets the controller); it cannot
    /// clock out a target that holds SDA low - the board's pull-ups and a power cycle of the sensor rail do that.
    /// </summary>
    public sealed class Esp32I2cBus : II2cBus
    {
        private readonly I2cBusSettings _settings;
        private readonly Esp32I2cDevice[] _devices = new Esp32I2cDevice[8];
        private int _count;

        public Esp32I2cBus(I2cBusSettings settings)
        {
            _settings = settings;
            if (settings.Bus == 1)
            {
                Configuration.SetPinFunction(settings.SdaPin, DeviceFunction.I2C1_DATA);
                Configuration.SetPinFunction(settings.SclPin, DeviceFunction.I2C1_CLOCK);
            }
            else
            {
                Configuration.SetPinFunction(settings.SdaPin, DeviceFunction.I2C2_DATA);
                Configuration.SetPinFunction(settings.SclPin, DeviceFunction.I2C2_CLOCK);
            }
        }

        public int RecoveryCount { get; private set; }

        public II2cDevice Open(int address)
        {
            if (_count == _devices.Length) throw new InvalidOperationException("too many I2C devices");
            var d = new Esp32I2cDevice(address, Create(address));
            _devices[_count++] = d;
            return d;
        }

        public bool Recover()
        {
            RecoveryCount++;
            bool ok = true;
            for (int i = 0; i < _count; i++)
            {
                try
                {
                    _devices[i].Replace(Create(_devices[i].Address));
                }
                catch (Exception)
                {
                    ok = false;
                }
            }
            return ok;
        }

        private I2cDevice Create(int address)
        {
            // System.Device.I2c 1.1.x has no sharing mode: every I2cDevice on a bus shares the controller.
            var speed = _settings.SpeedHz >= 400000 ? I2cBusSpeed.FastMode : I2cBusSpeed.StandardMode;
            return new I2cDevice(new I2cConnectionSettings(_settings.Bus, address, speed));
        }
    }
}
