using SolidBms.Core.Hal;

namespace SolidBms.Drivers.I2cCommon
{
    /// <summary>
    /// Fault bookkeeping of one I2C chip: every failed transaction is counted by kind, failures in a row are
    /// counted until a success, and once that run reaches the board's limit the chip is "down": its readings are
    /// invalid (never the last good value), a bus recovery is attempted, and the chip is re-initialised before
    /// it is trusted again (it may have reset). Telemetry and tests read the counters.
    /// </summary>
    public sealed class I2cHealth
    {
        public I2cHealth(string deviceName, int maxConsecutiveFailures)
        {
            DeviceName = deviceName;
            MaxConsecutiveFailures = maxConsecutiveFailures < 1 ? 1 : maxConsecutiveFailures;
            NeedsInitialise = true;
        }

        public string DeviceName { get; private set; }

        public int MaxConsecutiveFailures { get; private set; }

        public long Transactions { get { return _transactions; } }
        public int Nacks { get; private set; }
        public int Timeouts { get; private set; }
        public int BusErrors { get; private set; }
        public int CrcErrors { get; private set; }
        public int OutOfRangeValues { get; private set; }
        public int StaleReadings { get; private set; }
        public int WrongDeviceAnswers { get; private set; }
        public int RecoveryAttempts { get; private set; }
        public int RecoveriesReported { get; private set; }
        public int Initialisations { get; private set; }

        public int ConsecutiveFailures { get { return _consecutiveFailures; } }

        // Fields behind what every transaction counts (RecordSuccess: a handful a tick per chip): a property's get and
        // set are calls on the device's interpreter.
        private long _transactions;
        private int _consecutiveFailures;
        private bool _needsInitialise;

        public I2cFault LastFault { get; private set; }

        /// <summary>The failure run reached the limit: readings are invalid until a transaction succeeds again.</summary>
        public bool Down { get { return _consecutiveFailures >= MaxConsecutiveFailures; } }

        /// <summary>Set at start-up and after the chip was down: the driver must configure it again before reading.</summary>
        public bool NeedsInitialise { get { return _needsInitialise; } set { _needsInitialise = value; } }

        public int TotalFailures { get { return Nacks + Timeouts + BusErrors + CrcErrors + OutOfRangeValues + StaleReadings + WrongDeviceAnswers; } }

        public void RecordSuccess()
        {
            _transactions++;
            _consecutiveFailures = 0;
        }

        /// <summary>Counts a failure; returns true when this one takes the run to the limit, or to another multiple of it while the chip stays down.</summary>
        public bool RecordFailure(I2cFault fault)
        {
            _transactions++;
            LastFault = fault;
            switch (fault)
            {
                case I2cFault.Nack: Nacks++; break;
                case I2cFault.Timeout: Timeouts++; break;
                case I2cFault.CrcMismatch: CrcErrors++; break;
                case I2cFault.OutOfRange: OutOfRangeValues++; break;
                case I2cFault.NotConverting: StaleReadings++; break;
                case I2cFault.WrongDevice: WrongDeviceAnswers++; break;
                default: BusErrors++; break;
            }
            _consecutiveFailures++;
            // At the limit, and again every limit-many failures while it stays down: recover and re-initialise.
            if (_consecutiveFailures % MaxConsecutiveFailures == 0)
            {
                NeedsInitialise = true;
                return true;
            }
            return false;
        }

        /// <summary>A value the chip delivered intact but that cannot be right: counted, does not take the chip down.</summary>
        public void CountOutOfRange()
        {
            OutOfRangeValues++;
            LastFault = I2cFault.OutOfRange;
        }

        public void RecordRecoveryAttempt(bool platformReportsSuccess)
        {
            RecoveryAttempts++;
            if (platformReportsSuccess) RecoveriesReported++;
        }

        public void RecordInitialised()
        {
            Initialisations++;
            NeedsInitialise = false;
        }

        public static I2cFault FaultOf(I2cStatus status)
        {
            switch (status)
            {
                case I2cStatus.Ok: return I2cFault.None;
                case I2cStatus.AddressNack:
                case I2cStatus.DataNack: return I2cFault.Nack;
                case I2cStatus.Timeout: return I2cFault.Timeout;
                default: return I2cFault.BusError;
            }
        }
    }
}
