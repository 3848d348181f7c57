using System;
using System.Linq;
using SolidBms.Core.Config;
using SolidBms.Core.Measurement;
using SolidBms.Core.Safety;

namespace SolidBms.Tests;

/// <summary>
/// Issue 24, item 2: every fault class trips through the supervisor on its own reading, and the summary flags, the
/// packed levels, the fault names and the permissions follow. The first Stryker run of the safety group showed that,
/// without the rigs, no focused test noticed a class's update removed or a summary flag always false.
/// Driven directly on the supervisor with the ASSB profile, 4 cells, 1 stack, 100 ms ticks.
/// </summary>
public class MutantKillerClassTests
{
    private const int Cells = 4, TickMs = 100;

    /// <summary>A reading past a limit's trip: 1 unit beyond, in its direction.</summary>
    private static float Past(LevelLimit l) => l.Above ? l.Trip + 1 : l.Trip - 1;

    public static TheoryData<string> Classes() => new()
    {
        "cellUnderVoltage", "chargeOverCurrent", "dischargeOverCurrent", "chargeOverTemperature", "chargeUnderTemperature",
        "dischargeOverTemperature", "dischargeUnderTemperature", "stackPressureLow", "stackPressureHigh", "cellImbalance",
        "packOverVoltage", "packUnderVoltage", "r0Growth", "loopLate", "sensorCellVoltage", "sensorTemperature",
    };

    /// <summary>The measurement, loop lateness and R0 growth that violate only <paramref name="name"/>'s reading.</summary>
    internal static (PackMeasurement m, float lateMs, float r0) Violating(LimitProfile p, string name)
    {
        var m = MutantKillerSafetyTests.Healthy(Cells, 1);
        float late = 0, r0 = 0;
        float chargeA = -(p.IdleCurrentA + 1); // charging: negative current beyond the idle band
        void Temps(float c) { for (int i = 0; i < Cells; i++) m.CellTemperatureC[i] = c; }
        void Cells_(float mv) { for (int i = 0; i < Cells; i++) m.CellMillivolts[i] = mv; }
        switch (name)
        {
            case "cellUnderVoltage": m.CellMillivolts[0] = Past(p.CellUnderVoltage); break;
            case "chargeOverCurrent": m.PackCurrentA = -Past(p.ChargeOverCurrent); break;
            case "dischargeOverCurrent": m.PackCurrentA = Past(p.DischargeOverCurrent); break;
            case "chargeOverTemperature": Temps(Past(p.ChargeOverTemperature)); m.PackCurrentA = chargeA; break;
            case "chargeUnderTemperature": Temps(Past(p.ChargeUnderTemperature)); m.PackCurrentA = chargeA; break;
            case "dischargeOverTemperature": Temps(Past(p.DischargeOverTemperature)); break;
            case "dischargeUnderTemperature": Temps(Past(p.DischargeUnderTemperature)); break;
            case "stackPressureLow": m.StackPressureKpa[0] = Past(p.StackPressureLow); break;
            case "stackPressureHigh": m.StackPressureKpa[0] = Past(p.StackPressureHigh); break;
            case "cellImbalance": Cells_(3600); m.CellMillivolts[0] = 3600 + Past(p.CellImbalance); break;
            case "packOverVoltage": Cells_(Past(p.PackOverVoltage)); break;
            case "packUnderVoltage": Cells_(Past(p.PackUnderVoltage)); break;
            case "r0Growth": r0 = Past(p.R0Growth); break;
            case "loopLate": late = Past(p.LoopLate); break;
            case "sensorCellVoltage": m.CellVoltageStatus[0] = SensorStatus.ReadFailed; break;
            case "sensorTemperature": m.CellTemperatureStatus[0] = SensorStatus.ReadFailed; break;
            default: throw new ArgumentException(name);
        }
        return (m, late, r0);
    }

