using System.Text;
using SolidBms.Core.Config;
using SolidBms.Core.Measurement;
using SolidBms.Core.Protocol;
using SolidBms.Core.Safety;

namespace SolidBms.Tests;

/// <summary>
/// Issue 24, item 2: supervisor, setting-authority and device-key behaviour that a mutation tester (Stryker.NET) showed
/// no test would notice if it changed. Driven directly on the classes, with the ASSB profile, 4 cells, 1 stack, 100 ms ticks.
/// </summary>
public class MutantKillerSafetyTests
{
    private const int Cells = 4, TickMs = 100;

    /// <summary>Every reading valid and well inside the ASSB profile's limits: 3.7 V, 25 C, 0 A, 1000 kPa.</summary>
    internal static PackMeasurement Healthy(int cells = Cells, int stacks = 1)
    {
        var m = new PackMeasurement(cells, stacks);
        for (int i = 0; i < cells; i++)
        {
            m.CellMillivolts[i] = 3700; m.CellVoltageStatus[i] = SensorStatus.Ok;
            m.CellTemperatureC[i] = 25; m.CellTemperatureStatus[i] = SensorStatus.Ok;
        }
        m.PackCurrentA = 0; m.PackCurrentStatus = SensorStatus.Ok;
        for (int s = 0; s < stacks; s++) { m.StackPressureKpa[s] = 1000; m.StackPressureStatus[s] = SensorStatus.Ok; }
        return m;
    }

    private static SafetySupervisor Supervisor() => new(Repo.AssbProfile(), Cells, 1, TickMs);

    /// <summary>The fault-class number of a class name.</summary>
    internal static int Class(SafetySupervisor s, string name)
    {
        for (int c = 0; c < s.FaultClassCount; c++) if (s.ClassName(c) == name) return c;
        throw new System.ArgumentException(name);
    }

    // ---- rate windows across settings writes ----

    [Fact]
    public void WritingTheSameSettingsEverySecondDoesNotKeepAPressureRateTripFromQualifying()
    {
        var s = Supervisor();
        var m = Healthy();
        var same = Repo.AssbProfile(); // the same window lengths (10 s pressure window)
        for (int k = 0; k <= 200; k++) // 20 s of pressure falling at 3 kPa/s (trip 2 kPa/s, 3 s)
        {
            m.StackPressureKpa[0] = 1000f - 0.3f * k;
            s.Evaluate(m, k * TickMs, 0, float.NaN);
            if (k % 10 == 0) s.ApplyProfile(same);
        }
        Assert.Equal(3f, s.PressureRateKpaPerS, 2);
        Assert.True(s.ClassTripLatched(Class(s, "stackPressureRate")), "3 kPa/s for 20 s with a settings write every second: no rate trip");
    }

    [Fact]
    public void WritingTheSameSettingsEverySecondDoesNotKeepATemperatureRiseTripFromQualifying()
    {
        var s = Supervisor();
        var m = Healthy();
        var same = Repo.AssbProfile(); // 30 s temperature window
        for (int k = 0; k <= 400; k++) // 40 s rising at 15 C/min (trip 10 C/min, 3 s)
        {
            for (int i = 0; i < Cells; i++) m.CellTemperatureC[i] = 25f + 0.025f * k;
            s.Evaluate(m, k * TickMs, 0, float.NaN);
            if (k % 10 == 0) s.ApplyProfile(same);
        }
        Assert.Equal(15f, s.TemperatureRiseCPerMin, 1);
        Assert.True(s.ClassTripLatched(Class(s, "temperatureRiseRate")), "15 C/min for 40 s with a settings write every second: no rate trip");
    }

    [Fact]
    public void AChangedRateWindowStartsAFreshWindow()
    {
        var s = Supervisor();
        var m = Healthy();
        for (int k = 0; k <= 110; k++) { m.StackPressureKpa[0] = 1000f - 0.3f * k; s.Evaluate(m, k * TickMs, 0, float.NaN); }
        Assert.False(float.IsNaN(s.PressureRateKpaPerS));
        var shorter = Repo.AssbProfile();
        shorter.PressureRateWindowMs = 5000;
        s.ApplyProfile(shorter);
        m.StackPressureKpa[0] -= 0.3f;
        s.Evaluate(m, 111 * TickMs, 0, float.NaN);
        Assert.True(float.IsNaN(s.PressureRateKpaPerS), "a 5 s window reported a rate one tick after it was set");
    }

    // ---- abuse mask ----

