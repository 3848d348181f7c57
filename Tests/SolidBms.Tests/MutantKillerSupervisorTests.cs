using System.Linq;
using SolidBms.Core.Measurement;
using SolidBms.Core.Safety;

namespace SolidBms.Tests;

/// <summary>
/// Issue 24: what the `safety` group's Stryker run showed no test of the supervisor would notice: flags with two classes
/// raised at once, the charge-temperature inhibits of an armed abuse test, the packed levels after a clear or a profile
/// swap, and the fault names copied into an array too short for them all. Driven directly on the supervisor with the
/// ASSB profile, 4 cells, 1 stack, 100 ms ticks. The classes used fire without qualification (loopLate, shortCircuit: 0 ms)
/// so that one evaluation shows the level.
/// </summary>
public class MutantKillerSupervisorTests
{
    private const int Cells = 4, TickMs = 100;

    private static SafetySupervisor Supervisor() => new(Repo.AssbProfile(), Cells, 1, TickMs);

    private static int Class(SafetySupervisor s, string name) => MutantKillerSafetyTests.Class(s, name);

    /// <summary>One evaluation with the loop <paramref name="lateMs"/> late and <paramref name="dischargeA"/> flowing.</summary>
    private static void Tick(SafetySupervisor s, long nowMs, float lateMs, float dischargeA)
    {
        var m = MutantKillerSafetyTests.Healthy(Cells);
        m.PackCurrentA = dischargeA;
        s.Evaluate(m, nowMs, lateMs, float.NaN);
    }

    // ---- two classes at the same level at once: each flag is an OR, not a toggle ----

    [Fact]
    public void TwoWarningsAtOnceRaiseTheWarningFlag()
    {
        var s = Supervisor();
        Tick(s, 0, 60, 6); // loopLate 60 ms (warning 50), short-circuit path 6 A (warning 5)
        Assert.Equal(LevelMonitor.Warning, s.ClassLevel(Class(s, "loopLate")));
        Assert.Equal(LevelMonitor.Warning, s.ClassLevel(Class(s, "shortCircuit")));
        Assert.True(s.AnyWarning);
        Assert.False(s.AnyAlarm);
        Assert.Equal(2, s.CopyFaultNames(new string[8]));
    }

    [Fact]
    public void TwoAlarmsAtOnceRaiseTheAlarmAndWarningFlagsAndDerate()
    {
        var s = Supervisor();
        var p = s.Profile;
        Tick(s, 0, 150, 9); // loopLate alarm 100, short-circuit alarm 8 A
        Assert.True(s.AnyAlarm);
        Assert.True(s.AnyWarning);
        Assert.False(s.AnyTripLatched);
        Assert.Equal(p.DeratedChargeA(true), s.ChargeLimitA);
        Assert.Equal(p.DeratedDischargeA(true), s.DischargeLimitA);
        var names = new string[8];
        Assert.Equal(2, s.CopyFaultNames(names));
        Assert.Equal(new[] { "shortCircuit:alarm", "loopLate:alarm" }, names.Take(2)); // in class order
    }

    [Fact]
    public void TwoTripsAtOnceLatchTheTripFlagAndStopBothDirections()
    {
        var s = Supervisor();
        Tick(s, 0, 600, 11); // loopLate trip 500 ms, short circuit 10 A
        Assert.True(s.ClassTripLatched(Class(s, "loopLate")));
        Assert.True(s.ClassTripLatched(Class(s, "shortCircuit")));
        Assert.True(s.AnyTripLatched);
        Assert.False(s.ChargeAllowed);
        Assert.False(s.DischargeAllowed);
        Assert.Equal(0f, s.ChargeLimitA);
        Assert.Equal(0f, s.DischargeLimitA);
    }

    // ---- the charge-temperature window and the abuse mask ----

