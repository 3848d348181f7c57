using nanoFramework.Hardware.Esp32;
using nanoFramework.TestFramework;
using SolidBms.Core.Loop;
using NativeGC = nanoFramework.Runtime.Native.GC;

namespace SolidBms.DeviceTests
{
    /// <summary>
    /// What a tick costs on the chip, for rig engineers: the whole tick and its split by stage (measure, estimate,
    /// protect, actuate, balance, record, report), timed with the ESP32's microsecond timer through the firmware's stage-timing
    /// hook, printed as a table (docs/benchmarks.md, "On the device"). The host figures rank changes; these are the ones
    /// the loop period has to hold. It also prints the interpreter bench's own lines ("nanobench stage-us ...", heap), which
    /// docs/nanoframework.md says how to compare with scripts/nano-bench.sh.
    /// </summary>
    [TestClass]
    public class TickCostTests
    {
        private const int Ticks = 50;

        [TestMethod]
        public void TickAndStageTimesFitThePeriod()
        {
            BmsController c = DeviceRig.Controller;
            DeviceRig.RunTicks(5);
            uint freeAfterStartUp = NativeGC.Run(false); // free managed heap after a collection, as the host bench reads it

            // Whole ticks with the hook off: the figure the loop really pays.
            long[] whole = new long[Ticks];
            for (int i = 0; i < Ticks; i++)
            {
                DeviceRig.RunTicks(1); // keeps the period, so the ticks see the data the loop sees
                ulong t0 = HighResTimer.GetCurrent();
                c.Tick();
                whole[i] = (long)(HighResTimer.GetCurrent() - t0);
            }

            // The same with the hook on, stage by stage.
            long[][] stages = new long[TickStage.Count][];
            for (int s = 0; s < TickStage.Count; s++) stages[s] = new long[Ticks];
            StageCostMeter meter = new StageCostMeter(StageCostMeter.MicrosecondTimer);
            c.StageTimer = new Esp32StageTimer();
            try
            {
                for (int i = 0; i < Ticks; i++)
                {
                    DeviceRig.RunTicks(1);
                    for (int s = 0; s < TickStage.Count; s++) stages[s][i] = c.StageTicks(s);
                    meter.Add(c);
                }
            }
            finally
            {
                c.StageTimer = null;
            }
            uint freeAfterTicks = NativeGC.Run(false);

            // The host bench's lines (scripts/nano-bench.sh prints the same keys from the interpreter): compare line by line.
            string[] lines = meter.Lines();
            for (int s = 0; s < lines.Length; s++) System.Diagnostics.Debug.WriteLine(lines[s]);
            System.Diagnostics.Debug.WriteLine(StageCostMeter.Line("stage-ticks", meter.Ticks));
            System.Diagnostics.Debug.WriteLine(StageCostMeter.Line("heap-free-after-start-up", freeAfterStartUp));
            System.Diagnostics.Debug.WriteLine(StageCostMeter.Line("heap-free-after-ticks", freeAfterTicks));
            System.Diagnostics.Debug.WriteLine(StageCostMeter.Line("heap-growth-over-ticks", (long)freeAfterStartUp - freeAfterTicks));

            System.Diagnostics.Debug.WriteLine("tick cost on " + DeviceRig.Board.Name + ", " + DeviceRig.Board.CellCount.ToString()
                + " cells, " + Ticks.ToString() + " ticks, microseconds");
            System.Diagnostics.Debug.WriteLine("stage       median      max");
            long stageSum = 0;
            for (int s = 0; s < TickStage.Count; s++)
            {
                long median = Median(stages[s]);
                stageSum += median;
                Print(TickStage.Name(s), median, Max(stages[s]));
                Assert.IsTrue(Max(stages[s]) >= 0, TickStage.Name(s) + ": the timer went backwards");
            }
            long wholeMedian = Median(whole);
            Print("tick", wholeMedian, Max(whole));

            long periodUs = 1000L * c.Timer.PeriodMs;
            Assert.IsTrue(stageSum > 0, "the stage-timing hook recorded nothing");
            Assert.IsTrue(wholeMedian < periodUs / 2, "median tick " + wholeMedian.ToString() + " us of a " + periodUs.ToString() + " us period");
        }

        private static void Print(string name, long median, long max)
        {
            System.Diagnostics.Debug.WriteLine(Pad(name, 10) + Pad(median.ToString(), 9, true) + Pad(max.ToString(), 9, true));
        }

        private static string Pad(string s, int width, bool right = false)
        {
            string pad = "";
            for (int i = s.Length; i < width; i++) pad += " ";
            return right ? pad + s : s + pad;
        }

        /// <summary>Median by insertion sort of a copy (50 values; no Array.Sort on the device's mscorlib).</summary>
        private static long Median(long[] values)
        {
            long[] v = new long[values.Length];
            for (int i = 0; i < v.Length; i++) v[i] = values[i];
            for (int i = 1; i < v.Length; i++)
            {
                long x = v[i];
                int j = i - 1;
                while (j >= 0 && v[j] > x) { v[j + 1] = v[j]; j--; }
                v[j + 1] = x;
            }
            return v[v.Length / 2];
        }

        private static long Max(long[] values)
        {
            long m = values[0];
            for (int i = 1; i < values.Length; i++) if (values[i] > m) m = values[i];
            return m;
        }
    }

    /// <summary>The device's stage timer: microseconds since boot from the ESP32's high-resolution timer.</summary>
    public sealed class Esp32StageTimer : IStageTimer
    {
        public long NowTicks() { return (long)HighResTimer.GetCurrent(); }
    }
}
