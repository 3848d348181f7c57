using System;
using SolidBms.Core.Config;
using SolidBms.Core.Estimation;
using SolidBms.Core.Measurement;

namespace SolidBms.Tests;

/// <summary>
/// The estimator's filter runs a few cells a tick in turn, each with the exact charge since its last turn; its slow
/// work (temperature-dependent model refresh, state-of-power prediction, derating look-ups) runs in every other of a
/// cell's turns: each cell within its period, none all at once, and everything at once after a change of profile.
/// </summary>
public class SlowStageTests
{
    private const int Cells = 16, TickMs = 100;
    private static readonly int Period = (Cells + StateEstimator.SlowCellsPerTick - 1) / StateEstimator.SlowCellsPerTick;

    private readonly CellModel _cell = Repo.AssbCell();
    private readonly PackMeasurement _m = new PackMeasurement(Cells, 1);

    private void Fill(float tempC, float currentA = 0f)
    {
        _m.Invalidate();
        for (int i = 0; i < Cells; i++)
        {
            _m.CellMillivolts[i] = _cell.OcvMillivoltsAt(0.5f, tempC) - 2f * currentA;
            _m.CellVoltageStatus[i] = SensorStatus.Ok;
            _m.CellTemperatureC[i] = tempC;
            _m.CellTemperatureStatus[i] = SensorStatus.Ok;
        }
        _m.StackPressureKpa[0] = 1000; _m.StackPressureStatus[0] = SensorStatus.Ok;
        _m.PackCurrentA = currentA; _m.PackCurrentStatus = SensorStatus.Ok;
    }

    private StateEstimator Settled(LimitProfile profile)
    {
        var est = new StateEstimator(_cell, Cells);
        Fill(25f);
        for (int k = 0; k < 3 * Period; k++) { est.Update(_m, TickMs); est.UpdatePowerLimits(_m, profile); }
        return est;
    }

    [Fact]
    public void ATemperatureChangeRefreshesTwoCellsATickAndEveryCellWithinThePeriod()
    {
        var profile = Repo.AssbProfile();
        var est = Settled(profile);
        for (int i = 0; i < Cells; i++) Assert.Equal(25f, est.ModelTemperatureC(i));
        Fill(35f); // every cell 10 C warmer at once
        for (int tick = 1; tick <= Period; tick++)
        {
            est.Update(_m, TickMs);
            est.UpdatePowerLimits(_m, profile);
            int refreshed = 0;
            for (int i = 0; i < Cells; i++)
            {
                bool now = est.ModelTemperatureC(i) == 35f;
                if (now) refreshed++;
                if (est.IsSlowCellDue(i)) Assert.True(now, $"cell {i} due in tick {tick} but not refreshed");
            }
            Assert.Equal(tick * StateEstimator.SlowCellsPerTick, refreshed); // no tick pays for all
        }
        // A move below the step is not worth a refresh, however many slots pass.
        Fill(35f + 0.5f * StateEstimator.CacheTemperatureStepC);
        for (int k = 0; k < 2 * Period; k++) { est.Update(_m, TickMs); est.UpdatePowerLimits(_m, profile); }
        for (int i = 0; i < Cells; i++) Assert.Equal(35f, est.ModelTemperatureC(i));
    }

    [Fact]
    public void ANewIntervalRecomputesEachCellsDecayAtItsNextTurnButAJitterOfAFewMillisecondsDoesNot()
    {
        var profile = Repo.AssbProfile();
        var est = Settled(profile);
        int turns = (Cells + StateEstimator.FilterCellsPerTick - 1) / StateEstimator.FilterCellsPerTick;
        for (int i = 0; i < Cells; i++) Assert.Equal(turns * TickMs, est.ModelIntervalMs(i));
        est.Update(_m, 2 * TickMs); // a late tick: every cell's next interval holds it
        for (int k = 1; k < turns; k++) est.Update(_m, TickMs);
        for (int i = 0; i < Cells; i++) Assert.Equal((turns + 1) * TickMs, est.ModelIntervalMs(i));
        for (int k = 0; k < turns; k++) est.Update(_m, TickMs);
        for (int i = 0; i < Cells; i++) Assert.Equal(turns * TickMs, est.ModelIntervalMs(i));
        // A device's jitter (ticks of 97 to 103 ms): each interval moves by under 2 %, the decay factors stay.
        for (int k = 0; k < 10 * turns; k++) est.Update(_m, TickMs + (k % 3 == 0 ? -3 : k % 3 == 1 ? 3 : 1));
        for (int i = 0; i < Cells; i++) Assert.Equal(turns * TickMs, est.ModelIntervalMs(i));
        // The temperature still refreshes through the slow turns alone.
        Fill(30f);
        for (int k = 0; k < 2 * turns; k++) est.Update(_m, TickMs);
        for (int i = 0; i < Cells; i++) Assert.Equal(30f, est.ModelTemperatureC(i));
    }

