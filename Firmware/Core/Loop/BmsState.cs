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

        /// <summary>How many states there are (their numbers run 0 .. Count-1).</summary>
        public static int Count { get { return Names.Length; } }

        /// <summary>The name of a stored state number (event log, capture), "?" for a number no state has.</summary>
        public static string OfCode(int code) { return code >= 0 && code < Names.Length ? Names[code] : "?"; }

        /// <summary>The state number of a name, -1 if none.</summary>
        public static int IndexOf(string name)
        {
            for (int i = 0; i < Names.Length; i++) if (Names[i] == name) return i;
            return -1;
        }
    }
}
