using SolidBms.Core.Hal;

namespace SolidBms.Drivers.I2cCommon
{
    /// <summary>
    /// One chip's connection: its device, its health record and the bus it sits on. Every transaction goes
    /// through here so that each failure is counted, and the bus is recovered when a chip goes down.
    /// A driver retries a failed read while <see cref="CanRetry"/> says the run has not reached the limit.
    /// </summary>
    public sealed class I2cLink
    {
        private readonly II2cDevice _device;
        private readonly II2cBus _bus;
        private readonly byte[] _one = new byte[1];

        public I2cLink(II2cDevice device, II2cBus bus, I2cHealth health)
        {
            _device = device;
            _bus = bus;
            Health = health;
        }

        public I2cHealth Health { get; private set; }

        public int Address { get { return _device.Address; } }

        /// <summary>True while another attempt is allowed before the chip counts as down.</summary>
        public bool CanRetry { get { return !Health.Down; } }

        /// <summary>One register read attempt (write the register address, repeated start, read). Counts a bus failure.</summary>
        public bool TryReadRegister(byte register, byte[] buffer, int offset, int count)
        {
            _one[0] = register;
            I2cStatus st = _device.WriteRead(_one, 0, 1, buffer, offset, count);
            if (st == I2cStatus.Ok) return true;
            Fail(I2cHealth.FaultOf(st));
            return false;
        }

        /// <summary>One plain read attempt (no register pointer: sensors that stream their result). Counts a bus failure.</summary>
        public bool TryRead(byte[] buffer, int offset, int count)
        {
            I2cStatus st = _device.Read(buffer, offset, count);
            if (st == I2cStatus.Ok) return true;
            Fail(I2cHealth.FaultOf(st));
            return false;
        }

        /// <summary>A plain read with retries; false once the chip is down.</summary>
        public bool Read(byte[] buffer, int offset, int count)
        {
            while (true)
            {
                if (TryRead(buffer, offset, count)) { Health.RecordSuccess(); return true; }
                if (!CanRetry) return false;
            }
        }

        /// <summary>One write attempt (register address first in data). Counts a bus failure.</summary>
        public bool TryWrite(byte[] data, int offset, int count)
        {
            I2cStatus st = _device.Write(data, offset, count);
            if (st == I2cStatus.Ok) return true;
            Fail(I2cHealth.FaultOf(st));
            return false;
        }

        /// <summary>A register read with retries; false once the chip is down.</summary>
        public bool ReadRegister(byte register, byte[] buffer, int offset, int count)
        {
            while (true)
            {
                if (TryReadRegister(register, buffer, offset, count)) { Health.RecordSuccess(); return true; }
                if (!CanRetry) return false;
            }
        }

        /// <summary>A write with retries; false once the chip is down.</summary>
        public bool Write(byte[] data, int offset, int count)
        {
            while (true)
            {
                if (TryWrite(data, offset, count)) { Health.RecordSuccess(); return true; }
                if (!CanRetry) return false;
            }
        }

        /// <summary>Counts a failure found above the bus (CRC, range, stale); recovers the bus when the chip goes down.</summary>
        public void Fail(I2cFault fault)
        {
            if (Health.RecordFailure(fault)) Health.RecordRecoveryAttempt(_bus != null && _bus.Recover());
        }
    }
}