    [Fact]
    public void ATripOutsideTheArmedAbuseMaskStillCountsAsActing()
    {
        var s = Supervisor();
        var m = Healthy();
        for (int k = 0; k <= 10; k++) { m.CellMillivolts[0] = 4400; s.Evaluate(m, k * TickMs, 0, float.NaN); } // over-voltage trip, 500 ms
        int ov = Class(s, "cellOverVoltage");
        Assert.True(s.ClassTripLatched(ov));
        Assert.True(s.AnyTripLatchedExcept(0u));
        Assert.True(s.AnyTripLatchedExcept(1u << Class(s, "cellUnderVoltage"))); // the armed test inhibits another class
        Assert.False(s.AnyTripLatchedExcept(1u << ov));                         // the armed test inhibits this one
    }

    [Fact]
    public void ASensorTripActsWhateverLimitClassesTheAbuseMaskHolds()
    {
        var s = Supervisor();
        var m = Healthy();
        m.PackCurrentStatus = SensorStatus.ReadFailed;
        for (int k = 0; k <= 5; k++) s.Evaluate(m, k * TickMs, 0, float.NaN); // sensor fault qualifies in 500 ms
        Assert.True(s.ClassTripLatched(Class(s, "sensorCurrent")));
        Assert.True(s.AnyTripLatchedExcept((1u << s.Monitors.Length) - 1)); // every limit class masked; the sensor classes follow them
    }

    // ---- clear refused while a sensor fault persists ----

    [Fact]
    public void AClearIsRefusedWhileASensorFaultPersistsAndAllowedOnceTheSensorIsGood()
    {
        var s = Supervisor();
        var m = Healthy();
        m.PackCurrentStatus = SensorStatus.ReadFailed;
        for (int k = 0; k <= 5; k++) s.Evaluate(m, k * TickMs, 0, float.NaN);
        int sc = Class(s, "sensorCurrent");
        Assert.True(s.ClassTripLatched(sc));
        Assert.False(s.CanClearTrips());
        Assert.False(s.TryClearTrips());
        Assert.True(s.ClassTripLatched(sc));
        m.PackCurrentStatus = SensorStatus.Ok;
        s.Evaluate(m, 600, 0, float.NaN);
        Assert.True(s.CanClearTrips());
        Assert.True(s.TryClearTrips());
        Assert.False(s.ClassTripLatched(sc));
    }

    // ---- an accepted clear drops the trip flag at once (the ports are served after the evaluation) ----

    [Fact]
    public void TheSupervisorsTripFlagDropsWithTheLatches()
    {
        var s = Supervisor();
        var m = Healthy();
        m.PackCurrentStatus = SensorStatus.ReadFailed;
        for (int k = 0; k <= 5; k++) s.Evaluate(m, k * TickMs, 0, float.NaN); // the sensor fault qualifies in 500 ms
        Assert.True(s.AnyTripLatched);
        m.PackCurrentStatus = SensorStatus.Ok;
        s.Evaluate(m, 600, 0, float.NaN);
        Assert.True(s.AnyTripLatched); // released, still latched until cleared
        Assert.True(s.TryClearTrips());
        Assert.False(s.AnyTripLatched);
        Assert.Equal(0, s.CopyFaultNames(new string[8]));
    }

    // ---- the short-circuit fast path reads only a valid or saturated current ----

    [Theory]
    [InlineData(SensorStatus.NoData)]
    [InlineData(SensorStatus.ReadFailed)]
    [InlineData(SensorStatus.Open)]
    [InlineData(SensorStatus.Short)]
    [InlineData(SensorStatus.Implausible)]
    [InlineData(SensorStatus.Stale)]
    public void AFaultedCurrentReadingDoesNotTripTheShortCircuitMonitor(SensorStatus status)
    {
        var s = Supervisor();
        var m = Healthy();
        m.PackCurrentA = 50f; // a stale or garbage number in the faulted reading, far beyond the 10 A short-circuit trip
        m.PackCurrentStatus = status;
        s.Evaluate(m, 0, 0, float.NaN);
        Assert.False(s.ClassTripLatched(Class(s, "shortCircuit")));
    }

    [Theory]
    [InlineData(SensorStatus.Ok, 50f)]
    [InlineData(SensorStatus.Ok, -50f)]
    [InlineData(SensorStatus.OverRange, 5f)] // saturated: at least the range limit, taken as beyond every limit
    public void AValidOrSaturatedCurrentBeyondTheShortCircuitTripTripsOnTheFirstTick(SensorStatus status, float amps)
    {
        var s = Supervisor();
        var m = Healthy();
        m.PackCurrentA = amps;
        m.PackCurrentStatus = status;
        s.Evaluate(m, 0, 0, float.NaN);
        Assert.True(s.ClassTripLatched(Class(s, "shortCircuit")));
    }

