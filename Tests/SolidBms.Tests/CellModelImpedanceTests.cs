using System;
using SolidBms.Core.Config;
using SolidBms.Core.Estimation;
using SolidBms.Core.Measurement;
using SolidBms.Simulator.Physics;

namespace SolidBms.Tests;

/// <summary>The cell file's optional impedance tables (SOC axis, Butler-Volmer charge transfer) in the firmware model, the simulator and the estimator.</summary>
public class CellModelImpedanceTests
{
    private const string RichLines = """
        tau2Seconds = 4775.6, 2379.1, 1247.3, 684.4, 300.0, 112.7, 58.4
        socPoints = 0.1, 0.3, 0.5, 0.7, 0.9
        r0SocFactor = 1.3, 1.1, 1, 1, 1.05
        r1SocFactor = 1.2, 1.05, 1, 1, 1
        chargeTransferMilliOhm = 100, 60, 30, 18, 9, 3, 2
        exchangeCurrentA = 0.3, 0.5, 0.8, 1.2, 2, 3.5, 5
        """;

    private static string Rich(string extra = null)
    {
        string text = Repo.Read("board/cells/assb-lpscl-nmc811-li.cell");
        const string tau2 = "tau2Seconds = 4775.6, 2379.1, 1247.3, 684.4, 300.0, 112.7, 58.4";
        Assert.Contains(tau2, text);
        return text.Replace(tau2, RichLines.Replace("        ", "") + (extra ?? ""));
    }

    private static CellModel Load(string text) => CellModel.Load(KeyValueDocument.Parse(text, "rich.cell"));

    [Fact]
    public void An_old_cell_file_loads_without_the_new_tables_and_behaves_as_before()
    {
        var m = Repo.AssbCell();
        Assert.Null(m.ImpedanceSocPoints);
        Assert.Null(m.ChargeTransferMilliOhm);
        Assert.Equal(1f, m.SocFactorAt(m.R0SocFactor, 0.1f, 25f));
        Assert.Equal(1f, m.R0CurrentFactor(10f, m.ChargeTransferFractionAt(25), m.HalfInverseExchangeCurrentAt(25)));
    }

    [Fact]
    public void The_current_factor_follows_butler_volmer_and_the_soc_factor_interpolates()
    {
        var m = Load(Rich());
        float f = m.ChargeTransferFractionAt(25), half = m.HalfInverseExchangeCurrentAt(25);
        Assert.Equal(9f / 15f, f, 4);
        foreach (double amps in new[] { 0.0, 0.01, 0.3, 1, 2.5, 7, 40, 300, 2000 })
        {
            double x = amps / (2 * 2.0);
            double expected = 1 - f + f * (x == 0 ? 1 : Math.Asinh(x) / x);
            // Linear interpolation in a 0.125-step table of asinh(x)/x: within 0.1 % of R0 (worst near x = 0.06).
            Assert.True(Math.Abs(m.R0CurrentFactor((float)amps, f, half) - expected) < 1e-3, $"{amps} A");
            Assert.Equal(m.R0CurrentFactor((float)amps, f, half), m.R0CurrentFactor((float)-amps, f, half));
        }
        Assert.Equal(1.3f, m.SocFactorAt(m.R0SocFactor, 0.05f, 25f), 4);
        Assert.Equal(1.2f, m.SocFactorAt(m.R0SocFactor, 0.2f, 25f), 4);
        Assert.Equal(1f, m.SocFactorAt(m.R2SocFactor, 0.2f, 25f)); // no r2SocFactor: 1
    }

    /// <summary>r2SocFactor per impedance temperature (-20, -10, 0, 10, 25, 45, 60 C): the knee near empty grows 10 times at 10 C, 40 at 25 C.</summary>
    private static string PerTemperatureR2(string skip = null)
    {
        int[] temps = { -20, -10, 0, 10, 25, 45, 60 };
        double[] knee = { 10, 10, 10, 10, 40, 40, 40 };
        string rows = "";
        for (int t = 0; t < temps.Length; t++)
            if (temps[t].ToString() != skip) rows += $"\nr2SocFactor{temps[t]} = {knee[t]}, 1, 1, 1, 1";
        return rows;
    }

    [Fact]
    public void Soc_factors_may_have_a_row_per_temperature_and_interpolate_over_both_axes()
    {
        var m = Load(Rich(PerTemperatureR2()));
        Assert.Equal(10f, m.SocFactorAt(m.R2SocFactor, 0.1f, 10f), 3);
        Assert.Equal(40f, m.SocFactorAt(m.R2SocFactor, 0.05f, 25f), 3); // clamped below the first SOC point
        Assert.Equal(25f, m.SocFactorAt(m.R2SocFactor, 0.1f, 17.5f), 3); // halfway between the 10 and 25 C rows
        Assert.Equal(1f + (40f - 1f) * 0.5f, m.SocFactorAt(m.R2SocFactor, 0.2f, 25f), 3); // halfway between SOC 0.1 and 0.3
        Assert.Equal(1f, m.SocFactorAt(m.R2SocFactor, 0.5f, 10f), 3);
        // A shared row is the same at every temperature.
        Assert.Equal(m.SocFactorAt(m.R0SocFactor, 0.2f, -20f), m.SocFactorAt(m.R0SocFactor, 0.2f, 60f));

        // The simulated cell and the estimator read the row of their temperature: the slow pair near empty is 4x larger at 25 C.
        var p = SimCellParameters.Load(Rich(PerTemperatureR2()), "rich.cell");
        double SlowDrop(double temperatureC)
        {
            var cell = new EcmCell(p, 3.0, 1.0, 0.1, temperatureC);
            for (int k = 0; k < 100; k++) cell.Step(0.01, 100, p.ReferenceKpa); // 0.03 % of SOC: the factor stays at the 0.1 row
            return cell.V2Millivolts / (p.Model.R2MilliOhmAt((float)temperatureC) * 0.01);
        }
        Assert.InRange(SlowDrop(25), 39.0, 40.5);
        Assert.InRange(SlowDrop(10), 9.7, 10.2);
    }

