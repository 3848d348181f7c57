using System.Text;
using SolidBms.Core.Actuation;
using SolidBms.Core.Config;
using SolidBms.Core.Hal;
using SolidBms.Core.Measurement;
using SolidBms.Core.Protocol;
using SolidBms.Core.Safety;
using SolidBms.Simulator.Hardware;

namespace SolidBms.Tests;

/// <summary>
/// Issue 24, item 3: the paths of the safety scope that no other test took (branch coverage 100 % on Safety, Actuation,
/// SettingAuthority, DeviceAuth and WriteLog), each asserted for what it does.
/// </summary>
public class SafetyScopeBranchTests
{
    private const float Idle = 0.05f;
    private const int TickMs = 100;

    private static (ContactorController c, SimDigitalOutput main, SimDigitalOutput pre) Contactor()
    {
        var main = new SimDigitalOutput();
        var pre = new SimDigitalOutput();
        return (new ContactorController(main, pre, prechargeTimeoutMs: 3000, prechargeFixedMs: 500, matchPercent: 95, weldCheckMs: 500), main, pre);
    }

    // ---- ContactorController ----

    [Fact]
    public void ADisconnectRequestDuringPrechargeOpensThePrechargeRelayWithoutAWeldCheck()
    {
        var (c, main, pre) = Contactor();
        c.Update(true, 60000, 0, true, 0, Idle, 0);
        Assert.Equal(ContactorState.Precharge, c.State);
        Assert.True(pre.State);
        c.Update(false, 60000, 0, true, 0, Idle, 100);
        Assert.Equal(ContactorState.Open, c.State); // the main contacts never closed: nothing to weld-check
        Assert.False(pre.State);
        Assert.False(main.State);
        Assert.False(c.PrechargeFailed);
        c.Update(false, 60000, 0, true, 0, Idle, 5000); // long past the precharge timeout: still no failure
        Assert.Equal(ContactorState.Open, c.State);
        Assert.False(c.PrechargeFailed);
    }

    [Fact]
    public void ForceOpenDuringPrechargeGoesStraightToOpen()
    {
        var (c, main, pre) = Contactor();
        c.Update(true, 60000, 0, true, 0, Idle, 0);
        c.ForceOpen(200);
        Assert.Equal(ContactorState.Open, c.State);
        Assert.False(pre.State);
        Assert.False(main.State);
    }

    [Theory]
    [InlineData(float.NaN, 60000f)] // the link reading failed
    [InlineData(60000f, float.NaN)] // the pack sum is unknown
    public void AnUnknownLinkOrPackVoltageNeverCompletesThePrechargeAndItTimesOut(float linkMv, float packMv)
    {
        var (c, main, pre) = Contactor();
        c.Update(true, packMv, linkMv, true, 0, Idle, 0);
        for (long t = 100; t < 3000; t += 100)
        {
            c.Update(true, packMv, linkMv, true, 0, Idle, t);
            Assert.Equal(ContactorState.Precharge, c.State);
            Assert.False(main.State, $"main closed on an unknown voltage at {t} ms");
        }
        c.Update(true, packMv, linkMv, true, 0, Idle, 3000);
        Assert.Equal(ContactorState.Failed, c.State);
        Assert.True(c.PrechargeFailed);
        Assert.False(pre.State);
    }

    [Fact]
    public void ALinkAtTheMatchFractionOfThePackClosesTheMain()
    {
        var (c, main, pre) = Contactor();
        c.Update(true, 60000, 0, true, 0, Idle, 0);
        c.Update(true, 60000, 56999, true, 0, Idle, 100); // 94.998 %: not yet
        Assert.Equal(ContactorState.Precharge, c.State);
        c.Update(true, 60000, 57000, true, 0, Idle, 200); // exactly 95 %
        Assert.Equal(ContactorState.Closed, c.State);
        Assert.True(main.State);
        Assert.False(pre.State);
    }

