using SolidBms.Core.Measurement;
using SolidBms.Drivers.Bq76952;
using SolidBms.Drivers.I2cCommon;

namespace SolidBms.Tests;

/// <summary>The BQ76952 driver against its register-level model: configuration, conversion, each fault, recovery.</summary>
public class Bq76952DriverTests
{
    [Fact]
    public void InitialiseChecksDeviceNumberAndWritesCellMapAndProtections()
    {
        var (rig, bq, chip) = I2cTestRig.Bq();
        Assert.True(bq.Initialise(rig.Clock.NowMilliseconds));
        Assert.Equal(0xFFFF, chip.DataMemory(Bq76952Monitor.DmVcellMode)); // all 16 inputs carry a cell
        // COV 4400 mV / 50.6 mV = 86.96 -> 87; CUV 2700 / 50.6 = 53.36 -> 53 (TRM: thresholds in 50.6 mV units).
        Assert.Equal(87, chip.DataMemory(Bq76952Monitor.DmCovThreshold));
        Assert.Equal(53, chip.DataMemory(Bq76952Monitor.DmCuvThreshold));
        Assert.Equal(0x8C, chip.DataMemory(Bq76952Monitor.DmEnabledProtectionsA)); // SCD | COV | CUV
        Assert.False(chip.InConfigUpdate);
        Assert.Equal(1, bq.Health.Initialisations);
    }

    [Fact]
    public void ConvertsCellsCurrentAndTemperaturesAsTheDatasheetScales()
    {
        var (rig, bq, chip) = I2cTestRig.Bq();
        chip.InputMillivolts[0] = 3712;   // 0x0E80 mV at 0x14
        chip.InputMillivolts[15] = 4102;  // top cell at 0x32
        chip.CurrentA = 1.5;              // discharge: CC2 reads -1500 mA (TI: charge positive)
        chip.PinTemperatureC[(0x70 - 0x68) / 2] = 25; // TS1: (25 + 273.15) x 10 = 2981.5 -> 2982 (0.1 K)
        rig.Run(200, bq.Update);
        Assert.Equal(3712f, bq.CellMillivolts[0]);
        Assert.Equal(4102f, bq.CellMillivolts[15]);
        Assert.Equal(SensorStatus.Ok, bq.CellStatus[0]);
        Assert.Equal(1.5f, bq.CurrentA, 3);       // -1500 x 1 mA x currentSign(-1)
        Assert.Equal(25.05f, bq.PinTemperatureC[0], 2); // 2982 x 0.1 - 273.15
        // Stack: 3712 + 14 x 3700 + 4102 = 59614 mV -> 5961 in 10 mV units -> 59610 mV.
        Assert.Equal(59610f, bq.StackMillivolts);
    }

    [Fact]
    public void OutOfRangeCellIsImplausibleAndOthersStayValid()
    {
        var (rig, bq, chip) = I2cTestRig.Bq();
        chip.InputMillivolts[4] = 6000;
        rig.Run(200, bq.Update);
        Assert.Equal(SensorStatus.Implausible, bq.CellStatus[4]);
        Assert.True(float.IsNaN(bq.CellMillivolts[4]));
        Assert.Equal(SensorStatus.Ok, bq.CellStatus[3]);
        Assert.True(bq.Health.OutOfRangeValues > 0);
    }

    [Fact]
    public void OpenAndShortedThermistorPinsAreReportedAsSuch()
    {
        var (rig, bq, chip) = I2cTestRig.Bq();
        chip.PinFault[(0x70 - 0x68) / 2] = Simulator.Hardware.ThermistorFault.Open;
        chip.PinFault[(0x72 - 0x68) / 2] = Simulator.Hardware.ThermistorFault.Short;
        rig.Run(200, bq.Update);
        Assert.Equal(SensorStatus.Open, bq.PinStatus[0]);
        Assert.Equal(SensorStatus.Short, bq.PinStatus[1]);
        Assert.Equal(SensorStatus.Ok, bq.PinStatus[2]);
    }

    [Fact]
    public void CorruptedBytesFailTheCrcAndTheReadingIsInvalidNotTheLastValue()
    {
        var (rig, bq, chip) = I2cTestRig.Bq();
        rig.Run(300, bq.Update);
        Assert.Equal(3700f, bq.CellMillivolts[0]);
        chip.CorruptReads = true;
        rig.Run(100, bq.Update);
        Assert.Equal(SensorStatus.ReadFailed, bq.CellStatus[0]);
        Assert.True(float.IsNaN(bq.CellMillivolts[0]));
        Assert.True(float.IsNaN(bq.CurrentA));
        Assert.True(bq.Health.CrcErrors >= 3, "every attempt fails its CRC");
        Assert.True(bq.Health.RecoveryAttempts >= 1);
        chip.CorruptReads = false;
        rig.Run(300, bq.Update);
        Assert.Equal(SensorStatus.Ok, bq.CellStatus[0]);
        Assert.Equal(0, bq.Health.ConsecutiveFailures);
        Assert.Equal(2, bq.Health.Initialisations); // re-initialised after being down
    }

    [Fact]
    public void AnOccasionalNackIsRetriedAndCountedWithoutLosingTheReading()
    {
        var (rig, bq, chip) = I2cTestRig.Bq();
        rig.Run(200, bq.Update);
        chip.NackProbability = 0.1;
        int valid = 0;
        rig.Run(10000, now => { bq.Update(now); if (bq.CellStatus[0] == SensorStatus.Ok) valid++; });
        Assert.True(bq.Health.Nacks > 10);
        Assert.True(valid >= 95, $"valid {valid} of 100 ticks"); // 3 attempts per read: a 0.1 % chance a read fails
    }

