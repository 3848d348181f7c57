using System;
using SolidBms.Simulator.Physics.ReferenceCell;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Tests;

/// <summary>
/// The physics-based reference cell (the SOC benchmark's independent truth) against published figures and
/// analytic results it was not tuned to: Chen et al. 2020's NMC811 OCP and LG M50 stoichiometry window, the
/// slowest relaxation mode of diffusion in a sphere, C/20 capacity against the Faraday-law capacity of the
/// cathode, Butler-Volmer's falling resistance with current. Sources: docs/estimation.md, "Reference cell".
/// </summary>
public class ReferenceCellTests
{
    private static readonly SpmCellParameters P = new();

    [Fact]
    public void OcpFitGivesChen2020FullCellVoltageAtFullCharge()
    {
        // Chen 2020 (PyBaMM parameter set Chen2020): LG M50 at 100 % SOC has the positive electrode at 17038 of 63104 mol/m3
        // and the graphite at 29866 of 33133 mol/m3, and an OCV of 4.2 V. Graphite OCP: the same paper's fit.
        double xPos = 17038.0 / 63104.0, xNeg = 29866.0 / 33133.0;
        double graphite = 1.9793 * Math.Exp(-39.3631 * xNeg) + 0.2482 - 0.0909 * Math.Tanh(29.8538 * (xNeg - 0.1234))
                          - 0.04478 * Math.Tanh(14.9159 * (xNeg - 0.2769)) - 0.0205 * Math.Tanh(30.4444 * (xNeg - 0.6103));
        Assert.InRange(Nmc811Ocp.Chen2020Volts(xPos) - graphite, 4.175, 4.225);
        // The knee added below the fit's range changes nothing above x = 0.85 (under 0.3 mV).
        Assert.InRange(Nmc811Ocp.Chen2020Volts(0.85) - Nmc811Ocp.Volts(0.85), 0, 0.0003);
        // The OCP falls monotonically with lithiation over the window.
        for (double x = 0.3; x < 0.96; x += 0.01) Assert.True(Nmc811Ocp.Volts(x + 0.01) < Nmc811Ocp.Volts(x), $"x {x}");
    }

    [Fact]
    public void C20DischargeDeliversTheCathodesFaradayCapacityBetween4V2And3V0()
    {
        // Faraday's law on the cathode: eps L A c_max F dx / 3600 (c_max from Chen 2020), about 3.0 Ah for this build.
        double faradayAh = P.ActiveFraction * P.CathodeThicknessM * P.AreaM2 * 63104 * 96485.33 * (P.EmptyStoichiometry - P.FullStoichiometry) / 3600;
        Assert.InRange(faradayAh, 2.95, 3.05);
        var cell = new SpmCell(P, 1.0, 1.0, 25);
        Assert.InRange(cell.TerminalMillivolts, 4195, 4205); // SOC 1 is the 4.20 V relaxed OCV
        double ah = 0, i = faradayAh / 20;
        while (cell.TerminalMillivolts > 3000 && ah < 4)
        {
            cell.Step(i, 10, 1000);
            ah += i * 10 / 3600;
        }
        Assert.InRange(ah, 0.985 * faradayAh, 1.015 * faradayAh);
        Assert.InRange(cell.Soc, -0.015, 0.015);
    }

    [Fact]
    public void ParticleRelaxesWithTheSlowestModeOfDiffusionInASphere()
    {
        // After a load, the surface-to-mean difference in a sphere decays as exp(-mu1^2 D t / R^2), mu1 = 4.4934
        // (first root of tan mu = mu; Crank, The Mathematics of Diffusion, 6.3). Checks the finite-volume solver.
        var cell = new SpmCell(P, 1.0, 0.6, 25);
        for (int k = 0; k < 6000; k++) cell.Step(3.0, 0.1, 1000); // 1C for 10 min
        double Gap() => cell.OuterShellStoichiometry - cell.MeanStoichiometry;
        for (int k = 0; k < 3000; k++) cell.Step(0, 0.1, 1000); // higher modes die out
        double g1 = Gap();
        for (int k = 0; k < 6000; k++) cell.Step(0, 0.1, 1000);
        double g2 = Gap();
        double tau = 600 / Math.Log(g1 / g2);
        double analytic = P.ParticleRadiusM * P.ParticleRadiusM / (4.4934 * 4.4934 * P.Diffusivity25M2PerS);
        Assert.InRange(tau, 0.9 * analytic, 1.1 * analytic);
    }

    [Fact]
    public void ResistanceFallsWithCurrentAndRisesInTheColdAndAtLowPressure()
    {
        static double StepOhm(double amps, double tempC, double kpa)
        {
            var cell = new SpmCell(P, 1.0, 0.5, tempC);
            cell.Step(0, 0.1, kpa);
            double rest = cell.TerminalMillivolts;
            cell.Step(amps, 0.1, kpa);
            return (rest - cell.TerminalMillivolts) / amps;
        }
        double small = StepOhm(0.5, 10, 1000), large = StepOhm(5.0, 10, 1000);
        Assert.True(large < 0.9 * small, $"10 C: {small:0.0} mOhm at 0.5 A, {large:0.0} at 5 A (Butler-Volmer)");
        double cold = StepOhm(1, 10, 1000), warm = StepOhm(1, 25, 1000);
        Assert.InRange(cold / warm, 1.5, 2.5); // activation energies of 30-40 kJ/mol: about x2 over 15 K
        // The separator alone at the cited 1.2 mS/cm is 2.5 Ohm.cm2 = 2.5 mOhm over 1000 cm2; the whole 0.1 s step is a
        // few times that: the composite cathode's ionic path, contact and both charge transfers add to it.
        Assert.InRange(warm, 25, 50);
        Assert.True(StepOhm(1, 25, 200) > 1.3 * warm, "contact loss at 200 kPa");
    }

    [Fact]
    public void ScenariosSelectTheReferenceCellAndRefuseUnknownModels()
    {
        var s = Repo.Scenario("""
        { "name": "ref", "cells": 2, "cellFile": "assb-nmc811-reference-fitted", "cell": { "model": "reference", "socSpread": 0 },
          "segments": [ { "durationS": 60, "currentA": 1.0 } ] }
        """);
        var r = new SolidBms.Simulator.Run.ScenarioRunner(s, Repo.Files);
        Assert.IsType<SpmCell>(r.Pack.Cells[0]);
        while (!r.Finished) r.Step();
        var cell = r.Pack.Cells[0];
        Assert.True(cell.ThroughputAh > 0.01, $"throughput {cell.ThroughputAh}");
        Assert.Equal(0.5 - cell.ThroughputAh / cell.CapacityAh, cell.Soc, 6); // the SOC is the charge moved
        var e = Assert.Throws<ScenarioException>(() => Repo.Scenario("""
        { "name": "bad", "cells": 2, "cell": { "model": "dfn" }, "segments": [ { "durationS": 1, "rest": true } ] }
        """));
        Assert.Contains("model", e.Message);
    }
}