    [Fact]
    public void AClosedContactorAskedToOpenOpensTheMainAndStartsTheWeldCheck()
    {
        var (c, main, _) = Contactor();
        c.Update(true, 60000, 60000, true, 0, Idle, 0);
        c.Update(true, 60000, 60000, true, 0, Idle, 100);
        Assert.Equal(ContactorState.Closed, c.State);
        c.Update(true, 60000, 60000, true, 0, Idle, 200); // still wanted: stays closed
        Assert.Equal(ContactorState.Closed, c.State);
        Assert.True(main.State);
        c.Update(false, 60000, 60000, true, 0, Idle, 300);
        Assert.Equal(ContactorState.Opening, c.State);
        Assert.False(main.State);
        c.Update(false, 60000, 60000, true, 0, Idle, 800);
        Assert.Equal(ContactorState.Open, c.State);
    }

    // ---- SecondLineOfDefence ----

    private sealed class Means : IDisconnect
    {
        public bool Open() { return true; }
    }

    [Fact]
    public void TheSecondLineReportsWhetherAFuseIsFittedAndWhenItsEvidenceBegan()
    {
        var withFuse = new SecondLineOfDefence(new Means(), SecondMeansSettings.Gpio, new Means(), SecondMeansSettings.Gpio, 5000, 500);
        var without = new SecondLineOfDefence(new Means(), SecondMeansSettings.Gpio, null, SecondMeansSettings.None, 0, 500);
        Assert.True(withFuse.HasFuse);
        Assert.False(without.HasFuse);
        Assert.Equal(-1, withFuse.FuseEvidenceSinceMs);
        withFuse.Update(true, SensorStatus.Ok, -2f, Idle, true, false, 1000); // the verdict tick: the reading predates the command
        Assert.Equal(-1, withFuse.FuseEvidenceSinceMs);
        withFuse.Update(true, SensorStatus.Ok, -2f, Idle, true, false, 1100); // charge current with over-voltage latched
        Assert.Equal(1100, withFuse.FuseEvidenceSinceMs);
        withFuse.Update(true, SensorStatus.Ok, -2f, Idle, true, false, 1200);
        Assert.Equal(1100, withFuse.FuseEvidenceSinceMs);
        withFuse.Update(true, SensorStatus.ReadFailed, -2f, Idle, true, false, 1300); // no valid reading: the evidence ends
        Assert.Equal(-1, withFuse.FuseEvidenceSinceMs);
    }

    // ---- SafetySupervisor ----

    private static PackMeasurement Healthy(int cells, int stacks) => MutantKillerSafetyTests.Healthy(cells, stacks);

    private static int Class(SafetySupervisor s, string name) => MutantKillerSafetyTests.Class(s, name);

    [Fact]
    public void EveryFaultClassHasABitInTheMasksAndTwoInTheLevelWord()
    {
        // The inhibit masks are 32-bit and ClassLevels holds two bits per class in 64: the supervisor relies on fewer than
        // 32 classes and does not check it at run time.
        var s = new SafetySupervisor(Repo.AssbProfile(), 4, 1, TickMs);
        Assert.True(s.FaultClassCount <= 32, $"{s.FaultClassCount} fault classes: the masks and ClassLevels hold 32");
        Assert.Equal(s.Monitors.Length + 4, s.FaultClassCount);
        Assert.Equal(new[] { "sensorCellVoltage", "sensorTemperature", "sensorCurrent", "sensorPressure" },
            System.Array.ConvertAll(s.SensorMonitors, m => m.Name));
        Assert.Equal("sensorPressure", s.ClassName(s.FaultClassCount - 1));
        // The last class's level lands in the top bits it owns.
        var m = Healthy(4, 1);
        m.StackPressureStatus[0] = SensorStatus.ReadFailed;
        for (int k = 0; k <= 10; k++) s.Evaluate(m, k * TickMs, 0, float.NaN);
        int last = s.FaultClassCount - 1;
        Assert.True(s.ClassTripLatched(last));
        Assert.Equal((ulong)LevelMonitor.Trip, (s.ClassLevels >> (2 * last)) & 3);
        Assert.Equal(0UL, s.ClassLevels >> (2 * last + 2));
    }

