using SolidBms.Core.Util;

namespace SolidBms.Core.Protocol
{
    /// <summary>
    /// The one rounding rule of both ports: value * scale rounded half away from zero. Telemetry and Modbus
    /// round the same float the same way, so a register and the same tick's frame agree to the digit.
    /// </summary>
    public static class Scaling
    {
        /// <summary>Modbus "not available": unsigned registers.</summary>
        public const int UnsignedUnknown = 0xFFFF;

        /// <summary>Modbus "not available": signed registers (-32768).</summary>
        public const int SignedUnknown = 0x8000;

        public static long Round(double scaled) { return (long)(scaled < 0 ? scaled - 0.5 : scaled + 0.5); }

        /// <summary>Unsigned 16-bit register: 0xFFFF when unknown or out of range.</summary>
        public static int ToUnsigned(float value, float scale)
        {
            if (FastMath.IsBad(value)) return UnsignedUnknown;
            double s = (double)value * scale;
            if (s < -0.5 || s >= 65534.5) return UnsignedUnknown;
            return (int)Round(s);
        }

        /// <summary>Signed 16-bit register (two's complement): 0x8000 when unknown or out of range.</summary>
        public static int ToSigned(float value, float scale)
        {
            if (FastMath.IsBad(value)) return SignedUnknown;
            double s = (double)value * scale;
            if (s <= -32767.5 || s >= 32767.5) return SignedUnknown;
            return (int)(Round(s) & 0xFFFF);
        }

        /// <summary>Appends ",value*scale" or "," alone when unknown: an unknown reading is an empty field, never a stale number.</summary>
        public static void AppendField(AsciiWriter w, float value, float scale)
        {
            if (!(value - value == 0f)) w.Append(','); // NaN or infinite (FastMath.IsBad), without its call: five fields a frame
            else w.AppendCommaRounded((double)value * scale);
        }
    }
}
