using System.Device.Gpio;
using SolidBms.Core.Hal;

namespace SolidBms.Esp32.Binding
{
    /// <summary>A GPIO driving a low-side MOSFET (contactor coil, enable line, alarm). Opened de-energised.</summary>
    public sealed class Esp32DigitalOutput : IDigitalOutput
    {
        private readonly GpioPin _pin;

        public Esp32DigitalOutput(GpioController gpio, int pinNumber)
        {
            _pin = gpio.OpenPin(pinNumber, PinMode.Output);
            Write(false);
        }

        public bool State { get; private set; }

        public void Write(bool energised)
        {
            _pin.Write(energised ? PinValue.High : PinValue.Low);
            State = energised;
        }
    }
}
