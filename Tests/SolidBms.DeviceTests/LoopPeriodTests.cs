using nanoFramework.TestFramework;
using SolidBms.Core.Loop;

namespace SolidBms.DeviceTests
{
    /// <summary>The control loop keeps the board's period on the real chip, with every driver in it.</summary>
    [TestClass]
    public class LoopPeriodTests
    {
        [TestMethod]
        public void HundredTicksTakeHundredPeriodsWithoutOverrun()
        {
            BmsController c = DeviceRig.Controller;
            DeviceRig.RunTicks(2);
            long overrunsBefore = c.Timer.OverrunCount;
            int feedsBefore = DeviceRig.Watchdog.Feeds;
            long start = DeviceRig.Clock.NowMilliseconds;
            DeviceRig.RunTicks(100);
            long elapsed = DeviceRig.Clock.NowMilliseconds - start;
            long expected = 100L * c.Timer.PeriodMs;
            Assert.IsTrue(c.Timer.OverrunCount == overrunsBefore, "loop overran " + (c.Timer.OverrunCount - overrunsBefore).ToString() + " times");
            Assert.IsTrue(elapsed > expected * 95 / 100 && elapsed < expected * 105 / 100, "100 ticks took " + elapsed.ToString() + " ms, expected " + expected.ToString());
            Assert.IsTrue(DeviceRig.Watchdog.Feeds - feedsBefore >= 100, "the loop did not feed the watchdog every tick");
        }

        [TestMethod]
        public void OneTickTakesLessThanHalfAPeriod()
        {
            BmsController c = DeviceRig.Controller;
            long worst = 0;
            for (int i = 0; i < 20; i++)
            {
                DeviceRig.RunTicks(1);
                long t0 = DeviceRig.Clock.NowMilliseconds;
                c.Tick();
                long took = DeviceRig.Clock.NowMilliseconds - t0;
                if (took > worst) worst = took;
            }
            Assert.IsTrue(worst < c.Timer.PeriodMs / 2, "slowest tick took " + worst.ToString() + " ms of a " + c.Timer.PeriodMs.ToString() + " ms period");
        }
    }
}
