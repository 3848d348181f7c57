using System;
using SolidBms.Core.Actuation;
using SolidBms.Core.Config;
using SolidBms.Core.Hal;
using SolidBms.Core.Lab;
using SolidBms.Core.Measurement;
using SolidBms.Simulator.Hardware;
using SolidBms.Simulator.Run;

namespace SolidBms.Tests;

/// <summary>
/// The second line of defence (issue 21, finding 10): a weld that the contactor's open command cannot break is
/// answered by a second means, and, where the board has one, by the fuse, only on evidence no single sensor can fake.
/// </summary>
public class SecondLineTests
{
    private const float IdleA = 0.05f;
    private const int QualifyMs = 5000, StopWindowMs = 500, TickMs = 100;

    /// <summary>Counts the commands and can refuse to confirm (a chip that did not take it yet).</summary>
    private sealed class CountingMeans : IDisconnect
    {
        public int Calls;
        public bool Confirms = true;
        public bool Open() { Calls++; return Confirms; }
    }

    private static (SecondLineOfDefence line, CountingMeans means, CountingMeans fuse) Line()
    {
        var means = new CountingMeans();
        var fuse = new CountingMeans();
        return (new SecondLineOfDefence(means, SecondMeansSettings.Gpio, fuse, SecondMeansSettings.Gpio, QualifyMs, StopWindowMs), means, fuse);
    }

    /// <summary>Ticks from..to (ms, exclusive) with one reading; returns the first tick whose result had the bit, or -1.</summary>
    private static long Run(SecondLineOfDefence line, long fromMs, long toMs, SensorStatus status, float currentA, bool ov, int bit, bool weld = true)
    {
        for (long t = fromMs; t < toMs; t += TickMs)
            if ((line.Update(weld, status, currentA, IdleA, ov, false, t) & bit) != 0) return t;
        return -1;
    }

    [Fact]
    public void WeldVerdictCommandsTheSecondMeansEveryTickAndTheTripOutputIsNeverReleased()
    {
        var pin = new SimDigitalOutput();
        var line = new SecondLineOfDefence(new TripOutput(pin), SecondMeansSettings.Gpio, null, SecondMeansSettings.None, 0, StopWindowMs);
        Assert.Equal(-1, Run(line, 0, 1000, SensorStatus.Ok, -0.9f, false, SecondLineOfDefence.EventCommanded, weld: false));
        Assert.False(line.Engaged);
        Assert.False(pin.State);
        Assert.Equal(1000, Run(line, 1000, 1100, SensorStatus.Ok, -0.9f, false, SecondLineOfDefence.EventCommanded));
        Assert.True(pin.State);
        // The verdict going away (an authorised clear of the contactor) does not release anything.
        Run(line, 1100, 60000, SensorStatus.Ok, 0f, false, 0, weld: false);
        Assert.True(line.Engaged);
        Assert.True(pin.State);
        Assert.Equal(1, pin.Transitions); // energised once, never de-energised
    }

    [Fact]
    public void CurrentStoppingAfterTheSecondMeansIsReportedOnceAStopWindowPassesWithoutCurrent()
    {
        var (line, means, _) = Line();
        Run(line, 0, 100, SensorStatus.Ok, -0.9f, true, 0);
        Assert.Equal(1, means.Calls);
        long stopped = Run(line, 100, 5000, SensorStatus.Ok, 0.01f, true, SecondLineOfDefence.EventCurrentStopped);
        Assert.Equal(500, stopped); // no reading above idle since the verdict at 0 for the 500 ms window
        Assert.True(line.CurrentStopped);
        Assert.Equal(6, means.Calls); // re-commanded every tick, 0 to 500 ms: a front end that reset forgets
    }

    [Fact]
    public void FuseBlowsWhenTheCurrentPersistsForTheQualificationWithTheOverVoltageTripLatched()
    {
        var (line, _, fuse) = Line();
        Run(line, 0, 100, SensorStatus.Ok, -0.9f, true, 0); // the verdict at 0; its tick's reading predates the command
        long blown = Run(line, 100, 60000, SensorStatus.Ok, -0.9f, true, SecondLineOfDefence.EventFuseBlown);
        Assert.Equal(100 + QualifyMs, blown);
        Assert.True(line.FuseBlown);
        Assert.Equal(1, fuse.Calls); // driven once, not again
        Run(line, 60000, 70000, SensorStatus.Ok, -0.9f, true, 0);
        Assert.Equal(1, fuse.Calls);
    }

