namespace SolidBms.Core.Lab
{
    /// <summary>
    /// Guarded abuse-test mode: lets lab staff inhibit the *actuation* of chosen fault classes (for example
    /// over-voltage during an overcharge test) while detection, logging and telemetry go on.
    /// Arming takes three things: an unlocked session, a request naming the test and what to inhibit, and a
    /// confirmation repeating the test name; it expires on its own and lives in RAM only, so a reset always
    /// comes back disarmed.
    /// </summary>
    public sealed class AbuseTestMode
    {
        public const int MaxExpiryMs = 4 * 3600 * 1000;
        public const int ConfirmWindowMs = 30000;

        private string _pendingTest;
        private uint _pendingMask;
        private int _pendingExpiryMs;
        private long _pendingAtMs;

        public bool Armed { get; private set; }

        public string TestName { get; private set; }

        /// <summary>Bit i set: trips of fault class i (see <see cref="Safety.SafetySupervisor.FaultClassCount"/>) do not actuate.</summary>
        public uint InhibitMask { get; private set; }

        public long ExpiresAtMs { get; private set; }

        /// <summary>Step 1: request. Refused unless unlocked; the name must be non-empty and the expiry bounded.</summary>
        public bool TryRequest(string testName, uint inhibitMask, int expiryMs, bool unlocked, long nowMs, out string error)
        {
            error = null;
            if (!unlocked) error = "locked: unlock first";
            else if (testName == null || testName.Length == 0 || testName.Length > 32) error = "test name must be 1..32 characters";
            else if (expiryMs <= 0 || expiryMs > MaxExpiryMs) error = "expiry must be 1 ms .. 4 h";
            else if (inhibitMask == 0) error = "nothing to inhibit";
            if (error != null) return false;
            _pendingTest = testName;
            _pendingMask = inhibitMask;
            _pendingExpiryMs = expiryMs;
            _pendingAtMs = nowMs;
            return true;
        }

        /// <summary>Step 2: confirmation repeating the test name, within 30 s of the request.</summary>
        public bool TryConfirm(string testName, bool unlocked, long nowMs, out string error)
        {
            error = null;
            if (!unlocked) error = "locked: unlock first";
            else if (_pendingTest == null || nowMs - _pendingAtMs > ConfirmWindowMs) error = "no pending request (request first, confirm within 30 s)";
            else if (testName != _pendingTest) error = "confirmation names a different test";
            if (error != null) return false;
            Armed = true;
            TestName = _pendingTest;
            InhibitMask = _pendingMask;
            ExpiresAtMs = nowMs + _pendingExpiryMs;
            _pendingTest = null;
            return true;
        }

        /// <summary>Called every tick: disarms at expiry. Returns true on the tick it expires.</summary>
        public bool Update(long nowMs)
        {
            if (Armed && nowMs >= ExpiresAtMs)
            {
                Disarm();
                return true;
            }
            return false;
        }

        public void Disarm()
        {
            Armed = false;
            TestName = null;
            InhibitMask = 0;
            _pendingTest = null;
        }
    }
}
