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
        Assert.Equal(1f, m.SocFactorAt(m.R0SocFactor, 0.1f));
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
        Assert.Equal(1.3f, m.SocFactorAt(m.R0SocFactor, 0.05f), 4);
        Assert.Equal(1.2f, m.SocFactorAt(m.R0SocFactor, 0.2f), 4);
        Assert.Equal(1f, m.SocFactorAt(m.R2SocFactor, 0.2f)); // no r2SocFactor: 1
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
