using SolidBms.Core.Balancing;
using SolidBms.Core.Config;
using SolidBms.Core.Estimation;
using SolidBms.Core.Measurement;

namespace SolidBms.Tests;

/// <summary>
/// The balancing stage's decisions (CellBalancer) with the real estimator and the shipped profile and board files:
/// SOC-based shedding, the voltage fallback, and every stop rule (discharge, undervoltage warning, bleed heat, trip,
/// sensor fault), plus the rig's rules on neighbours and cells at once.
/// </summary>
public class BalancingDecisionTests
{
    private sealed class FakeBleed : ICellBleed
    {
        public int Calls;
        public bool Refuse;
        public ulong BleedingMask { get; private set; }

        public bool SetBleeding(ulong mask)
        {
            Calls++;
            BleedingMask = Refuse ? 0 : mask;
            return !Refuse;
        }
    }

    private const int Cells = 16;
    private readonly CellModel _cell = Repo.AssbCell();
    private readonly LimitProfile _profile = Repo.AssbProfile();
    private readonly BalancingSettings _hw = I2cTestRig.LoadBoard("bq76952-16s").Balancing; // max 4, no neighbours
    private readonly PackMeasurement _m = new(Cells, 1);
    private readonly float[] _soc = new float[Cells];
    private long _now;

    private void Measure(float currentA = 0f, float temperatureC = 25f)
    {
        for (int i = 0; i < Cells; i++)
        {
            _m.CellMillivolts[i] = _cell.OcvMillivoltsAt(_soc[i], 25f);
            _m.CellVoltageStatus[i] = SensorStatus.Ok;
            _m.CellTemperatureC[i] = temperatureC;
            _m.CellTemperatureStatus[i] = SensorStatus.Ok;
        }
        _m.PackCurrentA = currentA;
        _m.PackCurrentStatus = SensorStatus.Ok;
        _m.StackPressureKpa[0] = 1000;
        _m.StackPressureStatus[0] = SensorStatus.Ok;
    }

    /// <summary>An estimator that has seen <paramref name="restS"/> of rest at these SOCs (11 min: one rest correction, converged).</summary>
    private StateEstimator Estimator(int restS)
    {
        var est = new StateEstimator(_cell, Cells);
        Measure();
        est.UpdatePowerLimits(_m, _profile);
        for (int s = 0; s < restS; s++)
        {
            est.Update(_m, 1000);
            _now += 1000;
        }
        return est;
    }

    private (CellBalancer B, FakeBleed Hw, StateEstimator Est) Balancer(int restS = 660)
    {
        var est = Estimator(restS);
        var hw = new FakeBleed();
        return (new CellBalancer(_hw, Cells, hw, est), hw, est);
    }

    private void Spread()
    {
        for (int i = 0; i < Cells; i++) _soc[i] = 0.5f;
        _soc[2] = 0.53f; // cell 3: 3 points high
        _soc[3] = 0.52f; // cell 4: its neighbour, 2 points high
        _soc[9] = 0.504f; // cell 10: under the 0.5-point start delta
    }

    [Fact]
    public void ConvergedEstimatorShedsTheChargeAboveTheLowestCellWithoutNeighbours()
    {
        Spread();
        var (b, hw, est) = Balancer();
        Measure();
        b.Run(_m, _profile, false, _now);
        Assert.Equal(BalancingMode.Soc, b.Mode);
        Assert.Equal(1UL << 2, b.ActiveMask); // cell 3 only: cell 4 is its neighbour, cell 10 is within the start delta
        Assert.InRange(b.ShedAh(2), 0.03 * 3.0 - 0.02, 0.03 * 3.0 + 0.02); // 3 points of a 3 Ah cell
        Assert.InRange(b.ShedAh(3), 0.02 * 3.0 - 0.02, 0.02 * 3.0 + 0.02);
        Assert.True(est.Filter(2).SocSigma <= _profile.Balancing.ConvergedSigmaPercent / 100f);
    }

