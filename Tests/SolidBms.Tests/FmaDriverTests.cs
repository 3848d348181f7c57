using System;
using SolidBms.Core.Config;
using SolidBms.Core.Measurement;
using SolidBms.Drivers.FmaForce;
using SolidBms.Simulator.Chips;

namespace SolidBms.Tests;

/// <summary>The optional Honeywell FMA force sensor: transfer function by hand, status bits, faults.</summary>
public class FmaDriverTests
{
    private static (I2cTestRig, FmaForceSensor, FmaModel) Rig()
    {
        string text = Repo.Read("board/boards/devkitc-i2c-3.board");
        int cut = text.IndexOf("[nau7802]");
        int end = text.IndexOf("[outputs]");
        text = text[..cut] + text[end..];
        text = text.Replace("source = nau7802", "source = fma").Replace("pressedAreaCm2 = 25", "pressedAreaCm2 = 0.5\n\n[fma]\nratedNewton = 25\ntransferFunction = 10-90");
        var board = BoardConfig.Load(text, "fma.board");
        var rig = new I2cTestRig { Board = board };
        var chip = new FmaModel(board.Fma.Address, 25, 10, 90, rig.Clock, new Random(4));
        rig.Bus.Attach(chip);
        return (rig, new FmaForceSensor(rig.Link(board.Fma.Address, "fma"), board.Fma, board.I2c.StaleAfterMs), chip);
    }

    [Fact]
    public void TransferFunctionWorkedByHand()
    {
        // 25 N part, 10-90 %: Cmin = 1638.4, Cmax = 14745.6; 8192 counts -> (8192 - 1638.4) / 13107.2 x 25 = 12.5 N.
        Assert.Equal(12.5f, FmaForceSensor.NewtonFromCounts(8192, 0, 10, 90, 25), 3);
        Assert.Equal(0f, FmaForceSensor.NewtonFromCounts(1638, 0, 10, 90, 25), 0);
        // 20-80 %: Cmin = 3276.8, span 9830.4; 13107 counts -> 25.0 N.
        Assert.Equal(25f, FmaForceSensor.NewtonFromCounts(13107, 0, 20, 80, 25), 2);
    }

    [Fact]
    public void ReadsForceAndThePelletPressure()
    {
        var (rig, fma, chip) = Rig();
        chip.ForceNewton = 20; // 0.5 cm2 -> 20 N x 10 / 0.5 = 400 kPa
        rig.Run(200, fma.Update);
        Assert.Equal(SensorStatus.Ok, fma.Status);
        Assert.Equal(20f, fma.ForceNewton, 1);
        Assert.Equal(SensorSource.Fma, rig.Board.PressureSource);
    }

    [Fact]
    public void StaleDiagnosticAndNack()
    {
        var (rig, fma, chip) = Rig();
        chip.ForceNewton = 10;
        rig.Run(200, fma.Update);
        chip.Stuck = true;
        rig.Run(700, fma.Update);
        Assert.Equal(SensorStatus.Stale, fma.Status);
        Assert.True(float.IsNaN(fma.ForceNewton));
        chip.Stuck = false;
        rig.Run(100, fma.Update);
        Assert.Equal(SensorStatus.Ok, fma.Status);
        chip.Diagnostic = true;
        rig.Run(100, fma.Update);
        Assert.Equal(SensorStatus.Implausible, fma.Status);
        chip.Diagnostic = false;
        chip.NackProbability = 1;
        rig.Run(100, fma.Update);
        Assert.Equal(SensorStatus.ReadFailed, fma.Status);
        Assert.True(fma.Health.Nacks >= 3);
    }

    [Fact]
    public void BadTransferFunctionIsRefused()
    {
        string text = Repo.Read("board/boards/devkitc-i2c-3.board");
        text = text[..text.IndexOf("[nau7802]")] + text[text.IndexOf("[outputs]")..];
        text = text.Replace("source = nau7802", "source = fma").Replace("pressedAreaCm2 = 25", "pressedAreaCm2 = 0.5\n\n[fma]\nratedNewton = 25\ntransferFunction = 5-95");
        var e = Assert.Throws<ConfigException>(() => BoardConfig.Load(text, "fma.board"));
        Assert.Equal("fma.transferFunction", e.Key);
        Assert.True(e.Line > 0);
    }
}
