using System;
using System.IO;
using SolidBms.Core.Config;
using SolidBms.Simulator.Physics;

namespace SolidBms.Tests;

/// <summary>The voltage hysteresis of the cell model ([hysteresis]): its state against the closed form, the simulated cell at rest after each branch, and loading.</summary>
public sealed class HysteresisTests
{
    private static string DefaultCellText => File.ReadAllText(Path.Combine(Repo.Root, "board/cells/assb-lpscl-nmc811-li.cell"));

    internal static string WithHysteresis(string cellText, double maxMv, double instantMv, double rate) =>
        cellText.TrimEnd() + $"\n\n[hysteresis]\ntemperaturesC = 25\nmaxMillivolts = {maxMv}\ninstantMillivolts = {instantMv}\nrate = {rate}\n";

    [Fact]
    public void The_state_follows_the_closed_form_under_a_constant_current_both_ways()
    {
        const float q = 3f, rate = 40f, dt = 0.1f;
        float socPerAs = 1f / (3600f * q);
        float h = 0f;
        // Discharge at 2 A for 600 s: h = -1 + exp(-rate * dSOC).
        for (int k = 0; k < 6000; k++) h = CellModel.StepHysteresis(h, 2f, dt, socPerAs, rate);
        double expected = -1 + Math.Exp(-rate * 2 * 600 / (3600.0 * q));
        Assert.InRange(h, expected - 1e-4, expected + 1e-4);
        // Then charge at 1 A for 900 s: h = 1 + (h0 - 1) exp(-rate * dSOC).
        double h0 = h;
        for (int k = 0; k < 9000; k++) h = CellModel.StepHysteresis(h, -1f, dt, socPerAs, rate);
        expected = 1 + (h0 - 1) * Math.Exp(-rate * 1 * 900 / (3600.0 * q));
        Assert.InRange(h, expected - 1e-4, expected + 1e-4);
        Assert.Equal(1f, CellModel.StepHysteresisSign(-1f, -1f, socPerAs));
        Assert.Equal(-1f, CellModel.StepHysteresisSign(1f, 2f, socPerAs));
    }

    [Fact]
    public void Currents_below_a_hundredth_of_c_move_neither_state()
    {
        float socPerAs = 1f / (3600f * 3f); // 3 Ah: C/100 = 30 mA
        Assert.Equal(0.4f, CellModel.StepHysteresis(0.4f, 0.029f, 0.1f, socPerAs, 50f));
        Assert.Equal(0.4f, CellModel.StepHysteresis(0.4f, -0.029f, 0.1f, socPerAs, 50f));
        Assert.Equal(-1f, CellModel.StepHysteresisSign(-1f, 0.029f, socPerAs));
        Assert.NotEqual(0.4f, CellModel.StepHysteresis(0.4f, 0.031f, 0.1f, socPerAs, 50f));
        Assert.Equal(-1f, CellModel.StepHysteresisSign(1f, 0.031f, socPerAs));
    }

    [Fact]
    public void The_simulated_cell_rests_m_plus_m0_below_the_ocv_after_a_discharge_and_above_it_after_a_charge()
    {
        var p = SimCellParameters.Load(WithHysteresis(DefaultCellText, 20, 5, 60), "hyst.cell");
        Assert.True(p.Model.HasHysteresis);
        var cell = new EcmCell(p, p.Model.CapacityAh, 1.0, 0.8, 25) { LookupStepC = 0 };
        double c2 = p.Model.CapacityAh / 2;
        void Run(double amps, double seconds) { for (int k = 0; k < seconds * 10; k++) cell.Step(amps, 0.1, p.ReferenceKpa); }
        Run(c2, 1800); // 25 % of the capacity: h is at -1 within exp(-15)
        Run(0, 4 * 3600); // the RC pairs relax
        Assert.InRange(cell.TerminalMillivolts - cell.OcvMillivolts, -25.05, -24.95);
        Run(-c2, 1800);
        Run(0, 4 * 3600);
        Assert.InRange(cell.TerminalMillivolts - cell.OcvMillivolts, 24.95, 25.05);
        // A short pulse the other way moves the dynamic part by the charge it passes: 0.5 % of the capacity at rate 60.
        double before = cell.Hysteresis;
        Run(c2, 36);
        double expected = -1 + (before + 1) * Math.Exp(-60 * 0.005);
        Assert.InRange(cell.Hysteresis, expected - 2e-3, expected + 2e-3);
    }

    [Fact]
    public void A_cell_file_without_hysteresis_loads_as_before_and_a_unit_slip_is_refused()
    {
        var plain = CellModel.Load(KeyValueDocument.Parse(DefaultCellText, "plain.cell"));
        Assert.False(plain.HasHysteresis);
        plain.HysteresisAt(25, out float m, out float m0, out float rate);
        Assert.Equal(0f, m); Assert.Equal(0f, m0); Assert.Equal(0f, rate);
        var e = Assert.Throws<ConfigException>(() => CellModel.Load(KeyValueDocument.Parse(WithHysteresis(DefaultCellText, 0.02, 5000, 60), "slip.cell")));
        Assert.Contains("instantMillivolts", e.Message);
    }
}
