using SolidBms.Core.Safety;

namespace SolidBms.Core.Protocol
{
    /// <summary>
    /// Fault bitfields (Modbus input registers 6..11, STATUS): bit c is the supervisor's fault class c, the
    /// numbering the abuse-test inhibit mask and the event log use: the profile's limits in LimitProfile.All()
    /// order, then the four sensor classes (cell voltage, temperature, current, pressure). 32 bits.
    /// </summary>
    public static class FaultBits
    {
        public static uint Trips(SafetySupervisor s)
        {
            uint bits = 0;
            int n = s.FaultClassCount < 32 ? s.FaultClassCount : 32;
            for (int c = 0; c < n; c++) if (s.ClassTripLatched(c)) bits |= 1u << c;
            return bits;
        }

        /// <summary>Classes whose current level is at least <paramref name="level"/> (LevelMonitor.Alarm or .Warning).</summary>
        public static uint AtLevel(SafetySupervisor s, int level)
        {
            uint bits = 0;
            LevelMonitor[] m = s.Monitors;
            for (int i = 0; i < m.Length && i < 32; i++) if (m[i].Level >= level) bits |= 1u << i;
            return bits;
        }
    }
}