    [Theory]
    [InlineData(57f, "chargeOverTemperature", "chargeUnderTemperature")]  // above the 55 C charge alarm, below every discharge level
    [InlineData(1f, "chargeUnderTemperature", "chargeOverTemperature")]   // below the 2 C charge alarm
    public void ChargeOutsideItsTemperatureWindowIsStoppedAtOnceUnlessThatClassIsInhibited(float celsius, string own, string other)
    {
        var s = Supervisor();
        var m = MutantKillerSafetyTests.Healthy(Cells);
        for (int i = 0; i < Cells; i++) m.CellTemperatureC[i] = celsius; // at rest: no charge class is evaluated, the window still holds
        s.Evaluate(m, 0, 0, float.NaN);
        Assert.False(s.ChargeAllowed);
        Assert.Equal(0f, s.ChargeLimitA);
        Assert.True(s.DischargeAllowed);
        s.SetInhibitMask(1u << Class(s, other)); // the other charge-temperature class: no help
        s.Evaluate(m, 100, 0, float.NaN);
        Assert.False(s.ChargeAllowed);
        s.SetInhibitMask(1u << Class(s, own));
        s.Evaluate(m, 200, 0, float.NaN);
        Assert.True(s.ChargeAllowed);
        Assert.True(s.ChargeLimitA > 0);
    }

    [Fact]
    public void ChargeIsStoppedWhileNoCellTemperatureIsKnown()
    {
        var s = Supervisor();
        var m = MutantKillerSafetyTests.Healthy(Cells);
        for (int i = 0; i < Cells; i++) m.CellTemperatureStatus[i] = SensorStatus.ReadFailed;
        s.Evaluate(m, 0, 0, float.NaN); // the sensor fault is not qualified yet: no trip, but no known temperature either
        Assert.False(s.AnyTripLatched);
        Assert.False(s.ChargeAllowed);
        Assert.True(s.DischargeAllowed);
    }

    [Fact]
    public void AMaskedTripIsNotOutsideTheMaskButAnotherClassesIs()
    {
        var s = Supervisor();
        Tick(s, 0, 600, 0);
        int late = Class(s, "loopLate");
        Assert.False(s.AnyTripLatchedExcept(1u << late));
        Assert.True(s.AnyTripLatchedExcept(1u << (late - 1)));
        Assert.True(s.AnyTripLatchedExcept(1u << (late + 1)));
        Assert.True(s.AnyTripLatchedExcept(0));
    }

    // ---- the packed levels outside an evaluation ----

    [Fact]
    public void AClearDropsTheTripFromThePackedLevelsAndKeepsAWarning()
    {
        var s = Supervisor();
        Tick(s, 0, 600, 6);   // loopLate trips, short-circuit path at warning
        Tick(s, 100, 0, 6);   // the loop on time again: its trip released, still latched
        int late = Class(s, "loopLate"), sc = Class(s, "shortCircuit");
        ulong warningOnly = (ulong)LevelMonitor.Warning << (2 * sc);
        Assert.Equal(warningOnly | ((ulong)LevelMonitor.Trip << (2 * late)), s.ClassLevels);
        Assert.True(s.TryClearTrips());
        Assert.Equal(warningOnly, s.ClassLevels);
    }

    [Fact]
    public void AProfileSwapKeepsThePackedLevels()
    {
        var s = Supervisor();
        Tick(s, 0, 600, 6);
        ulong before = s.ClassLevels;
        Assert.NotEqual(0ul, before);
        s.ApplyProfile(Repo.AssbProfile());
        Assert.Equal(before, s.ClassLevels);
    }

    // ---- fault names into a short array ----

    [Fact]
    public void FaultNamesStopAtTheEndOfTheCallersArray()
    {
        var s = Supervisor();
        var m = MutantKillerSafetyTests.Healthy(Cells);
        m.CellVoltageStatus[0] = SensorStatus.ReadFailed;
        m.CellTemperatureStatus[0] = SensorStatus.ReadFailed;
        for (long t = 0; t <= 600; t += TickMs) s.Evaluate(m, t, 150, float.NaN); // loopLate alarm; both sensor faults qualify
        string[] all = { "loopLate:alarm", "sensorCellVoltage:trip", "sensorTemperature:trip" };
        for (int size = 0; size <= 4; size++)
        {
            var into = new string[size];
            int n = s.CopyFaultNames(into);
            Assert.Equal(System.Math.Min(size, 3), n);
            Assert.Equal(all.Take(n), into.Take(n));
        }
    }