    [Theory]
    [InlineData("10", "r2SocFactor10: is missing")]
    [InlineData(null, "r2SocFactor: is given both for all temperatures and per temperature")]
    public void Per_temperature_soc_factors_are_complete_and_not_mixed_with_a_shared_row(string skip, string error)
    {
        string text = Rich(PerTemperatureR2(skip) + (skip == null ? "\nr2SocFactor = 1, 1, 1, 1, 1" : ""));
        var e = Assert.Throws<ConfigException>(() => Load(text));
        Assert.Contains(error, e.Message);
    }

    [Fact]
    public void A_soc_factor_beyond_its_bounds_is_refused()
    {
        var e = Assert.Throws<ConfigException>(() => Load(Rich("\nr2SocFactor = 250, 1, 1, 1, 1")));
        Assert.Contains("r2SocFactor", e.Message);
    }

    [Theory]
    [InlineData("chargeTransferMilliOhm = 100, 60, 30, 18, 9, 3, 2", "chargeTransferMilliOhm = 100, 60, 30, 18, 16, 3, 2", "item 5 is above r0MilliOhm")]
    [InlineData("exchangeCurrentA = 0.3, 0.5, 0.8, 1.2, 2, 3.5, 5\n", "", "impedance.exchangeCurrentA: is needed with chargeTransferMilliOhm")]
    [InlineData("socPoints = 0.1, 0.3, 0.5, 0.7, 0.9\n", "", "impedance.socPoints: is needed by the SOC factors")]
    [InlineData("r0SocFactor = 1.3, 1.1, 1, 1, 1.05", "r0SocFactor = 1.3, 1.1, 1", "r0SocFactor")]
    public void Bad_impedance_tables_are_refused_with_the_key(string from, string to, string error)
    {
        var e = Assert.Throws<ConfigException>(() => Load(Rich().Replace(from, to)));
        Assert.Contains(error, e.Message);
    }

    [Fact]
    public void The_simulated_cell_drops_the_butler_volmer_voltage_scaled_over_soc()
    {
        var p = SimCellParameters.Load(Rich(), "rich.cell");
        foreach (var (soc, amps) in new[] { (0.2, 0.5), (0.2, 6.0), (0.6, 6.0) })
        {
            var cell = new EcmCell(p, 3.0, 1.0, soc, 25);
            double ocv = cell.OcvMillivolts;
            cell.Step(amps, 1e-6, p.ReferenceKpa); // no time for the RC pairs: the drop is R0(I, SOC) I
            double x = amps / 4.0;
            double r0 = 15.0 * (soc < 0.3 ? 1.2 : 1.0) * (1 - 0.6 + 0.6 * Math.Asinh(x) / x);
            Assert.Equal(r0 * amps, ocv - cell.TerminalMillivolts, 1);
        }
    }

    [Fact]
    public void The_estimator_on_the_rich_model_tracks_a_rich_cell_and_allocates_nothing()
    {
        string rich = Rich();
        var truthCell = SimCellParameters.Load(rich, "rich.cell");
        var truth = new EcmCell(truthCell, 3.0, 1.0, 0.7, 25);
        var est = new StateEstimator(Load(rich), 1);
        var m = new PackMeasurement(1, 1);
        double sumSq = 0;
        int n = 0;
        long allocated = 0;
        for (int k = 0; k < 36000; k++)
        {
            // 1 h of pulses: 6 A discharge 10 s, 2 A charge 10 s, rest 20 s (net discharge: the SOC walks down from 0.7).
            int phase = k % 400;
            double amps = k < 10 ? 0 : phase < 100 ? 6 : phase < 200 ? -2 : 0;
            truth.Step(amps, 0.1, truthCell.ReferenceKpa);
            m.CellMillivolts[0] = (float)truth.TerminalMillivolts; m.CellVoltageStatus[0] = SensorStatus.Ok;
            m.CellTemperatureC[0] = 25f; m.CellTemperatureStatus[0] = SensorStatus.Ok;
            m.StackPressureKpa[0] = 1000f; m.StackPressureStatus[0] = SensorStatus.Ok;
            m.PackCurrentA = (float)amps; m.PackCurrentStatus = SensorStatus.Ok;
            long before = GC.GetAllocatedBytesForCurrentThread();
            est.Update(m, 100);
            if (k > 1000) allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            if (k > 6000) { double e = est.CellSoc(0) - truth.Soc; sumSq += e * e; n++; }
        }
        Assert.Equal(0, allocated);
        Assert.True(truth.Soc < 0.6, $"the test must move the SOC across the SOC axis (ended at {truth.Soc:0.000})");
        double rms = Math.Sqrt(sumSq / n) * 100;
        Assert.True(rms < 0.5, $"SOC RMS {rms:0.00} points");
    }
}
