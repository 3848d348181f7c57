using System;

namespace SolidBms.NanoBench
{
    /// <summary>
    /// The firmware's tick on nanoFramework's own interpreter: the controller of each 16-cell board (the analog
    /// sim-analog-16 and the BQ76952 bq76952-16s), built from the board, profile and cell files with fakes behind the
    /// firmware's Hal interfaces, in a steady discharge. See README.md beside this file and scripts/nano-bench.sh.
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            try
            {
                string[] boards = BenchPlan.Board != null ? new string[] { BenchPlan.Board } : BoardTexts.Boards;
                for (int i = 0; i < boards.Length; i++)
                {
                    if (BenchPlan.Mode == BenchRun.ModeFull) BenchRun.Full(boards[i], BenchPlan.WarmUpTicks, BenchPlan.Ticks, BenchPlan.StageTicks);
                    else if (BenchPlan.Mode == BenchRun.ModeStages) BenchRun.Stages(boards[i], BenchPlan.WarmUpTicks, BenchPlan.Ticks);
                    else if (BenchPlan.Mode == BenchRun.ModeHeap) BenchRun.Heap(boards[i], BenchPlan.WarmUpTicks);
                    else BenchRun.Count(boards[i], BenchPlan.WarmUpTicks, BenchPlan.Ticks, BenchPlan.Mode == BenchRun.ModeTick);
                    nanoFramework.Runtime.Native.GC.Run(false); // the next board starts on an emptied heap
                }
                Console.WriteLine("nanobench done");
            }
            catch (Exception e)
            {
                Console.WriteLine("nanobench failed: " + e.Message);
                Console.WriteLine(e.StackTrace);
            }
        }
    }
}