    // ---- which direction an alarm stops, and an inhibited alarm ----

    [Theory]
    [InlineData("cellOverVoltage", 4260f, false, true)]   // past the 4250 mV alarm: charge stops, discharge goes on
    [InlineData("packOverVoltage", 4240f, false, true)]   // every cell past the 4230 mV/cell pack alarm
    [InlineData("cellUnderVoltage", 2990f, true, false)]  // past the 3000 mV alarm: discharge stops
    [InlineData("packUnderVoltage", 3040f, true, false)]
    public void AVoltageAlarmStopsOneDirectionUnlessItsClassIsInhibited(string name, float millivolts, bool charge, bool discharge)
    {
        var s = Supervisor();
        var m = MutantKillerSafetyTests.Healthy(Cells);
        bool pack = name.StartsWith("pack");
        for (int i = 0; i < Cells; i++) m.CellMillivolts[i] = pack || i == 0 ? millivolts : 3700;
        int c = Class(s, name);
        long t = 0;
        for (; t <= 5000 && s.ClassLevel(c) < LevelMonitor.Alarm; t += TickMs) s.Evaluate(m, t, 0, float.NaN);
        Assert.Equal(LevelMonitor.Alarm, s.ClassLevel(c));
        Assert.False(s.AnyTripLatched);
        Assert.Equal(charge, s.ChargeAllowed);
        Assert.Equal(discharge, s.DischargeAllowed);
        Assert.Equal(charge ? s.Profile.DeratedChargeA(true) : 0f, s.ChargeLimitA);
        Assert.Equal(discharge ? s.Profile.DeratedDischargeA(true) : 0f, s.DischargeLimitA);
        s.SetInhibitMask(1u << c);
        s.Evaluate(m, t, 0, float.NaN);
        Assert.True(s.ChargeAllowed && s.DischargeAllowed);
        Assert.Equal(s.Profile.DeratedChargeA(false), s.ChargeLimitA); // an inhibited alarm derates nothing
        Assert.Equal(s.Profile.DeratedDischargeA(false), s.DischargeLimitA);
    }

    // ---- what counts as charging ----

    [Theory]
    [InlineData(0f, false)]
    [InlineData(-0.05f, false)] // exactly the idle band (0.05 A): rest
    [InlineData(0.5f, false)]   // discharging
    [InlineData(-0.06f, true)]
    public void TheChargeTemperatureTripAppliesOnlyWhileChargingBeyondTheIdleBand(float amps, bool trips)
    {
        var s = Supervisor();
        var m = MutantKillerSafetyTests.Healthy(Cells);
        m.PackCurrentA = amps;
        for (int i = 0; i < Cells; i++) m.CellTemperatureC[i] = 62; // past the 60 C charge trip, below the 65 C discharge alarm
        for (long t = 0; t <= 3000; t += TickMs) s.Evaluate(m, t, 0, float.NaN); // the trip qualifies in 2 s
        Assert.Equal(trips, s.ClassTripLatched(Class(s, "chargeOverTemperature")));
        Assert.False(s.ClassTripLatched(Class(s, "dischargeOverTemperature")));
    }

    [Fact]
    public void TheDischargeColdTripAppliesOnlyWhenNotCharging()
    {
        foreach (var (amps, trips) in new[] { (0f, true), (-0.5f, false) })
        {
            var s = Supervisor();
            var m = MutantKillerSafetyTests.Healthy(Cells);
            m.PackCurrentA = amps;
            for (int i = 0; i < Cells; i++) m.CellTemperatureC[i] = -21; // past the -20 C discharge trip (and the charge window)
            for (long t = 0; t <= 3000; t += TickMs) s.Evaluate(m, t, 0, float.NaN);
            Assert.Equal(trips, s.ClassTripLatched(Class(s, "dischargeUnderTemperature")));
        }
    }

