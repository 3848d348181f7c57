using System;
using System.IO;
using System.Linq;
using SolidBms.Core.Measurement;
using SolidBms.Drivers.I2cFrontEnd;
using SolidBms.Simulator.Run;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Tests;

/// <summary>The simulator running the firmware through its I2C drivers, and the scenario's chip faults end to end.</summary>
public class I2cSimulationTests
{
    private static ScenarioRunner Runner(string json) =>
        new(Repo.Scenario(json), Repo.Files);

    private const string Bq16 = "\"board\": \"bq76952-16s\", \"cells\": 16";

    [Fact]
    public void DefaultScenarioReadsEveryQuantityThroughTheI2cDrivers()
    {
        var s = ScenarioLoader.LoadFile(Repo.Files.ScenarioPath("assb-16s-dst"), Repo.Files);
        Assert.Equal("bq76952-16s", s.Board);
        var r = new ScenarioRunner(s, Repo.Files);
        for (int i = 0; i < 100; i++) r.Step();
        var sensors = Assert.IsType<I2cPackSensors>(r.Controller.Sensors);
        var m = r.Controller.Measurement;
        for (int c = 0; c < 16; c++)
        {
            Assert.Equal(SensorStatus.Ok, m.CellVoltageStatus[c]);
            Assert.InRange(m.CellMillivolts[c] - r.Pack.Cells[c].TerminalMillivolts, -10, 10);
            Assert.Equal(SensorStatus.Ok, m.CellTemperatureStatus[c]);
            Assert.InRange(m.CellTemperatureC[c] - r.Pack.Cells[c].TemperatureC, -1.5, 1.5);
        }
        Assert.Equal(SensorStatus.Ok, m.PackCurrentStatus);
        Assert.Equal(SensorStatus.Ok, m.StackPressureStatus[0]);
        Assert.InRange(m.StackPressureKpa[0] - r.Pack.Stacks[0].PressureKpa, -10, 10);
        Assert.True(r.Rig.I2c.Bq.Scans > 100, "the BQ76952 model scanned");
        Assert.True(r.Rig.I2c.Nau.Conversions > 500);
        Assert.All(sensors.Health, h => Assert.Equal(0, h.TotalFailures));
    }

    [Fact]
    public void CurrentThroughTheInaMatchesTheFlowingCurrentAndItsChargeCounterAgrees()
    {
        var r = Runner("""{ "name": "i", "board": "devkitc-i2c-3", "cells": 3, "sensorNoise": { "currentA": 0 }, "segments": [ { "durationS": 5, "rest": true }, { "durationS": 60, "currentA": 1.2 } ] }""");
        var sensors = (I2cPackSensors)r.Controller.Sensors;
        for (int i = 0; i < 50; i++) r.Step();
        double startCharge = sensors.Ina.ChargeCoulomb;
        double integrated = 0;
        for (int i = 0; i < 600; i++) { r.Step(); integrated += r.CurrentA * 0.1; }
        Assert.Equal(r.CurrentA, r.Controller.Measurement.PackCurrentA, 3);
        Assert.InRange(sensors.Ina.ChargeCoulomb - startCharge - integrated, -0.2, 0.2);
    }

    [Fact]
    public void BqNackForTwoSecondsTripsTheCellVoltageSensorFault()
    {
        var r = Runner($$"""{ "name": "n", {{Bq16}}, "segments": [ { "durationS": 10, "currentA": 0.5 } ], "events": [ { "atS": 3, "kind": "i2c-nack", "device": "bq76952", "durationS": 4 } ] }""");
        var s = r.Run(null, 1000);
        Assert.Contains("sensorCellVoltage:trip", s.FaultsSeen.Keys);
        var sensors = (I2cPackSensors)r.Controller.Sensors;
        Assert.True(sensors.Bq.Health.RecoveryAttempts >= 1);
        Assert.Equal(SensorStatus.Ok, r.Controller.Measurement.CellVoltageStatus[0]); // recovered after the event
        // Every recovery is in the event log, with the chip's code (1 = BQ76952).
        var records = new SolidBms.Core.Lab.EventRecord[r.Controller.Lab.Log.Capacity];
        int n = r.Controller.Lab.Log.ReadAll(records);
        int logged = records[..n].Count(x => x.Kind == SolidBms.Core.Lab.EventKind.SensorBusRecovered && x.Code == 1);
        Assert.Equal(sensors.Bq.Health.RecoveryAttempts, logged);
    }

