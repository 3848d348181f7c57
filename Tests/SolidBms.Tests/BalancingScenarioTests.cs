using SolidBms.Simulator.Run;

namespace SolidBms.Tests;

/// <summary>
/// The balancing target on the BQ76952 rig (board/scenarios/balance-16s-24h.json): from a 3-6 point SOC spread, two
/// 0.3C charge-and-rest cycles end with the true spread within one point, no cell above the over-voltage warning,
/// nothing bleeding in discharge; and SOC-based decisions get there sooner than voltage-based ones.
/// </summary>
public class BalancingScenarioTests
{
    [Fact]
    public void TwoCyclesBringTheSpreadWithinOnePointAndSocBasedIsFaster()
    {
        var (soc, voltage) = BalanceBench.RunBoth(Repo.Files.ScenarioPath(BalanceBench.DefaultScenario), Repo.Files);
        float ovWarning = Repo.AssbProfile().CellOverVoltage.Warning;
        foreach (var r in new[] { soc, voltage })
        {
            Assert.InRange(r.InitialSpreadPoints, 3.0, 6.0);
            Assert.True(r.MaxCellMillivolts < ovWarning, $"{r.Decisions}: a cell reached {r.MaxCellMillivolts:0} mV");
            // The firmware sees a discharge on the tick it starts and stops the bleed then: at most that first tick of
            // each of the scenario's two discharges can find a cell still bleeding.
            Assert.InRange(r.BleedTicksInDischarge, 0, 2);
            Assert.Equal(0, r.FaultsSeen);
        }
        Assert.True(soc.FinalSpreadPoints <= BalanceBench.TargetPoints, $"SOC-based ends {soc.FinalSpreadPoints:0.00} points apart");
        Assert.True(soc.BledAh > 0.1, "the fuller cells were bled");
        Assert.False(double.IsNaN(soc.HoursToTarget));
        Assert.True(double.IsNaN(voltage.HoursToTarget) || soc.HoursToTarget < voltage.HoursToTarget,
            $"SOC-based {soc.HoursToTarget:0.00} h, voltage-based {voltage.HoursToTarget:0.00} h");
        Assert.True(soc.UsableGainedAh > 0, $"usable capacity gained {soc.UsableGainedAh:0.000} Ah");
    }
}
