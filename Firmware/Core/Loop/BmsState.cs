namespace SolidBms.Core.Loop
{
    /// <summary>What the pack is doing, as reported in telemetry and the CSV 'state' column.</summary>
    public enum BmsState
    {
        /// <summary>Starting: outputs safe until the first complete, fault-free measurement.</summary>
        Init = 0,
        Idle = 1,
        Charge = 2,
        Discharge = 3,
        /// <summary>An alarm is active: current limits reduced.</summary>
        Derate = 4,
        /// <summary>A trip is latched (or the watchdog fired): contactors open, charge and discharge disabled.</summary>
        Safe = 5,
    }

    public static class BmsStateNames
    {
        private static readonly string[] Names = { "init", "idle", "charge", "discharge", "derate", "safe" };

        public static string Of(BmsState state) { return Names[(int)state]; }
    }
}