    [Fact]
    public void TheQualificationCountsFromWhenTheCellVoltagesConfirmTheHazard()
    {
        var (line, _, _) = Line();
        Run(line, 0, 100, SensorStatus.Ok, -0.9f, false, 0);
        // Charge current for a minute, no over-voltage trip: a current reading alone is no evidence.
        Assert.Equal(-1, Run(line, 100, 60000, SensorStatus.Ok, -0.9f, false, SecondLineOfDefence.EventFuseBlown));
        Assert.Equal(60000 + QualifyMs, Run(line, 60000, 120000, SensorStatus.Ok, -0.9f, true, SecondLineOfDefence.EventFuseBlown));
        // Discharge current with only an over-voltage trip is the wrong direction for that hazard.
        var (other, _, _) = Line();
        Run(other, 0, 100, SensorStatus.Ok, 0.9f, true, 0);
        Assert.Equal(-1, Run(other, 100, 60000, SensorStatus.Ok, 0.9f, true, SecondLineOfDefence.EventFuseBlown));
    }

    [Fact]
    public void ATransientNeverBlowsTheFuse()
    {
        var (line, _, fuse) = Line();
        Run(line, 0, 100, SensorStatus.Ok, -0.9f, true, 0);
        // Bursts of 4 s of current, each followed by a pause longer than the stop window: each burst starts afresh.
        for (long t = 100; t < 60000; t += 5000)
        {
            Run(line, t, t + 4000, SensorStatus.Ok, -0.9f, true, 0);
            Run(line, t + 4000, t + 5000, SensorStatus.Ok, 0f, true, 0);
        }
        Assert.False(line.FuseBlown);
        Assert.Equal(0, fuse.Calls);
    }

    [Fact]
    public void APulsedCurrentThroughFailedMeansStillQualifies()
    {
        var (line, _, _) = Line();
        Run(line, 0, 100, SensorStatus.Ok, -0.9f, true, 0);
        long blown = -1;
        for (long t = 100; t < 20000 && blown < 0; t += TickMs)
            if ((line.Update(true, SensorStatus.Ok, (t / 100) % 3 == 0 ? -0.9f : 0f, IdleA, true, false, t) & SecondLineOfDefence.EventFuseBlown) != 0) blown = t;
        Assert.InRange(blown, 300 + QualifyMs, 300 + QualifyMs + 300); // from the first pulse, gaps of 200 ms inside the stop window
    }

    [Fact]
    public void ACurrentSensorFaultCannotBlowTheFuseByItself()
    {
        foreach (var status in new[] { SensorStatus.ReadFailed, SensorStatus.Stale, SensorStatus.OverRange, SensorStatus.Implausible })
        {
            var (line, means, fuse) = Line();
            // The contactor's "contacts unknown" verdict (no valid reading): the second means opens (opening is harmless)...
            Run(line, 0, 60000, status, float.NaN, true, 0);
            Assert.True(line.Engaged);
            Assert.True(means.Calls > 0);
            // ...but the fuse needs valid readings: a saturated channel looks like one stuck at its rail.
            Run(line, 60000, 120000, status, -40f, true, 0);
            Assert.Equal(0, fuse.Calls);
        }
        // A current sensor offset just above idle (valid readings) with no voltage trip to confirm a hazard.
        var (offset, _, offsetFuse) = Line();
        Run(offset, 0, 600000, SensorStatus.Ok, -0.06f, false, 0);
        Assert.Equal(0, offsetFuse.Calls);
    }

    [Fact]
    public void ASensorFailureInsideTheQualificationStartsItAgain()
    {
        var (line, _, _) = Line();
        Run(line, 0, 100, SensorStatus.Ok, -0.9f, true, 0);
        Run(line, 100, 4100, SensorStatus.Ok, -0.9f, true, 0);
        Assert.Equal(-1, Run(line, 4100, 4200, SensorStatus.ReadFailed, float.NaN, true, SecondLineOfDefence.EventFuseBlown));
        Assert.Equal(4200 + QualifyMs, Run(line, 4200, 20000, SensorStatus.Ok, -0.9f, true, SecondLineOfDefence.EventFuseBlown));
    }

