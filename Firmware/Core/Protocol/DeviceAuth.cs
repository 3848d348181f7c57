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
        public const int MinKeyLength = 12;

        /// <summary>Different characters a key must have: keys of a few repeated characters ("aaaaaaaaaaaa",
        /// "123412341234") are the first a guesser tries.</summary>
        public const int MinDistinctCharacters = 8;

        /// <summary>The key the repository's hardware board files ship with: public, so it unlocks nothing.</summary>
        public const string PlaceholderKey = "change-me-solidbms";

        /// <summary>Why every write is refused while the placeholder is set: names the fix.</summary>
        public const string PlaceholderRefusal = "device key is the shipped placeholder: writes stay refused until [security] deviceKey in the board file is set to the rig's own key (12..32 characters)";

        public const int Unlocked = 0, BadKey = 1, LockedOut = 2, Placeholder = 3;

        private readonly byte[] _key;
        private long _lockoutUntilMs = long.MinValue;

        public DeviceAuth(string deviceKey)
        {
            IsPlaceholder = IsPlaceholderKey(deviceKey);
            _key = new byte[deviceKey.Length];
            for (int i = 0; i < _key.Length; i++) _key[i] = (byte)deviceKey[i];
        }

        /// <summary>The board carries the shipped placeholder key: no unlock is possible (status bit, STATUS, VERSION show it).</summary>
        public bool IsPlaceholder { get; private set; }

        /// <summary>The shipped placeholder in any letter case: a case variant is just as public, so it unlocks nothing either.</summary>
        public static bool IsPlaceholderKey(string key)
        {
            if (key == null || key.Length != PlaceholderKey.Length) return false;
            for (int i = 0; i < key.Length; i++)
            {
                char c = key[i];
                if (c >= 'A' &&
                    // Stryker disable once Equality : the placeholder has no 'z', so a 'Z' mismatches folded or not
                    c <= 'Z') c = (char)(c + 32);
                if (c != PlaceholderKey[i]) return false;
            }
            return true;
        }

        /// <summary>A key a board file may carry: 12..32 printable ASCII characters without the line protocol's
        /// delimiters (space, '*', ',' and '$'), so it can be sent on the line port as well as over Modbus, with at
        /// least <see cref="MinDistinctCharacters"/> different characters. Null when valid.</summary>
        public static string KeyProblem(string key)
        {
            if (key.Length < MinKeyLength || key.Length > MaxKeyLength) return "must be 12 to 32 characters";
            int distinct = 0;
            for (int i = 0; i < key.Length; i++)
            {
                char c = key[i];
                if (c <= ' ' || c > '~') return "must be printable ASCII without spaces";
                if (c == '*' || c == ',' || c == '$') return "must not contain '*', ',' or '$' (line protocol delimiters)";
                if (key.IndexOf(c) == i) distinct++; // its first occurrence
            }
            if (distinct < MinDistinctCharacters)
                return "must have at least " + MinDistinctCharacters.ToString() + " different characters (this one has " + distinct.ToString() + "): a key of a few repeated characters is guessed first";
            return null;
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

        /// <summary>Checks a candidate key; returns <see cref="Unlocked"/>, <see cref="BadKey"/>, <see cref="LockedOut"/>
        /// or <see cref="Placeholder"/> (the placeholder key is never accepted, and a try costs no failure).</summary>
        public int TryUnlock(byte[] candidate, int offset, int count, long nowMs)
        {
            if (IsPlaceholder) return Placeholder;
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
