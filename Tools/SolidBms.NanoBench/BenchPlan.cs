namespace SolidBms.NanoBench
{
    /// <summary>
    /// What one run of the bench does. The interpreter passes a program no arguments, so scripts/nano-bench.sh builds
    /// variants of the bench with this file replaced (one board, one mode, a number of passes) in its own copy of the
    /// repository; the defaults here run everything but the instruction count on both boards, for a run by hand.
    /// </summary>
    internal static class BenchPlan
    {
        /// <summary>The board to run; null: every board in <see cref="BoardTexts.Boards"/>, one after the other.</summary>
        public static readonly string Board = null;

        /// <summary>
        /// <see cref="BenchRun.ModeFull"/>: heap, collections, wall time, stages (<see cref="BenchRun.Full"/>).
        /// <see cref="BenchRun.ModeTick"/> / <see cref="BenchRun.ModeRig"/>: <see cref="Ticks"/> loop passes with and
        /// without the controller's tick and nothing else, for the instruction count (<see cref="BenchRun.Count"/>).
        /// <see cref="BenchRun.ModeHeap"/>: the managed heap each step of the start-up holds (<see cref="BenchRun.Heap"/>).
        /// </summary>
        public static readonly string Mode = BenchRun.ModeFull;

        /// <summary>Ticks before anything is measured: chips configured, estimator started, contactor closed, discharging.</summary>
        public static readonly int WarmUpTicks = 100;

        /// <summary>Measured ticks (stage timer off); the heap after them is printed.</summary>
        public static readonly int Ticks = 1000;

        /// <summary>Further ticks with the controller's stage timer on, for the split of wall time by stage.</summary>
        public static readonly int StageTicks = 200;
    }
}