    [Fact]
    public void AtMostMaxCellsAndNeverTwoNeighbours()
    {
        for (int i = 0; i < Cells; i++) _soc[i] = i < 8 ? 0.55f : 0.5f; // cells 1..8 all 5 points high
        var (b, _, _) = Balancer();
        Measure();
        b.Run(_m, _profile, false, _now);
        Assert.Equal(4, b.ActiveCount);
        Assert.Equal(0UL, b.ActiveMask & (b.ActiveMask >> 1)); // no two adjacent bits
        Assert.Equal(0UL, b.ActiveMask & ~0xFFUL);             // only high cells
    }

    [Fact]
    public void ChargingBalancesButDischargeBelowTheProfileFloorDoesNot()
    {
        Spread();
        var (b, _, _) = Balancer();
        Measure(currentA: -0.9f); // charge
        b.Run(_m, _profile, false, _now);
        Assert.Equal(BalancingMode.Soc, b.Mode);
        Assert.NotEqual(0UL, b.ActiveMask);
        Measure(currentA: 0.9f); // discharge: the ASSB profile's floor is 100 % (never)
        Assert.True(b.IsDue(_now + 100, false, true)); // a discharge stops the bleed at the next tick, not the next period
        b.Run(_m, _profile, false, _now += 100);
        Assert.Equal(BalancingMode.Discharge, b.Mode);
        Assert.Equal(0UL, b.ActiveMask);
        Measure(currentA: -0.9f); // it was one reading: the next tick decides again and charging bleeds on
        Assert.True(b.IsDue(_now + 100, false, false));
        b.Run(_m, _profile, false, _now += 100);
        Assert.Equal(BalancingMode.Soc, b.Mode);
        Assert.NotEqual(0UL, b.ActiveMask);
    }

    [Fact]
    public void DischargeAboveAFloorMayBalance()
    {
        var liquid = LimitProfile.Load(Repo.Read("board/profiles/liquid-nmc-graphite.profile"), "liquid"); // floor 80 %
        Spread();
        var (b, _, _) = Balancer();
        Measure(currentA: 0.9f);
        b.Run(_m, liquid, false, _now);
        Assert.Equal(BalancingMode.Discharge, b.Mode); // cells at 50 %: below the floor
        for (int i = 0; i < Cells; i++) _soc[i] += 0.4f;
        var (high, _, _) = Balancer();
        Measure(currentA: 0.9f);
        high.Run(_m, liquid, false, _now);
        Assert.Equal(BalancingMode.Soc, high.Mode);
        Assert.NotEqual(0UL, high.ActiveMask);
    }

    [Fact]
    public void ACellUnderTheUndervoltageWarningStopsAllBleeding()
    {
        Spread();
        var (b, _, _) = Balancer();
        Measure();
        b.Run(_m, _profile, false, _now);
        Assert.NotEqual(0UL, b.ActiveMask);
        _m.CellMillivolts[7] = _profile.CellUnderVoltage.Warning - 1;
        b.Run(_m, _profile, false, _now += 5000);
        Assert.Equal(BalancingMode.UnderVoltage, b.Mode);
        Assert.Equal(0UL, b.ActiveMask);
    }

    [Fact]
    public void BleedHeatStopsAtTheStopTemperatureAndResumesOnlyBelowTheHysteresis()
    {
        Spread();
        var (b, _, _) = Balancer();
        float stop = _profile.Balancing.StopTemperatureC, hyst = _profile.Balancing.TemperatureHysteresisC;
        Measure(temperatureC: stop);
        b.Run(_m, _profile, false, _now);
        Assert.Equal(BalancingMode.Temperature, b.Mode);
        Assert.Equal(0UL, b.ActiveMask);
        Measure(temperatureC: stop - hyst + 1); // cooler, but not by the hysteresis
        b.Run(_m, _profile, false, _now += 5000);
        Assert.Equal(BalancingMode.Temperature, b.Mode);
        Measure(temperatureC: stop - hyst - 1);
        b.Run(_m, _profile, false, _now += 5000);
        Assert.Equal(BalancingMode.Soc, b.Mode);
        Assert.NotEqual(0UL, b.ActiveMask);
    }