    [Fact]
    public void TheFilterTakesEachCellInTurnWithTheExactChargeSinceItsLastTurn()
    {
        // Voltages unknown, so only the prediction moves the SOC: a 16-cell pack whose cells take turns must count
        // the same charge as one cell updated every tick, whatever the current did between a cell's turns.
        var pack = new StateEstimator(_cell, Cells);
        var one = new StateEstimator(_cell, 1);
        var single = new PackMeasurement(1, 1);
        Assert.True(pack.TrySetInitialSoc(0.8f));
        Assert.True(one.TrySetInitialSoc(0.8f));
        int turns = (Cells + StateEstimator.FilterCellsPerTick - 1) / StateEstimator.FilterCellsPerTick;
        for (int tick = 0; tick < 40 * turns; tick++)
        {
            float amps = tick % 3 == 0 ? 30f : (tick % 3 == 1 ? 10f : -15f); // one tick at 10 A moves the SOC 9e-5
            foreach (var m in new[] { _m, single })
            {
                m.Invalidate();
                for (int i = 0; i < m.CellCount; i++) { m.CellTemperatureC[i] = 25f; m.CellTemperatureStatus[i] = SensorStatus.Ok; }
                m.PackCurrentA = amps; m.PackCurrentStatus = SensorStatus.Ok;
            }
            pack.Update(_m, TickMs);
            one.Update(single, TickMs);
            int due = 0;
            for (int i = 0; i < Cells; i++)
            {
                if (!pack.IsFilterCellDue(i)) continue;
                due++;
                Assert.InRange(pack.CellSoc(i) - one.CellSoc(0), -1e-5f, 1e-5f); // float rounding of 4 steps against 1
            }
            Assert.Equal(StateEstimator.FilterCellsPerTick, due);
        }
        Assert.True(one.CellSoc(0) < 0.8f - 0.01f); // the charge moved it
    }

    [Fact]
    public void PowerLimitsFollowEachCellInTurnAndThePackLimitIsTheWorstCell()
    {
        var profile = Repo.AssbProfile();
        var est = Settled(profile);
        var before = new float[Cells];
        for (int i = 0; i < Cells; i++) before[i] = est.Limits.CellDischargeLimitA(i);
        Fill(0f); // cold: R0 several times the 25 C value, so every cell's predicted limit falls
        for (int tick = 1; tick <= Period; tick++)
        {
            est.Update(_m, TickMs);
            est.UpdatePowerLimits(_m, profile);
            int moved = 0;
            float worst = float.PositiveInfinity;
            for (int i = 0; i < Cells; i++)
            {
                float now = est.Limits.CellDischargeLimitA(i);
                if (now < 0.9f * before[i]) moved++;
                worst = Math.Min(worst, now);
            }
            Assert.Equal(tick * StateEstimator.SlowCellsPerTick, moved);
            Assert.Equal(worst, est.Limits.DischargeVoltageLimitA);
            Assert.Equal(Math.Min(worst, est.Limits.DischargeTableLimitA), est.DischargeLimitA);
        }
    }

    [Fact]
    public void DeratingTablesAreLookedUpOncePerCycleAndANewProfileRecomputesEverything()
    {
        var profile = Repo.AssbProfile();
        var est = Settled(profile);
        float warm = est.Limits.ChargeTableLimitA;
        Assert.True(warm > 0);
        Fill(0f); // Li metal: no charge at 0 C in the derating table
        int ticks = 0;
        while (est.Limits.ChargeTableLimitA == warm)
        {
            est.Update(_m, TickMs);
            est.UpdatePowerLimits(_m, profile);
            ticks++;
            Assert.True(ticks <= Period, "derating not refreshed within the period");
        }
        Assert.Equal(0, est.SlowSlot); // looked up when the turn starts over at cell 0
        Assert.Equal(0f, est.Limits.ChargeTableLimitA);

        // A new profile (a higher under-voltage warning) recomputes every cell in the same call, not in turn.
        Fill(25f);
        for (int k = 0; k < Period; k++) { est.Update(_m, TickMs); est.UpdatePowerLimits(_m, profile); }
        var before = new float[Cells];
        for (int i = 0; i < Cells; i++) before[i] = est.Limits.CellDischargeLimitA(i);
        string text = Repo.Read("board/profiles/assb-sulfide-li-metal.profile");
        string raised = text.Replace("[cellUnderVoltage]", "[cellUnderVoltage]\nwarning = 3400").Replace("warning = 3100\n", "");
        var stricter = LimitProfile.Load(raised, "stricter");
        Assert.Equal(3400f, stricter.CellUnderVoltage.Warning);
        est.Update(_m, TickMs);
        est.UpdatePowerLimits(_m, stricter);
        for (int i = 0; i < Cells; i++) Assert.True(est.Limits.CellDischargeLimitA(i) < before[i], $"cell {i} not recomputed");
    }
}