    // ---- the charge current is held to the lower of the supervisor's limit and the one the charger was told ----

    [Theory]
    [InlineData(0.3f, true)]  // told 0.3 A, charging at 0.6 A: 0.3 A above (trip 0.2 A)
    [InlineData(5f, false)]   // told more than the supervisor's own 0.9 A: 0.6 A is within it
    public void AChargeCurrentIsComparedWithTheLowerOfTheTwoLimits(float toldA, bool trips)
    {
        var s = Supervisor();
        var m = MutantKillerSafetyTests.Healthy(Cells);
        m.PackCurrentA = -0.6f;
        s.SetReportedChargeLimit(toldA);
        for (long t = 0; t <= 6000; t += TickMs) s.Evaluate(m, t, 0, float.NaN); // the trip qualifies in 5 s
        Assert.Equal(trips, s.ClassTripLatched(Class(s, "chargeAboveLimit")));
    }

    [Fact]
    public void BeforeTheFirstEvaluationNoSummaryIsKnown()
    {
        var s = Supervisor();
        Assert.True(float.IsNaN(s.PackMillivolts));
        Assert.True(float.IsNaN(s.MaxTemperatureC));
        Assert.True(float.IsNaN(s.MinPressureKpa));
        s.Evaluate(MutantKillerSafetyTests.Healthy(Cells), 0, 0, float.NaN);
        Assert.Equal(4 * 3700f, s.PackMillivolts);
        Assert.Equal(25f, s.MaxTemperatureC);
        Assert.Equal(1000f, s.MinPressureKpa);
    }

    // ---- more than one stack, a masked sensor class, a changed temperature window, a released trip's name ----

    [Theory]
    [InlineData(1000f, 250f, "stackPressureLow")]   // the lower stack is below the 300 kPa trip
    [InlineData(250f, 1000f, "stackPressureLow")]
    [InlineData(1000f, 2600f, "stackPressureHigh")] // the higher stack is above the 2500 kPa trip
    [InlineData(2600f, 1000f, "stackPressureHigh")]
    public void EachStackCountsWhicheverComesFirst(float firstKpa, float secondKpa, string name)
    {
        var s = new SafetySupervisor(Repo.AssbProfile(), Cells, 2, TickMs);
        var m = MutantKillerSafetyTests.Healthy(Cells, 2);
        m.StackPressureKpa[0] = firstKpa;
        m.StackPressureKpa[1] = secondKpa;
        for (long t = 0; t <= 2500; t += TickMs) s.Evaluate(m, t, 0, float.NaN); // the pressure trips qualify in 2 s
        Assert.True(s.ClassTripLatched(Class(s, name)));
        Assert.False(s.ClassTripLatched(Class(s, name == "stackPressureLow" ? "stackPressureHigh" : "stackPressureLow")));
        Assert.Equal(System.Math.Min(firstKpa, secondKpa), s.MinPressureKpa);
    }

    [Fact]
    public void AStackBeyondItsRangeCountsAsBeyondTheHighTripButNotAsTheLowestPressure()
    {
        var s = new SafetySupervisor(Repo.AssbProfile(), Cells, 2, TickMs);
        var m = MutantKillerSafetyTests.Healthy(Cells, 2);
        m.StackPressureStatus[1] = SensorStatus.OverRange;
        m.StackPressureKpa[1] = 0; // what a saturated load cell's number says is not used
        for (long t = 0; t <= 2500; t += TickMs) s.Evaluate(m, t, 0, float.NaN);
        Assert.True(s.ClassTripLatched(Class(s, "stackPressureHigh")));
        Assert.False(s.ClassTripLatched(Class(s, "stackPressureLow")));
        Assert.Equal(1000f, s.MinPressureKpa);
    }