    // ---- SettingAuthority ----

    private static CellRatings Ratings() => new()
    {
        MaxCellMillivolts = 4400, MinCellMillivolts = 2800, // looser than the start-up trips (4300, 2900)
    };

    [Fact]
    public void AKeyHolderMayLoosenATripBeyondItsStartUpValueUpToTheCellRatingAndNoFurther()
    {
        var startup = Repo.AssbProfile();
        var candidate = Repo.AssbProfile();
        candidate.CellOverVoltage.Trip = 4400; // exactly the rating
        Assert.Null(SettingAuthority.Check(startup, startup, candidate, Ratings()));
        candidate.CellOverVoltage.Trip = 4401;
        Assert.Equal("cellOverVoltage.trip: 4401 mV is beyond 4400 mV (the cell file's absolute rating); only the board's own files may go further",
            SettingAuthority.Check(startup, startup, candidate, Ratings()));
    }

    [Fact]
    public void ALowSideTripMayGoDownExactlyToTheCellRating()
    {
        var startup = Repo.AssbProfile();
        var candidate = Repo.AssbProfile();
        candidate.CellUnderVoltage.Trip = 2800;
        Assert.Null(SettingAuthority.Check(startup, startup, candidate, Ratings()));
        candidate.CellUnderVoltage.Trip = 2799;
        Assert.StartsWith("cellUnderVoltage.trip: 2799 mV is beyond 2800 mV", SettingAuthority.Check(startup, startup, candidate, Ratings()));
    }

    [Fact]
    public void ALowSideTripWithoutARatingMayGoDownExactlyToItsStartUpValue()
    {
        var startup = Repo.AssbProfile();
        var current = Repo.AssbProfile();
        current.StackPressureLow.Trip = 400; // tightened earlier
        var candidate = Repo.AssbProfile();   // restores the start-up 300 kPa: allowed
        Assert.Null(SettingAuthority.Check(startup, current, candidate, null));
        candidate.StackPressureLow.Trip = 299.9f;
        Assert.StartsWith("stackPressureLow.trip: ", SettingAuthority.Check(startup, current, candidate, null));
    }

    [Fact]
    public void ARatingTighterThanTheStartUpTripStillLetsTheStartUpTripBeRestored()
    {
        var startup = Repo.AssbProfile();
        var current = Repo.AssbProfile();
        current.CellOverVoltage.Trip = 4250;
        var candidate = Repo.AssbProfile(); // back to 4300, above a 4280 mV rating
        var tight = new CellRatings { MaxCellMillivolts = 4280 };
        Assert.Null(SettingAuthority.Check(startup, current, candidate, tight));
        candidate.CellOverVoltage.Trip = 4301;
        Assert.StartsWith("cellOverVoltage.trip: 4301 mV is beyond 4300 mV (the start-up", SettingAuthority.Check(startup, current, candidate, tight) ?? "");
    }

    [Fact]
    public void AWriteThatLeavesATripAsItIsIsNotRefusedForThatTrip()
    {
        // A trip already beyond today's bound (the cell file's rating tightened after a key holder loosened the trip to
        // the old one) does not lock every other setting: only a trip the write changes is checked against the bound.
        var startup = Repo.AssbProfile();
        var current = Repo.AssbProfile();
        current.CellOverVoltage.Trip = 4400;
        var candidate = Repo.AssbProfile();
        candidate.CellOverVoltage.Trip = 4400;
        candidate.CellOverVoltage.Warning = 4200; // the change this write makes
        Assert.Null(SettingAuthority.Check(startup, current, candidate, new CellRatings { MaxCellMillivolts = 4300 }));
        candidate.CellOverVoltage.Trip = 4401; // a trip the write moves further is checked
        Assert.StartsWith("cellOverVoltage.trip: 4401 mV is beyond 4300 mV", SettingAuthority.Check(startup, current, candidate, new CellRatings { MaxCellMillivolts = 4300 }));
    }

    [Fact]
    public void ATripAlreadyBeyondTodaysBoundMayBeTightenedStepByStep()
    {
        // Tightening is always allowed (docs/safety.md): also from a trip that lies beyond the bound, to a value that is
        // still beyond it. Before issue 24 this was refused, so the trip could only be pulled in past the bound at once.
        var startup = Repo.AssbProfile();
        var current = Repo.AssbProfile();
        current.CellOverVoltage.Trip = 4400;
        var tight = new CellRatings { MaxCellMillivolts = 4300 };
        var candidate = Repo.AssbProfile();
        candidate.CellOverVoltage.Trip = 4350;
        Assert.Null(SettingAuthority.Check(startup, current, candidate, tight));
        current.CellUnderVoltage.Trip = 2700; // the low side: beyond a 2800 mV rating
        candidate.CellUnderVoltage.Trip = 2750;
        Assert.Null(SettingAuthority.Check(startup, current, candidate, new CellRatings { MaxCellMillivolts = 4300, MinCellMillivolts = 2800 }));
        candidate.CellUnderVoltage.Trip = 2699; // further out: refused
        Assert.StartsWith("cellUnderVoltage.trip: 2699 mV is beyond 2800 mV",
            SettingAuthority.Check(startup, current, candidate, new CellRatings { MaxCellMillivolts = 4300, MinCellMillivolts = 2800 }) ?? "");
    }

