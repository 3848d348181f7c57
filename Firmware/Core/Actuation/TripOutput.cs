using SolidBms.Core.Hal;

namespace SolidBms.Core.Actuation
{
    /// <summary>
    /// A GPIO that opens a path when energised: a shunt-trip breaker's coil, a normally-closed relay, a fuse-blow FET's
    /// gate. Only ever driven on: de-energising it is a reset's doing, not the firmware's, so the device must hold
    /// itself open (a shunt trip latches mechanically, a blown fuse stays blown; board/README.md).
    /// </summary>
    public sealed class TripOutput : IDisconnect
    {
        private readonly IDigitalOutput _pin;

        public TripOutput(IDigitalOutput pin)
        {
            _pin = pin;
        }

        public bool Open()
        {
            _pin.Write(true);
            return true; // a bare output cannot read the path back
        }
    }
}
