using SolidBms.Drivers.Bq76952;
using SolidBms.Simulator.Chips;

namespace SolidBms.Tests;

/// <summary>
/// The BQ76952 driver's host-controlled balancing against the register-level chip model: the Cell Balancing Config
/// data memory it writes, CB_ACTIVE_CELLS written and read back, CBSTATUS1, and the chip's own rules (no adjacent
/// cells, Cell Balance Max Cells, the temperature window, the interval timeout, a reset).
/// </summary>
public class Bq76952BalancingTests
{
    private static (I2cTestRig Rig, Bq76952Monitor Bq, Bq76952Model Chip) Rig()
    {
        var (rig, bq, chip) = I2cTestRig.Bq();
        bq.Balancing = rig.Board.Balancing;
        Assert.True(bq.Initialise(rig.Clock.NowMilliseconds));
        return (rig, bq, chip);
    }

    [Fact]
    public void InitialiseWritesTheCellBalancingConfigFromTheBoard()
    {
        var (rig, _, chip) = Rig();
        var b = rig.Board.Balancing;
        Assert.True(b.OnChip);
        Assert.Equal(0x00, chip.DataMemory(Bq76952Monitor.DmBalancingConfiguration)); // host commands on, no autonomous balancing
        Assert.Equal(4, chip.DataMemory(Bq76952Monitor.DmCbMaxCells));                 // board maxCells (chip default 1)
        Assert.Equal(20, chip.DataMemory(Bq76952Monitor.DmCbInterval));
        Assert.Equal(0, (sbyte)chip.DataMemory(Bq76952Monitor.DmCbMinCellTemp));
        Assert.Equal(55, (sbyte)chip.DataMemory(Bq76952Monitor.DmCbMaxCellTemp));
        Assert.Equal(85, (sbyte)chip.DataMemory(Bq76952Monitor.DmCbMaxInternalTemp));
        Assert.False(chip.InConfigUpdate);
    }

    [Fact]
    public void NonAdjacentCellsWithinMaxCellsBalanceAndReadBack()
    {
        var (rig, bq, chip) = Rig();
        const int mask = 0b1000_0000_0101_0001; // inputs 1, 5, 7, 16
        Assert.True(bq.SetActiveCells(mask));
        Assert.Equal(mask, chip.ActiveCells);
        Assert.Equal(mask, bq.ActiveCells);
        rig.Run(3000, bq.Update);
        Assert.InRange(bq.ReadBalancingSeconds(), 3, 4); // CBSTATUS1 counts the balancing time
        Assert.True(bq.SetActiveCells(0));
        Assert.Equal(0, chip.ActiveCells);
        Assert.Equal(0, bq.ReadBalancingSeconds());
    }

    [Fact]
    public void ChipRefusesAdjacentCellsAndMoreThanMaxCells()
    {
        var (_, bq, chip) = Rig();
        Assert.False(bq.SetActiveCells(0b0110));        // inputs 2 and 3 are neighbours
        Assert.Equal(0, chip.ActiveCells);
        Assert.Equal(0, bq.ActiveCells);
        Assert.False(bq.SetActiveCells(0b1_0101_0101)); // five cells, Cell Balance Max Cells = 4
        Assert.Equal(0, chip.ActiveCells);
        Assert.Equal(2, chip.RefusedBalancingCommands);
    }

    [Fact]
    public void BalancingStopsWhenNotRenewedWithinTheInterval()
    {
        var (rig, bq, chip) = Rig();
        Assert.True(bq.SetActiveCells(0b0100));
        rig.Run(15000, bq.Update);
        Assert.Equal(0b0100, chip.ActiveCells);
        Assert.True(bq.SetActiveCells(0b0100)); // renewed: the 20 s interval restarts
        rig.Run(15000, bq.Update);
        Assert.Equal(0b0100, chip.ActiveCells);
        rig.Run(6000, bq.Update);               // 21 s since the last command: the chip stops by itself
        Assert.Equal(0, chip.ActiveCells);
    }

    [Fact]
    public void BalancingStopsOutsideTheChipsTemperatureWindow()
    {
        var (rig, bq, chip) = Rig();
        int ts1 = (0x70 - 0x68) / 2;
        chip.CellTemperaturePin[ts1] = true;
        Assert.True(bq.SetActiveCells(0b0001));
        chip.PinTemperatureC[ts1] = 56; // above Max Cell Temp 55
        rig.Run(200, bq.Update);
        Assert.Equal(0, chip.ActiveCells);
        Assert.False(bq.SetActiveCells(0b0001)); // refused while hot
        chip.PinTemperatureC[ts1] = 30;
        chip.PinTemperatureC[0] = 90;            // die above Max Internal Temp 85
        Assert.False(bq.SetActiveCells(0b0001));
        chip.PinTemperatureC[0] = 40;
        Assert.True(bq.SetActiveCells(0b0001));
    }

    [Fact]
    public void ResetChipForgetsBalancingAndTheDriverRewritesTheConfig()
    {
        var (rig, bq, chip) = Rig();
        Assert.True(bq.SetActiveCells(0b0001));
        chip.PowerOnReset();
        Assert.Equal(0, chip.ActiveCells);
        Assert.Equal(1, chip.DataMemory(Bq76952Monitor.DmCbMaxCells)); // power-on default
        Assert.True(bq.Initialise(rig.Clock.NowMilliseconds));
        Assert.Equal(4, chip.DataMemory(Bq76952Monitor.DmCbMaxCells));
    }
}