    [Fact]
    public void TheAlarmDerateFactorCannotBeLoosenedOverAPortBeyondItsStartUpValue()
    {
        var startup = Repo.AssbProfile(); // 0.5
        var current = Repo.AssbProfile();
        current.AlarmDerateFactor = 0.3f;
        var candidate = Repo.AssbProfile();
        candidate.AlarmDerateFactor = 0.4f;
        Assert.Null(SettingAuthority.Check(startup, current, candidate, null));
        candidate.AlarmDerateFactor = 0.5f;
        Assert.Null(SettingAuthority.Check(startup, current, candidate, null));
        candidate.AlarmDerateFactor = 0.75f;
        Assert.Equal("current.alarmDerateFactor: 0.75 is looser than the start-up profile's 0.5; only the board's own files may go further",
            SettingAuthority.Check(startup, current, candidate, null));
    }

    // ---- DeviceAuth ----

    private static readonly byte[] Wrong = Encoding.ASCII.GetBytes("wrong-key-0123");
    private static readonly byte[] Right = Encoding.ASCII.GetBytes("rig-key-abcdef");

    [Fact]
    public void FiveBadKeysLockOutForSixtySecondsCountedAndTimedToTheSecond()
    {
        var a = new DeviceAuth("rig-key-abcdef");
        for (int k = 1; k < DeviceAuth.MaxFailures; k++)
        {
            Assert.Equal(DeviceAuth.BadKey, a.TryUnlock(Wrong, 0, Wrong.Length, 1000));
            Assert.Equal(k, a.Failures);
        }
        Assert.Equal(0, a.LockoutCount);
        Assert.Equal(0, a.LockoutRemainingS(1000));
        Assert.Equal(DeviceAuth.BadKey, a.TryUnlock(Wrong, 0, Wrong.Length, 1000)); // the fifth
        Assert.Equal(1, a.LockoutCount);
        Assert.Equal(0, a.Failures);
        Assert.Equal(60, a.LockoutRemainingS(1000));
        Assert.Equal(60, a.LockoutRemainingS(1001));   // 59.999 s left: rounded up
        Assert.Equal(2, a.LockoutRemainingS(59000));   // 2.000 s
        Assert.Equal(2, a.LockoutRemainingS(59001));   // 1.999 s: rounded up
        Assert.Equal(1, a.LockoutRemainingS(60000));   // 1.000 s
        Assert.Equal(1, a.LockoutRemainingS(60999));   // 1 ms
        Assert.True(a.IsLockedOut(60999));
        Assert.Equal(DeviceAuth.LockedOut, a.TryUnlock(Right, 0, Right.Length, 30000)); // even the right key waits
        Assert.Equal(0, a.Failures);                    // a try during the lockout costs nothing
        Assert.False(a.IsLockedOut(61000));
        Assert.Equal(0, a.LockoutRemainingS(61000));
    }

    [Fact]
    public void EachFurtherRunOfFiveBadKeysAddsOneLockoutAndAGoodKeyResetsTheRun()
    {
        var a = new DeviceAuth("rig-key-abcdef");
        for (int k = 0; k < 5; k++) a.TryUnlock(Wrong, 0, Wrong.Length, 0);
        Assert.Equal(1, a.LockoutCount);
        for (int k = 0; k < 4; k++) a.TryUnlock(Wrong, 0, Wrong.Length, 70000);
        Assert.Equal(DeviceAuth.Unlocked, a.TryUnlock(Right, 0, Right.Length, 70000));
        Assert.Equal(0, a.Failures);
        for (int k = 0; k < 4; k++) a.TryUnlock(Wrong, 0, Wrong.Length, 70000);
        Assert.Equal(1, a.LockoutCount);               // 4 + 4 with a success between: no lockout
        Assert.False(a.IsLockedOut(70000));
        a.TryUnlock(Wrong, 0, Wrong.Length, 70000);
        Assert.Equal(2, a.LockoutCount);
        Assert.Equal(60, a.LockoutRemainingS(70000));
    }
}
