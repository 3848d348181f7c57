using System;
using System.IO;
using System.Linq;
using SolidBms.CellFit;
using SolidBms.Cli;

namespace SolidBms.Tests;

/// <summary>fit-cell: recovery of known parameters from synthetic cycler logs, its own-input reproduction, and refusals.</summary>
public sealed class CellFitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cellfit").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string P(string name) => Path.Combine(_dir, name);

    private string Template => Path.Combine(Repo.Root, "board/cells/assb-lpscl-nmc811-li.cell");

    [Fact]
    public void Recovers_known_ecm_parameters_and_ocv_from_c20_and_hppc()
    {
        var c20 = SyntheticCycler.C20(new SyntheticCycler { HysteresisMv = 8 }).Write(P("c20.csv"));
        var hppc = SyntheticCycler.Hppc(new SyntheticCycler { NoiseMv = 0.5 }).Write(P("hppc.csv"));
        var r = CellFitter.Fit(new[] { c20 }, new[] { hppc }, "synthetic", Template);
        Assert.True(r.Ok, r.RefusalReason);

        var o = r.Ocv.Single();
        Assert.Equal(25, o.TemperatureC);
        Assert.InRange(o.CapacityAh, 2.99, 3.01);
        // OCV within 3 mV over SOC 0.1..0.95 (the average of the C/20 curves cancels the drop and the hysteresis);
        // at the ends one curve stops at a cut-off, so allow 25 mV there.
        for (int j = 0; j < OcvFit.SocPoints.Length; j++)
        {
            double s = OcvFit.SocPoints[j], err = Math.Abs(o.OcvMillivolts[j] - SyntheticCycler.OcvMv(s));
            Assert.True(err <= (s >= 0.1 && s <= 0.95 ? 3 : 25), $"OCV at SOC {s}: {o.OcvMillivolts[j]:0.0} mV, true {SyntheticCycler.OcvMv(s):0.0} mV");
        }
        Assert.InRange(o.MeanHalfGapMillivolts, 8, 8 + 0.15 * (15 + 20 + 20) + 1); // hysteresis + C/20 drop

        var h = r.Impedance.Single();
        Assert.InRange(h.R0MilliOhm, 15 * 0.97, 15 * 1.03);
        Assert.InRange(h.R1MilliOhm, 20 * 0.9, 20 * 1.1);
        Assert.InRange(h.Tau1Seconds, 2 * 0.85, 2 * 1.15);
        Assert.InRange(h.R2MilliOhm, 20 * 0.9, 20 * 1.1);
        Assert.InRange(h.Tau2Seconds, 300 * 0.8, 300 * 1.2);
        // The written file reproduces its own inputs within the issue's 10 mV RMS.
        foreach (var q in r.Quality) Assert.True(q.RmsMillivolts <= 10, $"{q.Source}: {q.RmsMillivolts:0.00} mV RMS");
        Assert.True(r.Quality.Single(q => q.Kind == "HPPC").RmsMillivolts < 3);
    }

    [Fact]
    public void A_linear_soc_independent_cell_gets_no_extra_tables()
    {
        var c20 = SyntheticCycler.C20(new SyntheticCycler()).Write(P("c20.csv"));
        var hppc = SyntheticCycler.Hppc(new SyntheticCycler { NoiseMv = 0.5 }, pulseCRates: new[] { 0.2, 1.0, 3.0 }).Write(P("hppc.csv"));
        var r = CellFitter.Fit(new[] { c20 }, new[] { hppc }, "linear", Template);
        Assert.True(r.Ok, r.RefusalReason);
        var h = r.Impedance.Single();
        Assert.Null(h.R0SocFactor);
        Assert.Equal(0, h.ChargeTransferMilliOhm);
        Assert.DoesNotContain("SocFactor", r.CellFileText);
        Assert.DoesNotContain("chargeTransferMilliOhm", r.CellFileText);
    }

    [Fact]
    public void Recovers_r0_over_soc()
    {
        // R0 40 % higher at empty, falling linearly to its mid value at SOC 0.5: x1.32 at 0.1, x1.16 at 0.3.
        var c20 = SyntheticCycler.C20(new SyntheticCycler()).Write(P("c20.csv"));
        var hppc = SyntheticCycler.Hppc(new SyntheticCycler { NoiseMv = 0.5, R0FactorAtEmpty = 1.4 }).Write(P("hppc.csv"));
        var r = CellFitter.Fit(new[] { c20 }, new[] { hppc }, "soc", Template);
        Assert.True(r.Ok, r.RefusalReason);
        var h = r.Impedance.Single();
        Assert.NotNull(h.R0SocFactor);
        double[] expected = { 1.32, 1.16, 1, 1, 1 };
        for (int j = 0; j < expected.Length; j++) Assert.InRange(h.R0SocFactor[j], expected[j] - 0.03, expected[j] + 0.03);
        Assert.InRange(h.R0MilliOhm, 15 * 0.97, 15 * 1.03);
        for (int j = 0; j < expected.Length; j++) Assert.InRange(h.R1SocFactor[j], 0.93, 1.07);
        Assert.Contains("r0SocFactor25 = 1.3", r.CellFileText);
        Assert.True(r.Quality.Single(q => q.Kind == "HPPC").RmsMillivolts < 3);
    }

    [Fact]
    public void Recovers_the_knee_near_empty_per_temperature_from_c20_files_counted_on_one_capacity()
    {
        // The slow pair grows 30x at SOC 0 at 25 C (linearly back to 1 at SOC 0.05), 15x at 10 C; the 10 C discharge
        // reaches its cut-off at SOC 0.008 (0.8 % short of the 25 C capacity) with the same OCV curve.
        var warm = new SyntheticCycler { R2FactorAtEmpty = 30 };
        var cold = new SyntheticCycler { TemperatureC = 10, R0MilliOhm = 30, R1MilliOhm = 40, R2MilliOhm = 40, R2FactorAtEmpty = 15, C20EndSoc = 0.008 };
        string[] c20 = { SyntheticCycler.C20(warm).Write(P("c20-25.csv")), SyntheticCycler.C20(cold).Write(P("c20-10.csv")) };
        var warmPulses = new SyntheticCycler { NoiseMv = 0.5, R2FactorAtEmpty = 30 };
        var coldPulses = new SyntheticCycler { NoiseMv = 0.5, TemperatureC = 10, R0MilliOhm = 30, R1MilliOhm = 40, R2MilliOhm = 40, R2FactorAtEmpty = 15 };
        string[] hppc = { SyntheticCycler.Hppc(warmPulses).Write(P("hppc-25.csv")), SyntheticCycler.Hppc(coldPulses).Write(P("hppc-10.csv")) };
        var r = CellFitter.Fit(c20, hppc, "knee", Template);
        Assert.True(r.Ok, r.RefusalReason);

        // One SOC scale: the 10 C file is counted with the 25 C capacity from its full start, so it ends at SOC 0.008
        // and its OCV matches the true curve within 3 mV from SOC 0.1 (counted on its own 2.976 Ah it would sit 0.8 % of
        // SOC off: 5 to 8 mV there). In the knee the slow pair lags both curves the same way, so 10 mV.
        var o10 = r.Ocv.Single(o => o.TemperatureC == 10);
        Assert.InRange(o10.EndSoc, 0.007, 0.009);
        for (int j = 0; j < OcvFit.SocPoints.Length; j++)
        {
            double s = OcvFit.SocPoints[j];
            if (s < 0.03 || s > 0.95) continue;
            Assert.True(Math.Abs(o10.OcvMillivolts[j] - SyntheticCycler.OcvMv(s)) <= (s < 0.1 ? 10 : 3), $"10 C OCV at SOC {s}: {o10.OcvMillivolts[j]:0.0} mV, true {SyntheticCycler.OcvMv(s):0.0} mV");
        }

        // The knee: R2's multiplier below the HPPC's first step, per temperature, against the truth (the C/20 is near
        // steady state but the slow pair lags a little behind a resistance that changes this fast: 20 %).
        var model = SolidBms.Core.Config.CellModel.Load(SolidBms.Core.Config.KeyValueDocument.Parse(r.CellFileText, "knee.cell"));
        Assert.Contains("r2SocFactor10 = ", r.CellFileText);
        foreach (var (t, truth) in new[] { (25f, warm), (10f, cold) })
            foreach (float s in new[] { 0.01f, 0.02f, 0.03f, 0.04f })
            {
                double fitted = model.SocFactorAt(model.R2SocFactor, s, t) * model.R2MilliOhmAt(t) / truth.R2MilliOhm;
                Assert.True(Math.Abs(fitted / truth.R2Factor(s) - 1) < 0.2, $"R2 x at SOC {s}, {t} C: fitted {fitted:0.00}, true {truth.R2Factor(s):0.00}");
            }
        // Above the knee the pulses' own multipliers hold (no knee there).
        Assert.InRange(model.SocFactorAt(model.R2SocFactor, 0.5f, 25), 0.9f, 1.1f);
        foreach (var q in r.Quality) Assert.True(q.RmsMillivolts <= 10, $"{q.Source}: {q.RmsMillivolts:0.00} mV RMS");
    }

    [Fact]
    public void Refines_the_ocv_tables_ends_on_the_c20_record_where_the_branch_average_is_no_ocv()
    {
        // A knee near empty (the slow pair 30x at SOC 0) and dynamic hysteresis: at the ends the C/20 branches' average
        // is off the true curve (one branch stops at the cut-off, the slow pair and the hysteresis state have not settled).
        var cell = new SyntheticCycler { R2FactorAtEmpty = 30, DynamicHysteresisMv = 10 };
        string c20 = SyntheticCycler.C20(cell).Write(P("c20.csv"));
        string hppc = SyntheticCycler.Hppc(new SyntheticCycler { NoiseMv = 0.5, R2FactorAtEmpty = 30, DynamicHysteresisMv = 10 }).Write(P("hppc.csv"));
        var r = CellFitter.Fit(new[] { c20 }, new[] { hppc }, "ends", Template);
        Assert.True(r.Ok, r.RefusalReason);
        var averaged = OcvFit.FromLog(CyclerLog.Read(c20), r.Ocv.Single().CapacityAh); // the table before the refinement
        var refined = r.Ocv.Single();
        double worstAveraged = 0, worstRefined = 0;
        for (int j = 0; j < OcvFit.SocPoints.Length; j++)
        {
            double s = OcvFit.SocPoints[j], truth = SyntheticCycler.OcvMv(s);
            if (s > OcvEndRefinement.LowEndSoc + 1e-6 && s < OcvEndRefinement.HighEndSoc - 1e-6)
            {
                Assert.Equal(averaged.OcvMillivolts[j], refined.OcvMillivolts[j]); // the middle is the branches' average, untouched
                continue;
            }
            worstAveraged = Math.Max(worstAveraged, Math.Abs(averaged.OcvMillivolts[j] - truth));
            worstRefined = Math.Max(worstRefined, Math.Abs(refined.OcvMillivolts[j] - truth));
        }
        Assert.True(worstRefined < 0.5 * worstAveraged, $"ends off the true curve by up to {worstRefined:0.0} mV refined, {worstAveraged:0.0} averaged");
        Assert.Contains(r.Notes, n => n.Contains("refined on the C/20 records"));
        Assert.True(r.Quality.Single(q => q.Kind == "C/20").RmsMillivolts <= 5, $"C/20 {r.Quality.Single(q => q.Kind == "C/20").RmsMillivolts:0.00} mV RMS");
    }

    [Fact]
    public void Recovers_a_butler_volmer_charge_transfer_term_from_pulses_of_three_sizes()
    {
        // 15 mOhm ohmic + charge transfer of 20 mOhm at zero current with I0 = 1 A: 35 mOhm at 0.6 A falls to about 22 mOhm at 9 A.
        var cell = new SyntheticCycler { NoiseMv = 0.5, ChargeTransferMilliOhm = 20, ExchangeCurrentA = 1 };
        var c20 = SyntheticCycler.C20(new SyntheticCycler()).Write(P("c20.csv"));
        var hppc = SyntheticCycler.Hppc(cell, pulseCRates: new[] { 0.2, 1.0, 3.0 }).Write(P("hppc.csv"));
        var r = CellFitter.Fit(new[] { c20 }, new[] { hppc }, "bv", Template);
        Assert.True(r.Ok, r.RefusalReason);
        var h = r.Impedance.Single();
        Assert.True(h.ChargeTransferMilliOhm > 0, "the pulses of 0.45 to 9 A demand the current-dependent term");
        Assert.InRange(h.R0MilliOhm, 35 * 0.9, 35 * 1.1); // zero-current R0: ohmic + charge transfer
        Assert.True(r.Quality.Single(q => q.Kind == "HPPC").RmsMillivolts < 3, "replayed through the simulator's Butler-Volmer R0");
        // What matters, and what pulses of three sizes determine: R0 at the pulse currents, within 5 %. (Rct and I0 alone
        // trade off against each other over this current range.)
        var model = SolidBms.Core.Config.CellModel.Load(SolidBms.Core.Config.KeyValueDocument.Parse(r.CellFileText, "bv.cell"));
        foreach (float amps in new[] { 0.45f, 0.6f, 2.25f, 3f, 6.75f, 9f })
        {
            double fitted = model.R0MilliOhmAt(25) * model.R0CurrentFactor(amps, model.ChargeTransferFractionAt(25), model.HalfInverseExchangeCurrentAt(25));
            double truth = 15 + cell.Overpotential(amps) / amps;
            Assert.True(Math.Abs(fitted / truth - 1) < 0.05, $"R0 at {amps} A: fitted {fitted:0.00} mOhm, true {truth:0.00} mOhm");
        }
    }

    [Fact]
    public void Reads_arbin_columns_with_their_charge_positive_current()
    {
        var c20 = SyntheticCycler.C20(new SyntheticCycler()).Write(P("c20.csv"), arbin: true);
        var log = CyclerLog.Read(c20);
        Assert.Equal("arbin", log.Format);
        Assert.True(log.CurrentA.Max() > 0.149 && log.CurrentA.Max() < 0.151, "discharge reads positive");
        var hppc = SyntheticCycler.Hppc(new SyntheticCycler()).Write(P("hppc.csv"), arbin: true);
        var r = CellFitter.Fit(new[] { c20 }, new[] { hppc }, "arbin", Template);
        Assert.True(r.Ok, r.RefusalReason);
        Assert.InRange(r.Impedance.Single().R0MilliOhm, 14.5, 15.5);
    }

    [Fact]
    public void Cli_writes_a_cell_file_that_loads_and_prints_fit_quality()
    {
        var c20 = SyntheticCycler.C20(new SyntheticCycler()).Write(P("c20.csv"));
        var hppc = SyntheticCycler.Hppc(new SyntheticCycler()).Write(P("hppc.csv"));
        var (code, stdout, stderr) = Cli("fit-cell", "--ocv", c20, "--hppc", hppc, "--out", P("my.cell"), "--name", "MyCell");
        Assert.True(code == 0, stderr);
        Assert.Contains("rms_mv", stdout);
        var sim = SolidBms.Simulator.Physics.SimCellParameters.Load(File.ReadAllText(P("my.cell")), "my.cell");
        Assert.Equal("MyCell", sim.Model.Name);
        Assert.InRange(sim.Model.R0MilliOhmAt(25), 14.5f, 15.5f);
        Assert.Equal(1000, sim.ReferenceKpa); // copied from the template
    }

    [Fact]
    public void Refuses_a_c20_with_one_direction_only()
    {
        var c20 = new SyntheticCycler().Hold(0, 600, 10).Hold(0.15, 20 * 3600, 10).Hold(0, 600, 10).Write(P("dis.csv"));
        var hppc = SyntheticCycler.Hppc(new SyntheticCycler()).Write(P("hppc.csv"));
        AssertRefused("one direction only: no charge", "--ocv", c20, "--hppc", hppc);
    }

    [Fact]
    public void Refuses_an_hppc_without_pulses_or_without_rest()
    {
        var c20 = SyntheticCycler.C20(new SyntheticCycler()).Write(P("c20.csv"));
        var constant = new SyntheticCycler().Hold(0, 600, 1).Hold(1.5, 3600, 1).Hold(0, 600, 1).Write(P("constant.csv"));
        AssertRefused("no pulses", "--ocv", c20, "--hppc", constant);
        var noStartRest = new SyntheticCycler().Hold(3, 10, 1).Hold(0, 40, 1).Hold(3, 10, 1).Hold(0, 40, 1).Write(P("norest.csv"));
        AssertRefused("no rest at the start", "--ocv", c20, "--hppc", noStartRest);
        var noRelaxation = new SyntheticCycler().Hold(0, 20, 1).Hold(3, 10, 1).Hold(0, 6, 1).Hold(-3, 10, 1).Hold(0, 6, 1).Hold(3, 10, 1).Hold(0, 6, 1).Write(P("short.csv"));
        AssertRefused("no rest:", "--ocv", c20, "--hppc", noRelaxation);
    }

    [Fact]
    public void Refuses_bad_rows_with_file_and_line()
    {
        var hppc = SyntheticCycler.Hppc(new SyntheticCycler()).Write(P("hppc.csv"));
        File.WriteAllText(P("nan.csv"), "time_s,current_a,voltage_v,temperature_c\n0,0,3.9,25\n1,0,NaN,25\n");
        AssertRefused("nan.csv:3: voltage_v 'NaN' is not a number", "--ocv", P("nan.csv"), "--hppc", hppc);
        File.WriteAllText(P("back.csv"), "time_s,current_a,voltage_v,temperature_c\n0,0,3.9,25\n2,0,3.9,25\n1,0,3.9,25\n");
        AssertRefused("back.csv:4: time does not increase", "--ocv", P("back.csv"), "--hppc", hppc);
        File.WriteAllText(P("few.csv"), "time_s,current_a,voltage_v,temperature_c\n0,0,3.9,25\n1,0.1,3.8,25\n");
        AssertRefused("too few points", "--ocv", P("few.csv"), "--hppc", hppc);
        File.WriteAllText(P("cols.csv"), "t,i,v\n0,0,3.9\n");
        AssertRefused("cols.csv:1: needs columns time_s,current_a,voltage_v,temperature_c", "--ocv", P("cols.csv"), "--hppc", hppc);
    }

    private void AssertRefused(string reason, params string[] args)
    {
        var (code, _, stderr) = Cli(new[] { "fit-cell" }.Concat(args).Concat(new[] { "--out", P("x.cell") }).ToArray());
        Assert.Equal(2, code);
        Assert.Contains(reason, stderr);
        Assert.DoesNotContain("   at ", stderr); // a reason, not a stack trace
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.False(File.Exists(P("x.cell")));
    }

    private static (int Code, string Stdout, string Stderr) Cli(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }
}