    [Fact]
    public void AnUnknownReportedChargeLimitHoldsTheChargeCurrentToZero()
    {
        // The charger was told nothing usable: any charge current counts as above the limit (chargeAboveLimit trips at
        // 0.2 A above it after 5 s).
        var s = new SafetySupervisor(Repo.AssbProfile(), 4, 1, TickMs);
        var m = Healthy(4, 1);
        m.PackCurrentA = -0.3f;
        s.SetReportedChargeLimit(float.NaN);
        for (int k = 0; k <= 60; k++) s.Evaluate(m, k * TickMs, 0, float.NaN);
        Assert.True(s.ClassTripLatched(Class(s, "chargeAboveLimit")));

        var told = new SafetySupervisor(Repo.AssbProfile(), 4, 1, TickMs);
        told.SetReportedChargeLimit(0.9f);
        for (int k = 0; k <= 60; k++) told.Evaluate(m, k * TickMs, 0, float.NaN);
        Assert.False(told.ClassTripLatched(Class(told, "chargeAboveLimit")));
    }

    [Fact]
    public void NoLatchedTripMeansNoneOutsideAnyMask()
    {
        var s = new SafetySupervisor(Repo.AssbProfile(), 4, 1, TickMs);
        s.Evaluate(Healthy(4, 1), 0, 0, float.NaN);
        Assert.False(s.AnyTripLatchedExcept(0u));
        Assert.False(s.AnyTripLatchedExcept(0xFFFFFFFFu));
    }