    [Fact]
    public void AHealthyPackHasNoFlagNoLevelAndEveryPermission()
    {
        var s = new SafetySupervisor(Repo.AssbProfile(), Cells, 1, TickMs);
        var m = MutantKillerSafetyTests.Healthy(Cells, 1);
        for (long t = 0; t <= 2000; t += TickMs) s.Evaluate(m, t, 0, 0);
        Assert.False(s.AnyTripLatched);
        Assert.False(s.AnyAlarm);
        Assert.False(s.AnyWarning);
        Assert.Equal(0ul, s.ClassLevels);
        Assert.Equal(0, s.CopyFaultNames(new string[8]));
        Assert.True(s.ChargeAllowed);
        Assert.True(s.DischargeAllowed);
        Assert.True(s.ChargeLimitA > 0);
        Assert.True(s.DischargeLimitA > 0);
    }

    [Theory]
    [MemberData(nameof(Classes))]
    public void EachClassTripsOnItsOwnReadingAndTheSummaryFollows(string name)
    {
        var p = Repo.AssbProfile();
        var s = new SafetySupervisor(p, Cells, 1, TickMs);
        int c = MutantKillerSafetyTests.Class(s, name);
        var (m, late, r0) = Violating(p, name);
        long t = 0;
        for (; t <= 70000 && !s.ClassTripLatched(c); t += TickMs) s.Evaluate(m, t, late, r0);
        Assert.True(s.ClassTripLatched(c), name + " never tripped");
        Assert.True(s.AnyTripLatched);
        Assert.Equal(LevelMonitor.Trip, s.ClassLevel(c));
        Assert.Equal((ulong)LevelMonitor.Trip, (s.ClassLevels >> (2 * c)) & 3ul);
        var names = new string[s.FaultClassCount];
        int n = s.CopyFaultNames(names);
        Assert.Contains(name + ":trip", names.Take(n));
        Assert.False(s.ChargeAllowed && s.DischargeAllowed, name + ": a latched trip leaves both permissions");
        Assert.False(s.CanClearTrips()); // the condition persists
        Assert.False(s.TryClearTrips());
        Assert.True(s.ClassTripLatched(c));
    }

    [Theory]
    [InlineData("r0Growth")]
    [InlineData("loopLate")]
    public void AnInhibitedClassStillLatchesButNeitherPermissionDrops(string name)
    {
        var p = Repo.AssbProfile();
        var s = new SafetySupervisor(p, Cells, 1, TickMs);
        int c = MutantKillerSafetyTests.Class(s, name);
        s.SetInhibitMask(1u << c);
        var (m, late, r0) = Violating(p, name);
        for (long t = 0; t <= 70000 && !s.ClassTripLatched(c); t += TickMs) s.Evaluate(m, t, late, r0);
        Assert.True(s.ClassTripLatched(c));
        Assert.True(s.AnyTripLatched);
        Assert.True(s.AnyAlarm);
        Assert.True(s.ChargeAllowed);
        Assert.True(s.DischargeAllowed);
        Assert.True(s.ChargeLimitA > 0);
        Assert.True(s.DischargeLimitA > 0);
        s.SetInhibitMask(0);
        s.Evaluate(m, 70100, late, r0);
        Assert.False(s.ChargeAllowed);
        Assert.False(s.DischargeAllowed);
        Assert.Equal(0f, s.ChargeLimitA);
        Assert.Equal(0f, s.DischargeLimitA);
    }

    [Fact]
    public void AWarningAloneIsNamedAndRaisesOnlyTheWarningFlag()
    {
        var p = Repo.AssbProfile();
        var s = new SafetySupervisor(p, Cells, 1, TickMs);
        var m = MutantKillerSafetyTests.Healthy(Cells, 1);
        float warning = p.LoopLate.Warning + 1; // past the warning, within the alarm
        Assert.True(warning < p.LoopLate.Alarm);
        for (long t = 0; t <= 70000 && !s.AnyWarning; t += TickMs) s.Evaluate(m, t, warning, 0);
        Assert.True(s.AnyWarning);
        Assert.False(s.AnyAlarm);
        Assert.False(s.AnyTripLatched);
        var names = new string[s.FaultClassCount];
        Assert.Equal(1, s.CopyFaultNames(names));
        Assert.Equal("loopLate:warning", names[0]);
        Assert.True(s.ChargeAllowed && s.DischargeAllowed);
    }
}
