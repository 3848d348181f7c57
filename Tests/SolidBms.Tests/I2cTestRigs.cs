using System;
using SolidBms.Core.Config;
using SolidBms.Drivers.Bq76952;
using SolidBms.Drivers.I2cCommon;
using SolidBms.Drivers.Ina228;
using SolidBms.Drivers.Nau7802;
using SolidBms.Simulator.Chips;
using SolidBms.Simulator.Hardware;

namespace SolidBms.Tests;

/// <summary>One driver on a simulated bus with its chip model, for the driver tests.</summary>
public sealed class I2cTestRig
{
    public readonly SimClock Clock = new();
    public readonly SimI2cBus Bus = new();
    public BoardConfig Board;

    public static BoardConfig LoadBoard(string name) => BoardConfig.Load(Repo.Read($"board/boards/{name}.board"), name + ".board");

    public I2cLink Link(int address, string name, int maxFailures = 3) => new(Bus.Open(address), Bus, new I2cHealth(name, maxFailures));

    /// <summary>Advances simulated time in tick steps, calling update each tick.</summary>
    public void Run(int ms, Action<long> update, int tickMs = 100)
    {
        for (int t = 0; t < ms; t += tickMs)
        {
            Clock.Advance(tickMs);
            update(Clock.NowMilliseconds);
        }
    }

    public static (I2cTestRig Rig, Bq76952Monitor Driver, Bq76952Model Chip) Bq()
    {
        var rig = new I2cTestRig { Board = LoadBoard("bq76952-16s") };
        var s = rig.Board.Bq76952;
        var chip = new Bq76952Model(s.Address, s.Crc, rig.Clock, new Random(1));
        rig.Bus.Attach(chip);
        for (int i = 0; i < 16; i++) chip.InputMillivolts[i] = 3700;
        for (int p = 0; p < 10; p++) chip.PinTemperatureC[p] = 25;
        var driver = new Bq76952Monitor(rig.Link(s.Address, "bq76952"), s, rig.Board.I2c.StaleAfterMs);
        return (rig, driver, chip);
    }

    public static (I2cTestRig Rig, Ina228Monitor Driver, Ina228Model Chip) Ina()
    {
        var rig = new I2cTestRig { Board = LoadBoard("devkitc-i2c-3") };
        var s = rig.Board.Ina228;
        var chip = new Ina228Model(s.Address, s.ShuntMilliOhm / 1000.0, rig.Clock, new Random(2));
        rig.Bus.Attach(chip);
        var driver = new Ina228Monitor(rig.Link(s.Address, "ina228"), s, rig.Board.I2c.StaleAfterMs);
        return (rig, driver, chip);
    }

    public static (I2cTestRig Rig, Nau7802LoadCell Driver, Nau7802Model Chip) Nau()
    {
        var rig = new I2cTestRig { Board = LoadBoard("bq76952-16s") };
        var s = rig.Board.Nau7802;
        var chip = new Nau7802Model(s.Address, s.LoadCellRatedNewton, s.SensitivityMvPerV, rig.Clock, new Random(3));
        rig.Bus.Attach(chip);
        var driver = new Nau7802LoadCell(rig.Link(s.Address, "nau7802"), s, rig.Board.I2c.StaleAfterMs);
        return (rig, driver, chip);
    }
}