    [Fact]
    public void OccasionalNacksAreAbsorbedByRetries()
    {
        var r = Runner($$"""{ "name": "n", {{Bq16}}, "segments": [ { "durationS": 30, "currentA": 0.5 } ], "events": [ { "atS": 1, "kind": "i2c-nack", "device": "bq76952", "probability": 0.05 } ] }""");
        var s = r.Run(null, 1000);
        Assert.Empty(s.FaultsSeen);
        Assert.True(((I2cPackSensors)r.Controller.Sensors).Bq.Health.Nacks > 50);
    }

    [Fact]
    public void StuckLoadCellConverterTripsThePressureSensorFault()
    {
        var r = Runner($$"""{ "name": "s", {{Bq16}}, "segments": [ { "durationS": 10, "rest": true } ], "events": [ { "atS": 2, "kind": "i2c-stuck", "device": "nau7802" } ] }""");
        var s = r.Run(null, 1000);
        Assert.Contains("sensorPressure:trip", s.FaultsSeen.Keys);
        Assert.Equal(SensorStatus.Stale, r.Controller.Measurement.StackPressureStatus[0]);
        Assert.True(float.IsNaN(r.Controller.Measurement.StackPressureKpa[0]));
    }

    [Fact]
    public void CrcCorruptionIsDetectedAndNeverReachesTheMeasurement()
    {
        var r = Runner($$"""{ "name": "c", {{Bq16}}, "segments": [ { "durationS": 6, "rest": true } ], "events": [ { "atS": 2, "kind": "i2c-crc", "device": "bq76952", "durationS": 2 } ] }""");
        for (int i = 0; i < 60; i++)
        {
            r.Step();
            var m = r.Controller.Measurement;
            for (int c = 0; c < 16; c++)
                if (m.CellVoltageStatus[c] == SensorStatus.Ok)
                    Assert.InRange(m.CellMillivolts[c] - r.Pack.Cells[c].TerminalMillivolts, -15, 15); // never a corrupted value
        }
        Assert.True(((I2cPackSensors)r.Controller.Sensors).Bq.Health.CrcErrors > 3);
    }

    [Fact]
    public void CrcEventOnAChipWithoutCrcIsRefused()
    {
        var e = Assert.Throws<ScenarioException>(() => Runner($$"""{ "name": "c", {{Bq16}}, "segments": [ { "durationS": 6, "rest": true } ], "events": [ { "atS": 2, "kind": "i2c-crc", "device": "nau7802" } ] }"""));
        Assert.Contains("sends no CRC", e.Message);
        var e2 = Assert.Throws<ScenarioException>(() => Runner($$"""{ "name": "c", {{Bq16}}, "segments": [ { "durationS": 6, "rest": true } ], "events": [ { "atS": 2, "kind": "i2c-nack", "device": "ina228" } ] }"""));
        Assert.Contains("has no ina228", e2.Message);
        var e3 = Assert.Throws<ScenarioException>(() => Runner($$"""{ "name": "c", {{Bq16}}, "segments": [ { "durationS": 6, "rest": true } ], "events": [ { "atS": 2, "kind": "sensor-dropout", "sensor": "current" } ] }"""));
        Assert.Contains("read over I2C", e3.Message);
    }

