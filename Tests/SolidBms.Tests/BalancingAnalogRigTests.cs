using SolidBms.Core.Balancing;
using SolidBms.Simulator.Run;

namespace SolidBms.Tests;

/// <summary>
/// The analog rig's GPIO bleed (sim-analog-16): the firmware drives one bleed switch per cell, the simulated rig
/// bleeds and heats that cell and drops the bleed current across the sense wires, and the front end corrects the
/// reading for that drop.
/// </summary>
public class BalancingAnalogRigTests
{
    [Fact]
    public void GpioBleedDrainsTheFullCellAndReadingsAreCorrectedForTheTapDrop()
    {
        var s = Repo.Scenario("""
            { "name": "bleed-analog", "board": "sim-analog-16", "cells": 4, "initialSoc": 0.6, "seed": 2,
              "cell": { "socSpread": 0.03 }, "sensorNoise": { "cellMv": 0, "tempC": 0 },
              "segments": [ { "durationS": 2400, "rest": true } ] }
            """);
        var r = new ScenarioRunner(s, Repo.Files);
        var board = r.Setup.Board;
        double spread0 = BalanceBench.SpreadPoints(r.Pack);
        double worstCorrected = 0, largestDrop = 0;
        long bleedingTicks = 0;
        for (long k = 0; k < r.TotalTicks; k++)
        {
            r.Step();
            var pack = r.Pack;
            if (pack.BleedingCount == 0) continue;
            bleedingTicks++;
            var m = r.Controller.Measurement;
            for (int i = 0; i < 4; i++)
            {
                // What the ADC sees: the cell less R_tap x (2 I_i - I_(i-1) - I_(i+1)).
                double shared = 2 * pack.BleedA[i] - (i > 0 ? pack.BleedA[i - 1] : 0) - (i < 3 ? pack.BleedA[i + 1] : 0);
                largestDrop = System.Math.Max(largestDrop, board.Balancing.TapResistanceOhm * shared * 1000);
                worstCorrected = System.Math.Max(worstCorrected, System.Math.Abs(m.CellMillivolts[i] - pack.Cells[i].TerminalMillivolts));
            }
        }
        var b = r.Controller.Balancer;
        Assert.NotNull(b);
        Assert.True(bleedingTicks > 1000, "the full cells bled");
        Assert.True(largestDrop > 4, $"the tap drop is {largestDrop:0.0} mV: worth correcting");
        Assert.True(worstCorrected < 2.0, $"corrected readings within {worstCorrected:0.00} mV of the cell (ADC step 1.5 mV)");
        Assert.True(BalanceBench.SpreadPoints(r.Pack) < spread0 - 0.5, "the spread shrank");
        Assert.Contains(b.Mode, new[] { BalancingMode.Soc, BalancingMode.Voltage });
        double heat = 0;
        for (int i = 0; i < 4; i++) heat = System.Math.Max(heat, r.Pack.Cells[i].TemperatureC - s.AmbientC);
        Assert.True(heat > 0.05, $"bleed heat warms the cell ({heat:0.00} K)");
    }
}
