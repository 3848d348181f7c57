namespace SolidBms.Core.Protocol
{
    /// <summary>
    /// The device key check shared by both ports: a constant-time comparison (a mismatch at the first byte
    /// takes as long as one at the last, so timing reveals nothing) and a lockout after repeated failures,
    /// timed on the injected clock. Failures are counted across ports: alternating ports gains no tries.
    /// </summary>
    public sealed class DeviceAuth
    {
        public const int MaxFailures = 5;
        public const int LockoutMs = 60000;
        public const int MaxKeyLength = 32;

        public const int Unlocked = 0, BadKey = 1, LockedOut = 2;

        private readonly byte[] _key;
        private long _lockoutUntilMs = long.MinValue;

        public DeviceAuth(string deviceKey)
        {
            _key = new byte[deviceKey.Length];
            for (int i = 0; i < _key.Length; i++) _key[i] = (byte)deviceKey[i];
        }

        /// <summary>Consecutive failed attempts since the last success or lockout.</summary>
        public int Failures { get; private set; }

        public long LockoutCount { get; private set; }

        public bool IsLockedOut(long nowMs) { return nowMs < _lockoutUntilMs; }

        /// <summary>Whole seconds left in the lockout (0 when none).</summary>
        public int LockoutRemainingS(long nowMs)
        {
            if (!IsLockedOut(nowMs)) return 0;
            return (int)((_lockoutUntilMs - nowMs + 999) / 1000);
        }

        /// <summary>Checks a candidate key; returns <see cref="Unlocked"/>, <see cref="BadKey"/> or <see cref="LockedOut"/>.</summary>
        public int TryUnlock(byte[] candidate, int offset, int count, long nowMs)
        {
            if (IsLockedOut(nowMs)) return LockedOut;
            if (!ConstantTimeEquals(_key, candidate, offset, count))
            {
                Failures++;
                if (Failures >= MaxFailures)
                {
                    Failures = 0;
                    LockoutCount++;
                    _lockoutUntilMs = nowMs + LockoutMs;
                }
                return BadKey;
            }
            Failures = 0;
            return Unlocked;
        }

        /// <summary>Equality whose running time depends only on the key's length, never on where the bytes differ.</summary>
        public static bool ConstantTimeEquals(byte[] key, byte[] candidate, int offset, int count)
        {
            int diff = key.Length ^ count;
            for (int i = 0; i < key.Length; i++)
            {
                int c = i < count ? candidate[offset + i] : 0;
                diff |= key[i] ^ c;
            }
            return diff == 0;
        }
    }
}
