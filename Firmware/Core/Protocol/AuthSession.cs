namespace SolidBms.Core.Protocol
{
    /// <summary>
    /// One port's unlocked state. Each port unlocks on its own (someone on the Modbus bus does not inherit a
    /// terminal's unlock). A session ends with LOCK or after <see cref="IdleTimeoutMs"/> without an authorised write.
    /// </summary>
    public sealed class AuthSession
    {
        public const int IdleTimeoutMs = 300000;

        private long _expiresAtMs;
        private bool _unlocked;

        public bool IsUnlocked(long nowMs)
        {
            if (_unlocked && nowMs >= _expiresAtMs) _unlocked = false;
            return _unlocked;
        }

        public void Unlock(long nowMs)
        {
            _unlocked = true;
            _expiresAtMs = nowMs + IdleTimeoutMs;
        }

        /// <summary>An authorised write keeps the session alive.</summary>
        public void Touch(long nowMs) { if (_unlocked) _expiresAtMs = nowMs + IdleTimeoutMs; }

        public void Lock() { _unlocked = false; }
    }
}