    [Fact]
    public void AFuseOutputThatDidNotTakeTheCommandIsAskedAgain()
    {
        var (line, _, fuse) = Line();
        fuse.Confirms = false; // an I2C write refused
        Run(line, 0, 5500, SensorStatus.Ok, -0.9f, true, 0);
        Assert.False(line.FuseBlown);
        Assert.Equal(4, fuse.Calls); // at 5100, 5200, 5300, 5400
        fuse.Confirms = true;
        Assert.Equal(5500, Run(line, 5500, 6000, SensorStatus.Ok, -0.9f, true, SecondLineOfDefence.EventFuseBlown));
    }

    // --- The contactor's own verdict while it is open ---

    private static ContactorController OpenContactor() =>
        new(new SimDigitalOutput(), null, prechargeTimeoutMs: 3000, prechargeFixedMs: 500, matchPercent: 95, weldCheckMs: 500);

    [Fact]
    public void CurrentThroughContactsThatAreOpenForFiveWeldChecksIsAWeld()
    {
        var c = OpenContactor();
        for (long t = 0; t < 3000; t += 100) c.Update(false, 16000, float.NaN, false, 0f, IdleA, t);
        Assert.Equal(ContactorState.Open, c.State);
        for (long t = 3000; t < 5500; t += 100) c.Update(false, 16000, float.NaN, false, t == 4000 ? float.NaN : 0.9f, IdleA, t);
        Assert.False(c.WeldDetected); // an unknown reading inside the run neither ends it nor counts
        c.Update(false, 16000, float.NaN, false, 0.9f, IdleA, 5500);
        Assert.True(c.WeldDetected);
        Assert.Equal(ContactorState.Failed, c.State);
    }

    [Fact]
    public void WhileOpenNoiseOnAnOffsetNearIdleAndPulsesAreNoWeld()
    {
        var c = OpenContactor();
        var rng = new Random(5);
        // A day at 10 Hz of a sensor whose zero sits 20 mA off with 20 mA of noise (readings above the 50 mA idle band
        // one time in fifteen), and a 2 s pulse every minute: neither lines up into 2.5 s of unbroken current.
        for (long t = 0; t < 86_400_000; t += 100)
        {
            float reading = t % 60000 < 2000 ? 0.9f : 0.02f + 0.02f * (float)SolidBms.Simulator.Physics.Gaussian.Next(rng);
            c.Update(false, 16000, float.NaN, false, Math.Abs(reading), IdleA, t);
        }
        Assert.False(c.WeldDetected);
        Assert.Equal(ContactorState.Open, c.State);
    }

    // --- End to end, through the firmware's loop and the simulated rig ---

    private static string WeldCharger(string board, int cells, double weldAtS, string extraEvents = "", int durationS = 60) => $$"""
        { "name": "weld", "board": "{{board}}", "cells": {{cells}}, "seed": 11, "initialSoc": 0.97, "enableLinesIgnored": true,
          "chargerFollowsLimit": false, "segments": [ { "durationS": {{durationS}}, "currentA": -0.9 } ],
          "events": [ { "atS": {{weldAtS}}, "kind": "contactor-weld" } {{extraEvents}} ] }
        """;

    private static ScenarioRunner RunToEnd(string json)
    {
        var r = new ScenarioRunner(Repo.Scenario(json), Repo.Files);
        r.Run(null, 1);
        return r;
    }

    [Fact]
    public void AWeldAfterTheContactorOpenedIsCaughtAndTheSecondMeansStopsTheCharger()
    {
        // The charge-limit trip opens the contactor at 5.9 s; the contacts weld at 10 s, already open.
        var r = RunToEnd(WeldCharger("sim-analog-16", 4, 10));
        Assert.True(r.Controller.Outputs.Contactor.WeldDetected);
        Assert.True(r.Rig.SecondPathTripped);
        Assert.Equal(0, r.CurrentA);
        Assert.InRange(r.Controller.SecondLine.EngagedAtMs, 12500, 12700); // 2.5 s of current through the open contacts
    }

    [Fact]
    public void OnTheBq76952BoardTheChipsFetsStopTheCurrentAndReadBackOff()
    {
        var r = RunToEnd(WeldCharger("bq76952-16s", 16, 1));
        Assert.False(r.Rig.I2c.Bq.ChargeFetOn);
        Assert.False(r.Rig.I2c.Bq.DischargeFetOn);
        Assert.True(r.Controller.SecondLine.DisconnectConfirmed);
        Assert.Equal(0, r.CurrentA);
        Assert.False(r.Rig.FuseBlown);
    }