    [Fact]
    public void ATripStopsBleedingAtOnceNotAtTheNextPeriod()
    {
        Spread();
        var (b, hw, _) = Balancer();
        Measure();
        b.Run(_m, _profile, false, _now);
        Assert.True(b.Bleeding);
        Assert.False(b.IsDue(_now + 100, false, false)); // low rate: not due for another period
        Assert.True(b.IsDue(_now + 100, true, false));   // but a trip makes it due at once
        b.Run(_m, _profile, true, _now + 100);
        Assert.Equal(BalancingMode.Trip, b.Mode);
        Assert.False(b.Bleeding);
        Assert.Equal(0UL, hw.BleedingMask);
        Assert.False(b.IsDue(_now + 200, true, false)); // nothing bleeds: no per-tick work while tripped
    }

    [Fact]
    public void UnknownReadingsStopBleeding()
    {
        Spread();
        var (b, _, _) = Balancer();
        Measure();
        _m.CellTemperatureStatus[5] = SensorStatus.Open;
        _m.CellTemperatureC[5] = float.NaN;
        b.Run(_m, _profile, false, _now);
        Assert.Equal(BalancingMode.SensorFault, b.Mode);
        Measure();
        _m.PackCurrentStatus = SensorStatus.ReadFailed;
        _m.PackCurrentA = float.NaN;
        b.Run(_m, _profile, false, _now += 5000);
        Assert.Equal(BalancingMode.SensorFault, b.Mode);
        Assert.Equal(0UL, b.ActiveMask);
    }

    [Fact]
    public void NotConvergedFallsBackToVoltageOnlyAfterTheRest()
    {
        Spread();
        var (b, _, est) = Balancer(restS: 1); // fresh: SOC from the OCV guess, sigma 5 points
        Assert.True(est.Filter(0).SocSigma > _profile.Balancing.ConvergedSigmaPercent / 100f);
        Measure(currentA: -0.9f);
        b.Run(_m, _profile, false, _now);
        Assert.Equal(BalancingMode.WaitingForRest, b.Mode); // voltages under charge carry IR drops: not used
        Assert.Equal(0UL, b.ActiveMask);
        Measure();
        b.Run(_m, _profile, false, _now += 5000);
        Assert.Equal(BalancingMode.WaitingForRest, b.Mode); // rest has only begun
        Measure(currentA: -0.07f); // one noisy current reading does not restart the rest
        b.Run(_m, _profile, false, _now += 5000);
        Measure();
        b.Run(_m, _profile, false, _now += _profile.Balancing.VoltageRestS * 1000L - 5000);
        Assert.Equal(BalancingMode.Voltage, b.Mode);
        Assert.Equal(1UL << 2, b.ActiveMask);
        Assert.True(float.IsNaN(b.ShedAh(2)));
    }

    [Fact]
    public void ProfileWithoutBalancingOrRefusingHardwareBleedsNothing()
    {
        Spread();
        var (b, hw, _) = Balancer();
        var off = LimitProfile.Load(Repo.Read("board/profiles/assb-sulfide-li-metal.profile").Replace("enabled = true", "enabled = false"), "off");
        Measure();
        b.Run(_m, off, false, _now);
        Assert.Equal(BalancingMode.Disabled, b.Mode);
        Assert.Equal(0UL, b.ActiveMask);
        hw.Refuse = true;
        b.Run(_m, _profile, false, _now += 5000);
        Assert.Equal(BalancingMode.HardwareRefused, b.Mode);
        Assert.Equal(0UL, b.ActiveMask);
    }

    [Fact]
    public void RemovedChargeIsIntegratedFromVoltageAndResistance()
    {
        Spread();
        var (b, _, est) = Balancer();
        Measure();
        b.Run(_m, _profile, false, _now);
        for (int k = 0; k < 720; k++) b.Run(_m, _profile, false, _now += 5000); // one hour
        float expectedMah = _m.CellMillivolts[2] / _hw.BleedResistorOhm; // mA for 1 h
        Assert.InRange(b.RemovedMilliampHours(2), expectedMah * 0.99f, expectedMah * 1.01f);
        Assert.Equal(0f, b.RemovedMilliampHours(0));
    }
}
