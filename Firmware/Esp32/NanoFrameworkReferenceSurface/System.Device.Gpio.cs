// Compile-only surface of nanoFramework.System.Device.Gpio 1.1.57 (see README.md in this folder). Nothing here runs.
// Every line is checked against api/System.Device.Gpio.api.txt by SurfaceListingTests.
namespace System.Device.Gpio
{
    /// <summary>GpioController.cs: public sealed class GpioController : IDisposable.</summary>
    public sealed class GpioController : IDisposable
    {
        /// <summary>GpioController.cs: public GpioController().</summary>
        public GpioController() { throw new NotSupportedException(); }

        /// <summary>GpioController.cs: public GpioPin OpenPin(int pinNumber, PinMode mode).</summary>
        public GpioPin OpenPin(int pinNumber, PinMode mode) { throw new NotSupportedException(); }

        /// <summary>GpioController.cs: public void Dispose().</summary>
        public void Dispose() { throw new NotSupportedException(); }
    }

    /// <summary>GpioPin.cs: public sealed class GpioPin : IDisposable (created only by the controller).</summary>
    public sealed class GpioPin : IDisposable
    {
        internal GpioPin() { }

        /// <summary>GpioPin.cs: public void Write(PinValue value).</summary>
        public void Write(PinValue value) { throw new NotSupportedException(); }

        /// <summary>GpioPin.cs: public void Dispose().</summary>
        public void Dispose() { throw new NotSupportedException(); }
    }

    /// <summary>PinMode.cs: Input, InputPullDown, InputPullUp, Output, OutputOpenDrain, ... (order as in the source).</summary>
    public enum PinMode
    {
        Input = 0,
        InputPullDown = 1,
        InputPullUp = 2,
        Output = 3,
        OutputOpenDrain = 4,
    }

    /// <summary>
    /// PinValue.cs @5a27dd88: a readonly struct with static High/Low (older versions: an enum Low = 0, High = 1).
    /// The binding only names PinValue.High and PinValue.Low, which compiles against either form.
    /// </summary>
    public readonly struct PinValue
    {
        public static PinValue Low { get { throw new NotSupportedException(); } }

        public static PinValue High { get { throw new NotSupportedException(); } }
    }
}