    [Fact]
    public void AChipThatResetsAfterTheFetsWereOpenedIsToldAgain()
    {
        var r = new ScenarioRunner(Repo.Scenario(WeldCharger("bq76952-16s", 16, 1)), Repo.Files);
        for (int i = 0; i < 100; i++) r.Step(); // 10 s: weld verdict at 5.7 s, FETs off
        Assert.False(r.Rig.I2c.Bq.ChargeFetOn);
        r.Rig.I2c.Bq.PowerOnReset(); // a brown-out of the chip: FET_INIT_OFF is clear, the FETs come back on
        Assert.True(r.Rig.I2c.Bq.ChargeFetOn);
        for (int i = 0; i < 3; i++) r.Step();
        Assert.False(r.Rig.I2c.Bq.ChargeFetOn);
        Assert.Equal(0, r.CurrentA);
    }

    [Fact]
    public void OnABoardWithoutASecondMeansTheWeldIsReportedOnly()
    {
        var r = RunToEnd(WeldCharger("devkitc-analog-2", 2, 1));
        Assert.True(r.Controller.Outputs.Contactor.WeldDetected);
        Assert.Null(r.Controller.SecondLine);
        Assert.Equal(-0.9, r.CurrentA, 3); // the charger goes on: docs/safety.md states it for these boards
    }

    [Fact]
    public void TheEventLogRecordsTheCommandTheStopAndTheFuse()
    {
        var stop = RunToEnd(WeldCharger("sim-analog-16", 4, 1));
        var kinds = Records(stop);
        Assert.Contains(kinds, k => k.Kind == EventKind.SecondDisconnect && k.Code == (SecondMeansSettings.Gpio << 8 | 1));
        Assert.Contains(kinds, k => k.Kind == EventKind.SecondDisconnect && k.Code == (SecondMeansSettings.Gpio << 8 | 2));
        Assert.DoesNotContain(kinds, k => k.Kind == EventKind.FuseBlown);

        var fuse = RunToEnd(WeldCharger("sim-analog-16", 4, 1, """, { "atS": 0, "kind": "disconnect-fail" }""", durationS: 700));
        var records = Records(fuse);
        var blown = Array.Find(records, k => k.Kind == EventKind.FuseBlown);
        Assert.Equal(EventKind.FuseBlown, blown.Kind);
        Assert.Equal(SecondMeansSettings.Gpio, blown.Code);
        Assert.True(blown.MaxCellMillivolts >= 4250, "the record carries the readings that confirmed the hazard");
        Assert.True(fuse.Rig.FuseBlown);
        Assert.Equal(0, fuse.CurrentA);
    }

    [Fact]
    public void NothingIsClearedOnceTheSecondMeansActed()
    {
        var r = RunToEnd(WeldCharger("sim-analog-16", 4, 1));
        Assert.False(r.Controller.TryClearTrips());
        Assert.Equal(Core.Loop.BmsState.Safe, r.Controller.State);
        r.Step();
        Assert.Equal(Core.Loop.BmsState.Safe, r.Controller.State);
        Assert.True(r.Rig.SecondDisconnect.State);
    }

    [Fact]
    public void AFailedSecondMeansOnTheBq76952BoardEndsWithTheChipsFusePin()
    {
        var r = RunToEnd(WeldCharger("bq76952-16s", 16, 1, """, { "atS": 0, "kind": "disconnect-fail" }""", durationS: 700));
        Assert.True(r.Rig.I2c.Bq.FuseDriven);
        Assert.True(r.Rig.FuseBlown);
        Assert.Equal(0, r.CurrentA);
    }

    [Theory]
    [InlineData("sim-analog-16", 4)]
    [InlineData("bq76952-16s", 16)]
    public void TheEngagedSecondLineAllocatesNothing(string board, int cells)
    {
        // Past the weld verdict (about 6 s), with the means failed so the current goes on: each tick re-commands the means
        // (a GPIO, or an I2C FET Status read) and weighs the current as evidence for the fuse.
        AllocationTests.AssertTickAllocatesNothing(
            () => new ScenarioRunner(Repo.Scenario(WeldCharger(board, cells, 1, """, { "atS": 0, "kind": "disconnect-fail" }""")), Repo.Files),
            warmupTicks: 80, measuredTicks: 400);
    }

