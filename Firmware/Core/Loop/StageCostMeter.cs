namespace SolidBms.Core.Loop
{
    /// <summary>
    /// Sums what each stage of a tick took (<see cref="BmsController.StageTicks"/>, with a stage timer set) over many
    /// ticks, and writes the figures as "nanobench KEY VALUE" lines: the interpreter bench on the host
    /// (Tools/SolidBms.NanoBench) and the timing test on a real ESP32 (Tests/SolidBms.DeviceTests, TickCostTests) print
    /// the same keys in the same units, so a rig's run compares line by line with the host's (docs/nanoframework.md).
    /// </summary>
    public sealed class StageCostMeter
    {
        private readonly long[] _sums = new long[TickStage.Count];
        private readonly int _timerTicksPerTenthUs;
        private long _whole;
        private int _ticks;

        /// <param name="timerTicksPerTenthMicrosecond">The stage timer's units in a tenth of a microsecond: 1 for .NET's
        /// 100 ns ticks (the host's DateTime), and for a microsecond timer (the ESP32's) pass 0 and the figures are scaled up.</param>
        public StageCostMeter(int timerTicksPerTenthMicrosecond)
        {
            _timerTicksPerTenthUs = timerTicksPerTenthMicrosecond;
        }

        /// <summary>For a timer counting microseconds (the ESP32's HighResTimer).</summary>
        public const int MicrosecondTimer = 0;

        /// <summary>For a timer counting 100 ns (.NET's DateTime ticks).</summary>
        public const int HundredNanosecondTimer = 1;

        public int Ticks { get { return _ticks; } }

        /// <summary>Adds the stages of the tick the controller has just run.</summary>
        public void Add(BmsController c)
        {
            for (int s = 0; s < TickStage.Count; s++)
            {
                long t = c.StageTicks(s);
                _sums[s] += t;
                _whole += t;
            }
            _ticks++;
        }

        /// <summary>Mean of a stage over the ticks added, tenths of a microsecond; <see cref="TickStage.Count"/>: the whole tick.</summary>
        public long MeanTenthsUs(int stage)
        {
            if (_ticks == 0) return 0;
            long sum = stage == TickStage.Count ? _whole : _sums[stage];
            return TenthsUs(sum) / _ticks;
        }

        /// <summary>A duration in the timer's units as tenths of a microsecond.</summary>
        public long TenthsUs(long timerTicks)
        {
            return _timerTicksPerTenthUs == MicrosecondTimer ? timerTicks * 10 : timerTicks / _timerTicksPerTenthUs;
        }

        /// <summary>The key of a stage's line ("stage-us measure"); <see cref="TickStage.Count"/>: "stage-us tick".</summary>
        public static string StageKey(int stage)
        {
            return "stage-us " + (stage == TickStage.Count ? "tick" : TickStage.Name(stage));
        }

        /// <summary>One line: "nanobench KEY VALUE".</summary>
        public static string Line(string key, string value) { return "nanobench " + key + " " + value; }

        public static string Line(string key, long value) { return Line(key, value.ToString()); }

        /// <summary>A count in units of 10^-decimals as a decimal number (no format strings: the device's mscorlib has few).</summary>
        public static string Fixed(long value, int decimals)
        {
            long scale = 1;
            for (int i = 0; i < decimals; i++) scale *= 10;
            string sign = value < 0 ? "-" : "";
            if (value < 0) value = -value;
            string frac = (value % scale).ToString();
            while (frac.Length < decimals) frac = "0" + frac;
            return sign + (value / scale).ToString() + (decimals > 0 ? "." + frac : "");
        }

        /// <summary>The stage lines, then the whole tick's, in microseconds with one decimal (allocates: for reports, not the loop).</summary>
        public string[] Lines()
        {
            var lines = new string[TickStage.Count + 1];
            for (int s = 0; s <= TickStage.Count; s++) lines[s] = Line(StageKey(s), Fixed(MeanTenthsUs(s), 1));
            return lines;
        }
    }
}
