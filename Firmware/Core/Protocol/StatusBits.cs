namespace SolidBms.Core.Protocol
{
    /// <summary>The status word: Modbus input register 5 and the hex status field of every telemetry frame.</summary>
    public static class StatusBits
    {
        public const int TripLatched = 1 << 0;
        public const int Alarm = 1 << 1;
        public const int Warning = 1 << 2;
        public const int ChargeAllowed = 1 << 3;
        public const int DischargeAllowed = 1 << 4;
        public const int ContactorClosed = 1 << 5;
        public const int LineUnlocked = 1 << 6;
        public const int ModbusUnlocked = 1 << 7;
        public const int AuthLockout = 1 << 8;
        public const int CaptureActive = 1 << 9;
        public const int TimeSet = 1 << 10;
        /// <summary>The abuse-test mode is armed: the trips of its inhibit mask do not actuate.</summary>
        public const int AbuseTestArmed = 1 << 11;
        /// <summary>The board carries the shipped placeholder device key: every write is refused until it is changed.</summary>
        public const int PlaceholderKey = 1 << 12;
    }
}