    [Fact]
    public void DroppedOutChipIsReconfiguredWhenItReturns()
    {
        var r = Runner("""{ "name": "d", "board": "devkitc-i2c-3", "cells": 3, "segments": [ { "durationS": 8, "currentA": 0.5 } ], "events": [ { "atS": 2, "kind": "i2c-dropout", "device": "ina228", "durationS": 1 } ] }""");
        r.Run(null, 1000);
        var ina = ((I2cPackSensors)r.Controller.Sensors).Ina;
        Assert.Equal(SensorStatus.Ok, ina.CurrentStatus);
        Assert.Equal(2, ina.Health.Initialisations);
        Assert.Equal(1, r.Rig.I2c.Ina.Resets); // the dropout's power-on reset
    }

    [Fact]
    public void AdcRailOnACellTapIsImplausibleAndTrips()
    {
        var r = Runner("""{ "name": "a", "board": "devkitc-i2c-3", "cells": 3, "segments": [ { "durationS": 8, "rest": true } ], "events": [ { "atS": 2, "kind": "adc-rail", "sensor": "cell-voltage", "index": 2, "rail": "high" } ] }""");
        var s = r.Run(null, 1000);
        Assert.Contains("sensorCellVoltage:trip", s.FaultsSeen.Keys);
        Assert.Equal(SensorStatus.Implausible, r.Controller.Measurement.CellVoltageStatus[1]);
        var r2 = Runner("""{ "name": "a", "board": "devkitc-i2c-3", "cells": 3, "segments": [ { "durationS": 8, "rest": true } ], "events": [ { "atS": 2, "kind": "adc-rail", "sensor": "temperature", "index": 1, "rail": "low" } ] }""");
        r2.Run(null, 1000);
        Assert.Equal(SensorStatus.Short, r2.Controller.Measurement.CellTemperatureStatus[0]);
    }

    [Fact]
    public void TickOnTheI2cBoardAllocatesNothing()
    {
        AllocationTests.AssertTickAllocatesNothing(
            () => Runner($$"""{ "name": "a", {{Bq16}}, "segments": [ { "durationS": 3600, "cycle": "dst", "peakA": 1.6 } ] }"""),
            warmupTicks: 2000, measuredTicks: 3000);
    }

    [Fact]
    public void InaChargeCrossChecksTheFirmwareCoulombCounter()
    {
        var r = Runner("""{ "name": "x", "board": "devkitc-i2c-3", "cells": 3, "initialSoc": 0.9, "segments": [ { "durationS": 5, "rest": true }, { "durationS": 1800, "cycle": "dst", "peakA": 1.6 } ] }""");
        var sensors = (I2cPackSensors)r.Controller.Sensors;
        var check = new SolidBms.Drivers.Ina228.ChargeCrossCheck();
        double moved = 0;
        for (long i = 0; i < r.TotalTicks; i++)
        {
            r.Step();
            moved += System.Math.Abs(r.CurrentA) * 0.1 / 3600;
            check.Update(sensors.Ina, r.Controller.Estimator.DischargedAh);
        }
        Assert.True(check.Valid);
        Assert.True(System.Math.Abs(check.ChipAh) > 0.05, $"the chip counted {check.ChipAh} Ah");
        Assert.InRange(System.Math.Abs(check.DifferenceAh), 0, 0.005 * moved);
    }

    [Theory]
    [InlineData("devkitc-i2c-3", 3)]   // INA228 clips at its 20 A rating
    [InlineData("bq76952-16s", 16)]    // BQ76952 CC2 clips at 32.767 A
    public void ShortCircuitThroughAClippedI2cCurrentSensorTripsAtOnce(string board, int cells)
    {
        var r = Runner($$"""{ "name": "s", "board": "{{board}}", "cells": {{cells}}, "initialSoc": 0.7, "segments": [ { "durationS": 10, "rest": true }, { "durationS": 5, "currentA": 200 } ] }""");
        var s = r.Run(null, 1000);
        Assert.Contains("shortCircuit:trip", s.FaultsSeen.Keys);
        Assert.InRange(s.FaultsSeen["shortCircuit:trip"], 10.0, 10.35); // within the first ticks of the short
        Assert.Equal("safe", s.FinalState);
    }
}