    // --- The board format ---

    private static string Board(string name) => Repo.Read($"board/boards/{name}.board");

    private static ConfigException Refused(string board, string text) =>
        Assert.Throws<ConfigException>(() => BoardConfig.Load(text, board + ".board"));

    [Fact]
    public void ShippedBoardsDeclareTheirSecondMeans()
    {
        var sim = Repo.SimBoard().SecondMeans;
        Assert.Equal(SecondMeansSettings.Gpio, sim.Disconnect);
        Assert.Equal(42, sim.DisconnectPin);
        Assert.Equal(SecondMeansSettings.Gpio, sim.Fuse);
        Assert.Equal(5000, sim.FuseQualifyMs);
        var bq = I2cTestRig.LoadBoard("bq76952-16s");
        Assert.Equal(SecondMeansSettings.Bq76952, bq.SecondMeans.Disconnect);
        Assert.Equal(SecondMeansSettings.Bq76952, bq.SecondMeans.Fuse);
        Assert.True(bq.Bq76952.HostFetControl);
        Assert.Null(I2cTestRig.LoadBoard("devkitc-i2c-3").SecondMeans);
        Assert.Null(I2cTestRig.LoadBoard("devkitc-analog-2").SecondMeans);
    }

    [Theory]
    [InlineData("disconnect = gpio", "disconnect = bq76952", "secondMeans.disconnect", "needs the BQ76952 on the board")]
    [InlineData("disconnect = gpio", "disconnect = relay", "secondMeans.disconnect", "must be none, bq76952 or gpio, not 'relay'")]
    [InlineData("fuseQualifyMs = 5000", "fuseQualifyMs = 200", "secondMeans.fuseQualifyMs", "1000")]
    [InlineData("weldCheckMs = 500", "weldCheckMs = 3000", "secondMeans.fuseQualifyMs", "at least two weld checks (2 x contactor.weldCheckMs = 6000 ms)")]
    [InlineData("disconnectPin = 42", "disconnectPin = 25", "secondMeans.disconnectPin", "GPIO 25 is already outputs.mainContactorPin")]
    [InlineData("fusePin = 43", "fusePin = 42", "secondMeans.fusePin", "GPIO 42 is already secondMeans.disconnectPin")]
    [InlineData("fuse = gpio", "fuse = none", "secondMeans.fusePin", "only for fuse = gpio")]
    [InlineData("disconnectPin = 42", "", "secondMeans.disconnectPin", "missing")]
    [InlineData("pins = 4, 5,", "pins = 43, 5,", "balancing.pins", "GPIO 43 is already secondMeans.fusePin")]
    public void AnalogBoardMistakesAreRefusedNamingTheKey(string replace, string with, string key, string reason)
    {
        string text = Board("sim-analog-16");
        Assert.Contains(replace, text);
        var e = Refused("sim-analog-16", text.Replace(replace, with));
        Assert.Equal(key, e.Key);
        Assert.Contains(reason, e.Reason);
    }

    [Fact]
    public void ABq76952BoardMayNotNameAPinForTheChipsMeansNorDeclareNothing()
    {
        string text = Board("bq76952-16s");
        var e = Refused("bq76952-16s", text.Replace("disconnect = bq76952", "disconnect = bq76952\ndisconnectPin = 33"));
        Assert.Equal("secondMeans.disconnectPin", e.Key);
        e = Refused("bq76952-16s", text.Replace("disconnect = bq76952", "disconnect = none").Replace("fuse = bq76952", "fuse = none").Replace("fuseQualifyMs = 5000", ""));
        Assert.Contains("neither a disconnect nor a fuse", e.Reason);
        e = Refused("bq76952-16s", text.Replace("fuse = bq76952", "fuse = gpio\nfusePin = 21"));
        Assert.Equal("GPIO 21 is already i2c.sdaPin", e.Reason);
    }

    [Fact]
    public void AScenarioCannotFailASecondMeansTheBoardDoesNotHave()
    {
        var e = Assert.Throws<Simulator.Scenarios.ScenarioException>(() =>
            new ScenarioRunner(Repo.Scenario(WeldCharger("devkitc-analog-2", 2, 1, """, { "atS": 0, "kind": "disconnect-fail" }""")), Repo.Files));
        Assert.Contains("declares no second disconnect", e.Message);
    }