    [Fact]
    public void AnInhibitedSensorClassLatchesButDoesNotAct()
    {
        var s = Supervisor();
        var m = MutantKillerSafetyTests.Healthy(Cells);
        m.StackPressureStatus[0] = SensorStatus.ReadFailed;
        s.SetInhibitMask(1u << Class(s, "sensorPressure"));
        for (long t = 0; t <= 600; t += TickMs) s.Evaluate(m, t, 0, float.NaN); // qualifies in 500 ms
        Assert.True(s.ClassTripLatched(Class(s, "sensorPressure")));
        Assert.True(s.AnyTripLatched);
        Assert.True(s.ChargeAllowed);
        Assert.True(s.DischargeAllowed);
        s.SetInhibitMask(0);
        s.Evaluate(m, 700, 0, float.NaN);
        Assert.False(s.ChargeAllowed);
        Assert.False(s.DischargeAllowed);
    }

    [Fact]
    public void AChangedTemperatureWindowStartsAFreshWindow()
    {
        var s = Supervisor();
        var m = MutantKillerSafetyTests.Healthy(Cells);
        for (int k = 0; k <= 310; k++) // past the 30 s window at 0.6 C/min
        {
            for (int i = 0; i < Cells; i++) m.CellTemperatureC[i] = 25f + 0.001f * k;
            s.Evaluate(m, k * TickMs, 0, float.NaN);
        }
        Assert.False(float.IsNaN(s.TemperatureRiseCPerMin));
        var shorter = Repo.AssbProfile();
        shorter.TemperatureRateWindowMs = 10000;
        s.ApplyProfile(shorter);
        s.Evaluate(m, 311 * TickMs, 0, float.NaN);
        Assert.True(float.IsNaN(s.TemperatureRiseCPerMin), "a 10 s window reported a rise one tick after it was set");
    }

    [Fact]
    public void ALatchedTripWhoseConditionReleasedIsStillNamed()
    {
        var s = Supervisor();
        Tick(s, 0, 600, 0);
        Tick(s, 100, 0, 0); // on time again: no level, no warning, the latch stays
        Assert.False(s.AnyWarning);
        var names = new string[4];
        Assert.Equal(1, s.CopyFaultNames(names));
        Assert.Equal("loopLate:trip", names[0]);
    }

    // ---- the monitors' states are ORed: two equal states do not cancel ----

    [Fact]
    public void AShortCircuitWarningAloneRaisesTheWarningFlag()
    {
        var s = Supervisor();
        Tick(s, 0, 0, 6); // only the short-circuit path has a level on this first tick (the over-current ones qualify later)
        Assert.True(s.AnyWarning);
        Assert.Equal(LevelMonitor.Warning, s.ClassLevel(Class(s, "shortCircuit")));
    }

    /// <summary>The limit classes of <see cref="MutantKillerClassTests.Classes"/> (the sensor classes are not monitors).</summary>
    public static TheoryData<string> LimitClasses()
    {
        var d = new TheoryData<string>();
        foreach (string name in MutantKillerClassTests.Classes()) if (!name.StartsWith("sensor")) d.Add(name);
        return d;
    }

    [Theory]
    [MemberData(nameof(LimitClasses))]
    public void ALatchedClassAndAShortCircuitInTheSameTickAreBothSeen(string name)
    {
        // Both monitors report the same packed state (trip, latched): summed as a toggle they would cancel and the
        // summary would be skipped as if every monitor were quiet.
        var p = Repo.AssbProfile();
        var s = new SafetySupervisor(p, 4, 1, TickMs);
        int c = Class(s, name);
        var (m, late, r0) = MutantKillerClassTests.Violating(p, name);
        long t = 0;
        for (; t <= 70000 && !s.ClassTripLatched(c); t += TickMs) s.Evaluate(m, t, late, r0);
        Assert.True(s.ClassTripLatched(c));
        m.PackCurrentA = m.PackCurrentA < 0 ? -11 : 11; // past the 10 A short-circuit trip, same direction
        s.Evaluate(m, t, late, r0);
        Assert.True(s.ClassTripLatched(Class(s, "shortCircuit")));
        Assert.True(s.AnyTripLatched);
        Assert.False(s.ChargeAllowed);
        Assert.False(s.DischargeAllowed);
    }
}