    [Fact]
    public void APermanentNackMarksEverythingReadFailedAndRecoversTheBus()
    {
        var (rig, bq, chip) = I2cTestRig.Bq();
        rig.Run(200, bq.Update);
        chip.NackProbability = 1;
        rig.Run(1000, bq.Update);
        Assert.All(bq.CellStatus, s => Assert.Equal(SensorStatus.ReadFailed, s));
        Assert.Equal(SensorStatus.ReadFailed, bq.CurrentStatus);
        Assert.True(rig.Bus.RecoveryRequests >= 2);
        Assert.Equal(rig.Bus.RecoveryRequests, bq.Health.RecoveryAttempts);
        chip.NackProbability = 0;
        rig.Run(300, bq.Update);
        Assert.Equal(SensorStatus.Ok, bq.CellStatus[0]);
    }

    [Fact]
    public void AChipThatStopsConvertingGoesStaleAfterTheBoardsStaleTime()
    {
        var (rig, bq, chip) = I2cTestRig.Bq();
        rig.Run(200, bq.Update);
        chip.Stuck = true;
        rig.Run(400, bq.Update); // 500 ms stale time not yet exceeded
        Assert.Equal(SensorStatus.Ok, bq.CellStatus[0]);
        rig.Run(300, bq.Update);
        Assert.Equal(SensorStatus.Stale, bq.CellStatus[0]);
        Assert.True(float.IsNaN(bq.CellMillivolts[0]));
        Assert.True(bq.Health.StaleReadings > 0);
        chip.Stuck = false;
        rig.Run(400, bq.Update);
        Assert.Equal(SensorStatus.Ok, bq.CellStatus[0]);
    }

    [Fact]
    public void AChipThatDropsOutAndResetsIsConfiguredAgain()
    {
        var (rig, bq, chip) = I2cTestRig.Bq();
        rig.Run(200, bq.Update);
        chip.Dropout = true;
        rig.Run(500, bq.Update);
        Assert.Equal(SensorStatus.ReadFailed, bq.CellStatus[0]);
        chip.Dropout = false; // comes back with power-on defaults
        Assert.Equal(0, chip.DataMemory(Bq76952Monitor.DmVcellMode));
        rig.Run(300, bq.Update);
        Assert.Equal(SensorStatus.Ok, bq.CellStatus[0]);
        Assert.Equal(0xFFFF, chip.DataMemory(Bq76952Monitor.DmVcellMode));
        Assert.Equal(87, chip.DataMemory(Bq76952Monitor.DmCovThreshold));
        Assert.Equal(2, bq.Health.Initialisations);
    }

    [Fact]
    public void ChipProtectionTripsAboveItsOwnThresholdAsASecondLineOfDefence()
    {
        var (rig, bq, chip) = I2cTestRig.Bq();
        rig.Run(200, bq.Update);
        Assert.Equal(0, bq.SafetyStatusA & 0x08);
        chip.InputMillivolts[7] = 4420; // above COV 87 x 50.6 = 4402 mV
        rig.Run(200, bq.Update);
        Assert.Equal(0, bq.SafetyStatusA & 0x08); // read once a second, not every tick
        rig.Run(Bq76952Monitor.SafetyStatusPeriodMs, bq.Update);
        Assert.Equal(0x08, bq.SafetyStatusA & 0x08);
    }

    [Fact]
    public void WrongDeviceNumberIsRefused()
    {
        var (rig, bq, chip) = I2cTestRig.Bq();
        chip.CorruptReads = false;
        // A different chip at the address: nothing answers the subcommand protocol the same way.
        var other = new I2cTestRig();
        var s = I2cTestRig.LoadBoard("bq76952-16s").Bq76952;
        var stranger = new Simulator.Chips.Ina228Model(s.Address, 0.001, other.Clock, new System.Random(1));
        other.Bus.Attach(stranger);
        var driver = new Bq76952Monitor(other.Link(s.Address, "bq76952"), s, 500);
        Assert.False(driver.Initialise(0));
        Assert.True(driver.Health.WrongDeviceAnswers + driver.Health.CrcErrors + driver.Health.Timeouts > 0);
    }

    [Fact]
    public void ClippedCc2IsOverRangeWithTheLimit()
    {
        var (rig, bq, chip) = I2cTestRig.Bq();
        chip.CurrentA = 50; // a short: -50000 mA does not fit CC2's 16 bits, the chip reports -32768
        rig.Run(200, bq.Update);
        Assert.Equal(SensorStatus.OverRange, bq.CurrentStatus);
        Assert.Equal(32.768f, bq.CurrentA, 3); // -32768 mA x currentSign(-1)
        chip.CurrentA = 2;
        rig.Run(200, bq.Update);
        Assert.Equal(SensorStatus.Ok, bq.CurrentStatus);
    }

    [Fact]
    public void ASecondOfTicksReadsCellsStackAndCurrentInOneTransferAndSafetyStatusOnce()
    {
        var (rig, bq, chip) = I2cTestRig.Bq();
        rig.Run(2000, bq.Update); // configured, converting
        long before = chip.Transactions;
        rig.Run(1000, bq.Update);
        long perSecond = chip.Transactions - before;
        // Per tick at most: Alarm Status read, its clear, cells through CC2 (inputs 1..16: one block), the pins; and Safety
        // Status A once in the second. Separate stack/CC2 reads or a Safety Status read every tick would be 50 or more.
        Assert.InRange(perSecond, 10 * 3 + 1, 10 * 4 + 1);
        Assert.Equal(SensorStatus.Ok, bq.CellStatus[15]);
        Assert.Equal(SensorStatus.Ok, bq.CurrentStatus);
    }
}