    // --- The BQ76952 driver's side, register by register ---

    [Fact]
    public void TheDriverEnablesHostFetControlAndAllFetsOffIsReadBackFromFetStatus()
    {
        var (rig, bq, chip) = I2cTestRig.Bq();
        Assert.True(rig.Board.Bq76952.HostFetControl);
        Assert.True(bq.Initialise(rig.Clock.NowMilliseconds));
        Assert.Equal(Drivers.Bq76952.Bq76952Monitor.FetOptionsHostControl, chip.DataMemory(Drivers.Bq76952.Bq76952Monitor.DmFetOptions));
        Assert.True(chip.ChargeFetOn && chip.DischargeFetOn);
        var fets = new Drivers.Bq76952.Bq76952SecondMeans(bq, fuse: false);
        Assert.False(fets.Open()); // FET Status read them on: ALL_FETS_OFF sent, not yet confirmed
        Assert.False(chip.ChargeFetOn || chip.DischargeFetOn);
        Assert.True(fets.Open());  // read back off, nothing sent again
    }

    [Fact]
    public void WithoutHostFetEnTheChipIgnoresTheCommandAndTheDriverNeverClaimsTheFetsOpen()
    {
        var (rig, bq, chip) = I2cTestRig.Bq();
        rig.Board.Bq76952.HostFetControl = false; // a board that does not declare the chip's FETs: FET Options left alone
        Assert.True(bq.Initialise(rig.Clock.NowMilliseconds));
        WriteFetOptions(rig, chip, 0x09); // a chip whose OTP cleared HOST_FET_EN
        var fets = new Drivers.Bq76952.Bq76952SecondMeans(bq, fuse: false);
        for (int i = 0; i < 5; i++) Assert.False(fets.Open());
        Assert.True(chip.ChargeFetOn);
    }

    [Fact]
    public void TheFusePinIsToggledOnceAndNeverReleased()
    {
        var (rig, bq, chip) = I2cTestRig.Bq();
        rig.Run(200, bq.Update);
        var fuse = new Drivers.Bq76952.Bq76952SecondMeans(bq, fuse: true);
        Assert.True(fuse.Open());
        Assert.True(chip.FuseDriven);
        for (int i = 0; i < 30; i++) { rig.Run(100, bq.Update); Assert.True(fuse.Open()); } // Battery Status[FUSE] catches up after a second
        Assert.True(chip.FuseDriven);
        // The ESP32 restarts with the pin still driven: a new driver sees Battery Status[FUSE] and does not toggle it off.
        var restarted = new Drivers.Bq76952.Bq76952Monitor(rig.Link(rig.Board.Bq76952.Address, "bq76952"), rig.Board.Bq76952, 500);
        Assert.True(new Drivers.Bq76952.Bq76952SecondMeans(restarted, fuse: true).Open());
        Assert.True(chip.FuseDriven);
    }

    /// <summary>Writes Settings:FET:FET Options as bqStudio would (CONFIG_UPDATE, data-memory write, exit).</summary>
    private static void WriteFetOptions(I2cTestRig rig, Simulator.Chips.Bq76952Model chip, int value)
    {
        var link = rig.Link(rig.Board.Bq76952.Address, "tool");
        var io = new Drivers.Bq76952.Bq76952Protocol(link, rig.Board.Bq76952.Crc);
        io.WriteDirect(0x3E, new byte[] { 0x90, 0x00 }, 2);
        var block = new byte[] { 0x08, 0x93, (byte)value };
        io.WriteDirect(0x3E, block, 3);
        io.WriteDirect(0x60, new byte[] { Drivers.Bq76952.Bq76952Protocol.Checksum(block, 3), 5 }, 2);
        io.WriteDirect(0x3E, new byte[] { 0x92, 0x00 }, 2);
        Assert.Equal(value, chip.DataMemory(Drivers.Bq76952.Bq76952Monitor.DmFetOptions));
    }

    private static EventRecord[] Records(ScenarioRunner r)
    {
        var all = new EventRecord[r.Controller.Lab.Log.Capacity];
        int n = r.Controller.Lab.Log.ReadAll(all);
        return all[..n];
    }
}
