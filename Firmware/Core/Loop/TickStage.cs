namespace SolidBms.Core.Loop
{
    /// <summary>The stages of one tick, in the order <see cref="BmsController.Tick"/> runs them (docs/architecture.md).</summary>
    public static class TickStage
    {
        public const int Measure = 0, Estimate = 1, Protect = 2, Actuate = 3, Balance = 4, Record = 5, Report = 6;

        public const int Count = 7;

        /// <summary>Lower-case stage name, for tables (the bench, the on-device timing test).</summary>
        public static string Name(int stage)
        {
            switch (stage)
            {
                case Measure: return "measure";
                case Estimate: return "estimate";
                case Protect: return "protect";
                case Actuate: return "actuate";
                case Balance: return "balance";
                case Record: return "record";
                case Report: return "report";
                default: return "?";
            }
        }
    }
}