    [Fact]
    public void AnAlarmOfAnInhibitedVoltageClassNoLongerStopsChargeOrDischarge()
    {
        var s = new SafetySupervisor(Repo.AssbProfile(), 4, 1, TickMs);
        var m = Healthy(4, 1);
        m.CellMillivolts[0] = 4270; // over the 4250 mV alarm, under the 4300 mV trip
        for (int k = 0; k <= 30; k++) s.Evaluate(m, k * TickMs, 0, float.NaN);
        Assert.Equal(LevelMonitor.Alarm, s.Monitors[SafetySupervisor.CellOverVoltageClass].Level);
        Assert.False(s.ChargeAllowed);
        Assert.True(s.DischargeAllowed);
        s.SetInhibitMask(1u << SafetySupervisor.CellOverVoltageClass);
        s.Evaluate(m, 3100, 0, float.NaN);
        Assert.True(s.ChargeAllowed); // the abuse test inhibits the class: its alarm is reported, not acted on
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ThePressureRateIsTheFastestStackWhicheverStackItIs(int fastStack)
    {
        var s = new SafetySupervisor(Repo.AssbProfile(), 4, 2, TickMs);
        var m = Healthy(4, 2);
        for (int k = 0; k <= 110; k++) // 10 s window: the fast stack falls 3 kPa/s, the other rises 1 kPa/s
        {
            m.StackPressureKpa[fastStack] = 1000f - 0.3f * k;
            m.StackPressureKpa[1 - fastStack] = 1000f + 0.1f * k;
            s.Evaluate(m, k * TickMs, 0, float.NaN);
        }
        Assert.Equal(3f, s.PressureRateKpaPerS, 2);
        m.StackPressureStatus[fastStack] = SensorStatus.ReadFailed; // its window restarts: the other stack's rate is left
        m.StackPressureKpa[1 - fastStack] = 1000f + 0.1f * 111;
        s.Evaluate(m, 111 * TickMs, 0, float.NaN);
        Assert.Equal(1f, s.PressureRateKpaPerS, 2);
    }

    [Fact]
    public void TheTemperatureRiseIsTheFastestCellsWhicheverCellItIs()
    {
        var profile = Repo.AssbProfile();
        var s = new SafetySupervisor(profile, 3, 1, TickMs);
        var m = Healthy(3, 1);
        float[] perTick = { 0.01f, 0.03f, 0.02f }; // 6, 18 and 12 C/min
        for (int k = 0; k <= 310; k++)
        {
            for (int i = 0; i < 3; i++) m.CellTemperatureC[i] = 25f + perTick[i] * k;
            s.Evaluate(m, k * TickMs, 0, float.NaN);
        }
        Assert.Equal(18f, s.TemperatureRiseCPerMin, 1);
    }

    // ---- RateTracker ----

    [Fact]
    public void AWindowThatSpansNoTimeGivesNoRate()
    {
        var r = new RateTracker(2);
        r.Add(1f, 500);
        r.Add(2f, 500);
        r.Add(3f, 500); // a full window, all at one instant (a clock that did not move)
        Assert.False(r.HasRate);
        Assert.True(float.IsNaN(r.RatePerSecond));
        r.Add(4f, 700);
        Assert.True(r.HasRate);
        Assert.Equal(200, r.WindowMs);
        Assert.Equal(2f, r.Rise);
        Assert.Equal(10f, r.RatePerSecond, 3); // 4 - 2 over 200 ms
    }

    [Fact]
    public void AnInfiniteSampleAtBothEndsOfTheWindowGivesNoRate()
    {
        var r = new RateTracker(1);
        r.Add(float.PositiveInfinity, 0);
        r.Add(float.PositiveInfinity, 100); // inf - inf: no number
        Assert.False(r.HasRate);
        Assert.True(float.IsNaN(r.RatePerSecond));
    }

    // ---- DeviceAuth ----

    [Fact]
    public void AKeyOfThePlaceholdersLengthIsNotThePlaceholder()
    {
        Assert.Equal(18, DeviceAuth.PlaceholderKey.Length);
        Assert.False(DeviceAuth.IsPlaceholderKey("change-me-solidbmz"));
        Assert.False(DeviceAuth.IsPlaceholderKey("xhange-me-solidbms"));
        Assert.True(DeviceAuth.IsPlaceholderKey("CHANGE-ME-SOLIDBMS"));
        var a = new DeviceAuth("change-me-solidbmz");
        Assert.False(a.IsPlaceholder);
        byte[] key = Encoding.ASCII.GetBytes("change-me-solidbmz");
        Assert.Equal(DeviceAuth.Unlocked, a.TryUnlock(key, 0, key.Length, 0));
    }

    // ---- WriteLog ----

    [Fact]
    public void ASequenceNumberThatIsNotHeldHasNoSlot()
    {
        var log = new WriteLog();
        Assert.Equal(-1, log.Slot(-1));
        Assert.Equal(-1, log.Slot(0)); // nothing written yet
        log.Add(10, WriteLog.SourceLine, WriteLog.ActionSet, 3, 4280, WriteLog.ResultAccepted);
        Assert.Equal(0, log.Sequence(log.Slot(0)));
        Assert.Equal(-1, log.Slot(1)); // the next one, not yet written
        for (int k = 0; k < WriteLog.Capacity; k++) log.Add(20 + k, WriteLog.SourceLine, WriteLog.ActionSet, 3, 4280, WriteLog.ResultAccepted);
        Assert.Equal(-1, log.Slot(0)); // washed out of the keyed ring
        Assert.Equal(1, log.Oldest);
    }

    [Fact]
    public void ALineEntryHasNoRegisterRangeAndAModbusEntryHasItsOwn()
    {
        var log = new WriteLog();
        log.Add(10, WriteLog.SourceLine, WriteLog.ActionSet, 3, 4280, WriteLog.ResultAccepted);
        log.Add(20, WriteLog.SourceModbus, WriteLog.ActionSet, 3, 4280, 2, 1040, 4, WriteLog.ResultAccepted);
        int line = log.Slot(0), modbus = log.Slot(1);
        Assert.Equal(-1, log.FirstRegister(line));
        Assert.Equal(0, log.RegisterCount(line));
        Assert.Equal(1040, log.FirstRegister(modbus));
        Assert.Equal(4, log.RegisterCount(modbus));
        Assert.Equal(2, log.FieldCount(modbus));
    }
}
