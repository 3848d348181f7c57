using SolidBms.Core.Measurement;

namespace SolidBms.Core.Lab
{
    /// <summary>
    /// One event-log record: what, when, and the key readings at that moment. 32 bytes in flash:
    /// [0] 0x5B marker, [1] kind, [2..3] code (fault number, reset cause...), [4..7] sequence, [8..15] time ms,
    /// [16..17] min cell mV, [18..19] max cell mV, [20..21] max temperature 0.1 C, [22..23] current 10 mA,
    /// [24..25] pressure kPa, [26..27] SOC 0.1 %, [28] state, [29] code bits 16..23, [30..31] CRC-16 of [0..29].
    /// Unknown readings are stored as 0x7FFF (int16) so they never look like numbers. Byte 29 was reserved (always 0)
    /// before issue 21, so older images read with <see cref="CodeHigh"/> 0 and their codes unchanged.
    /// </summary>
    public struct EventRecord
    {
        public const int Size = 32;
        public const byte Marker = 0x5B;
        public const short Unknown = 0x7FFF;

        public EventKind Kind;
        public ushort Code;
        public uint Sequence;
        public long TimeMs;
        public short MinCellMillivolts;
        public short MaxCellMillivolts;
        public short MaxTemperatureDeciC;
        public short CurrentCentiA;
        public short PressureKpa;
        public short SocPermille;
        public byte State;

        /// <summary>Bits 16..23 of the code (the abuse-test mask past class 15, the refusal kinds of a summary).</summary>
        public byte CodeHigh;

        /// <summary>The whole 24-bit code.</summary>
        public uint WideCode { get { return Code | ((uint)CodeHigh << 16); } }

        /// <summary>Sets <see cref="Code"/> and <see cref="CodeHigh"/> from a code of up to 24 bits (higher bits are dropped).</summary>
        public void SetWideCode(uint code)
        {
            Code = (ushort)code;
            // Stryker disable once Bitwise : code is unsigned: >> and >>> shift alike
            CodeHigh = (byte)(code >> 16);
        }

        public void WriteTo(byte[] b, int o)
        {
            b[o] = Marker;
            b[o + 1] = (byte)Kind;
            PutU16(b, o + 2, Code);
            PutU32(b, o + 4, Sequence);
            PutU32(b, o + 8, (uint)TimeMs);
            // Stryker disable once Bitwise : the (uint) cast keeps bits 32 to 63, which >> and >>> shift alike
            PutU32(b, o + 12, (uint)(TimeMs >> 32));
            PutU16(b, o + 16, (ushort)MinCellMillivolts);
            PutU16(b, o + 18, (ushort)MaxCellMillivolts);
            PutU16(b, o + 20, (ushort)MaxTemperatureDeciC);
            PutU16(b, o + 22, (ushort)CurrentCentiA);
            PutU16(b, o + 24, (ushort)PressureKpa);
            PutU16(b, o + 26, (ushort)SocPermille);
            b[o + 28] = State;
            b[o + 29] = CodeHigh;
            PutU16(b, o + 30, SolidBms.Core.Util.Crc16.Compute(b, o, 30));
        }

        /// <summary>Reads a record; false if the slot is not a complete, intact record (torn, erased or corrupt).</summary>
        public static bool TryRead(byte[] b, int o, out EventRecord r)
        {
            r = new EventRecord();
            if (b[o] != Marker) return false;
            if (GetU16(b, o + 30) != SolidBms.Core.Util.Crc16.Compute(b, o, 30)) return false;
            r.Kind = (EventKind)b[o + 1];
            r.Code = GetU16(b, o + 2);
            r.Sequence = GetU32(b, o + 4);
            r.TimeMs = (long)(((ulong)GetU32(b, o + 12) << 32) | GetU32(b, o + 8));
            r.MinCellMillivolts = (short)GetU16(b, o + 16);
            r.MaxCellMillivolts = (short)GetU16(b, o + 18);
            r.MaxTemperatureDeciC = (short)GetU16(b, o + 20);
            r.CurrentCentiA = (short)GetU16(b, o + 22);
            r.PressureKpa = (short)GetU16(b, o + 24);
            r.SocPermille = (short)GetU16(b, o + 26);
            r.State = b[o + 28];
            r.CodeHigh = b[o + 29];
            return true;
        }

        /// <summary>
        /// <see cref="Pack"/> of the first <paramref name="count"/> readings into <paramref name="into"/> from
        /// <paramref name="at"/>, a reading whose status is not Ok as <see cref="Unknown"/>: the capture's cells every tick,
        /// in one call (a call a cell cost the device's interpreter more than the packing).
        /// </summary>
        public static void PackReadings(float[] values, SensorStatus[] status, int count, float scale, short[] into, int at)
        {
            for (int c = 0; c < count; c++)
            {
                float v = status[c] == SensorStatus.Ok ? values[c] * scale : float.NaN;
                // As Pack: NaN, infinity and out of range all fail the comparison.
                into[at + c] = v > -32767.5f &&
                    // Stryker disable once Equality : 32766.5 itself rounds to 32767, which is Unknown
                    v < 32766.5f
                    ? (short)(
                        // Stryker disable once Equality : at 0 both arms truncate to 0
                        v < 0 ? v - 0.5f : v + 0.5f)
                    : Unknown;
            }
        }

        /// <summary>Scales a reading into an int16 field; NaN and out-of-range become <see cref="Unknown"/>.</summary>
        public static short Pack(float value, float scale)
        {
            // One comparison pair for NaN, infinity and the range alike (float.IsNaN and IsInfinity are two calls each on the
            // device's interpreter, and the capture packs every tick).
            float v = value * scale;
            return v > -32767.5f &&
                // Stryker disable once Equality : 32766.5 itself rounds to 32767, which is Unknown
                v < 32766.5f
                ? (short)(
                    // Stryker disable once Equality : at 0 both arms truncate to 0
                    v < 0 ? v - 0.5f : v + 0.5f)
                : Unknown;
        }

        // Stryker disable once Bitwise : v is a ushort widened to a non-negative int: >> and >>> shift alike
        private static void PutU16(byte[] b, int o, ushort v) { b[o] = (byte)v; b[o + 1] = (byte)(v >> 8); }

        // Stryker disable once Bitwise : v is unsigned: >> and >>> shift alike
        private static void PutU32(byte[] b, int o, uint v) { PutU16(b, o, (ushort)v); PutU16(b, o + 2, (ushort)(v >> 16)); }

        private static ushort GetU16(byte[] b, int o) { return (ushort)(b[o] | (b[o + 1] << 8)); }

        private static uint GetU32(byte[] b, int o) { return (uint)(GetU16(b, o) | (GetU16(b, o + 2) << 16)); }
    }
}
