using System;
using SolidBms.Simulator.Physics;

namespace SolidBms.Tests;

/// <summary>The simulated cell obeys the physics it claims to model.</summary>
public class PhysicsTests
{
    private static SimCellParameters Cell() =>
        SimCellParameters.Load(Repo.Read("board/cells/assb-lpscl-nmc811-li.cell"), "cell");

    [Fact]
    public void ChargeInEqualsCapacityTimesSocChange()
    {
        var p = Cell();
        var cell = new EcmCell(p, capacityAh: 3.0, resistanceScale: 1, initialSoc: 0.2, temperatureC: 25);
        double chargedAh = 0;
        for (int i = 0; i < 36000; i++) // one hour at 0.1 s
        {
            cell.Step(-1.2, 0.1, 1000);
            chargedAh += 1.2 * 0.1 / 3600;
        }
        Assert.Equal(1.2, chargedAh, 9);
        Assert.Equal(0.2 + chargedAh / 3.0, cell.Soc, 9);
    }

    [Fact]
    public void RestVoltageRelaxesBackToOcv()
    {
        var p = Cell();
        var cell = new EcmCell(p, 3.0, 1, 0.6, 25);
        for (int i = 0; i < 6000; i++) cell.Step(1.5, 0.1, 1000); // 10 min at 0.5C
        double loaded = cell.TerminalMillivolts;
        Assert.True(cell.OcvMillivolts - loaded > 1.5 * (15 + 20) * 0.5, "load must pull the terminal voltage well below OCV");
        for (int i = 0; i < 3 * 3600 * 10; i++) cell.Step(0, 0.1, 1000); // 3 h rest: 36 slow time constants
        Assert.Equal(cell.OcvMillivolts, cell.TerminalMillivolts, 1);
    }

    [Fact]
    public void HeatRisesWithCurrentSquaredTimesR0()
    {
        var p = Cell();
        var a = new EcmCell(p, 3.0, 1, 0.5, 25);
        var b = new EcmCell(p, 3.0, 1, 0.5, 25);
        a.Step(1.0, 0.1, 1000);
        b.Step(2.0, 0.1, 1000);
        double r0 = p.Model.R0MilliOhmAt(25) / 1000.0;
        // After one short step the RC branches hold almost nothing: heat is I^2 R0 to within a percent.
        Assert.Equal(1.0 * r0, a.HeatWatts, 2);
        Assert.Equal(4.0, b.HeatWatts / a.HeatWatts, 1);
    }

    [Fact]
    public void PackWarmsUnderLoadAndCoolsToAmbient()
    {
        var p = Cell();
        var pack = new PackModel(p, 4, 1, 0.8, 25, 1000, new CellSpread(0, 0, 0), new Random(1), 3.0);
        for (int i = 0; i < 18000; i++) pack.Step(1.5, 0.1); // 30 min
        double hot = pack.Cells[1].TemperatureC;
        Assert.True(hot > 25.05, $"cell should warm, is {hot}");
        for (int i = 0; i < 36000; i++) pack.Step(0, 0.1);
        Assert.Equal(25.0, pack.Cells[1].TemperatureC, 2);
    }

    [Fact]
    public void StackPressureFollowsSocSwelling()
    {
        var p = Cell();
        var pack = new PackModel(p, 2, 1, 0.5, 25, 1000, new CellSpread(0, 0, 0), new Random(1), 3.0);
        for (int i = 0; i < 36000; i++) pack.Step(-0.9, 0.1); // +30 % SOC
        double expected = 1000 + p.SwellingKpaPerSoc * 0.3 + p.IrreversibleGrowthKpaPerAh * 0.9;
        Assert.Equal(expected, pack.Stacks[0].PressureKpa, 0);
    }

    [Fact]
    public void LowStackPressureRaisesResistance()
    {
        var p = Cell();
        Assert.Equal(1.0, p.R0PressureFactor(1200), 6);
        Assert.True(p.R0PressureFactor(200) > p.R0PressureFactor(500) + 0.2);
    }
}
