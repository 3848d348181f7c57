using System.IO;
using SolidBms.Core.Loop;
using SolidBms.Simulator.Run;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Tests;

/// <summary>The firmware, through its drivers, reacting to what the simulated pack does.</summary>
public class SafetyEndToEndTests
{
    private static ScenarioRunner Runner(string json) =>
        new(Repo.Scenario(json), Repo.Files);

    [Fact]
    public void ChargerFollowingTheLimitsFillsThePackWithoutATrip()
    {
        // A CC-CV charger on the BMS's bus: it asks for 0.9 A and takes what the charge limit allows, which
        // tapers near full (derating, predicted voltage) and is cut at the over-voltage alarm.
        var r = Runner("""{ "name": "cc", "cells": 4, "initialSoc": 0.9, "seed": 3, "segments": [ { "durationS": 7200, "currentA": -0.9 } ] }""");
        var s = r.Run(null, 1);
        Assert.DoesNotContain(s.FaultsSeen.Keys, f => f.EndsWith(":trip"));
        Assert.True(s.MaxCellMillivolts < r.Setup.Profile.CellOverVoltage.Trip, $"max cell {s.MaxCellMillivolts} mV");
        Assert.True(s.FinalSocTrue > 0.95, $"pack filled to {s.FinalSocTrue:P1}");
        Assert.True(r.Controller.ChargeLimitA < 0.9f * 0.5f, $"charge limit at the end {r.Controller.ChargeLimitA} A");
        Assert.NotEqual("safe", s.FinalState);
    }

    [Fact]
    public void OverchargeEndsSafeAndNoCellPassesTheTripByMoreThanOneTickOfCharging()
    {
        var r = new ScenarioRunner(ScenarioLoader.LoadFile(Repo.Files.ScenarioPath("overcharge"), Repo.Files), Repo.Files);
        var profile = r.Setup.Profile;
        double maxMv = 0;
        var s = r.Run(null, 1);
        foreach (var c in r.Pack.Cells) maxMv = System.Math.Max(maxMv, c.TerminalMillivolts);
        Assert.Equal("safe", s.FinalState);
        Assert.Contains(s.FaultsSeen.Keys, f => f.EndsWith(":trip"));
        // One tick of charge at 0.9 A moves a cell by well under a millivolt; the trip is checked on measured values.
        Assert.True(s.MaxCellMillivolts < profile.CellOverVoltage.Trip + 5, $"max cell {s.MaxCellMillivolts} mV");
        Assert.Equal(0, r.CurrentA);
        Assert.True(r.Rig.MainContactor.State == false && r.Rig.ChargeEnable.State == false);
    }

    [Fact]
    public void OpenThermistorTripsWithinQualificationPlusOneTick()
    {
        var r = Runner("""{ "name": "th", "cells": 4, "segments": [ { "durationS": 20, "currentA": 1.0 } ], "events": [ { "atS": 5, "kind": "thermistor-open", "cell": 2 } ] }""");
        var s = r.Run(null, 1);
        Assert.Equal("safe", s.FinalState);
        double detected = s.FaultsSeen["sensorTemperature:trip"];
        double qualify = r.Setup.Profile.SensorFaultQualifyMs / 1000.0;
        Assert.InRange(detected, 5 + qualify, 5 + qualify + 0.1 + 0.1);
        Assert.Equal(Core.Measurement.SensorStatus.Open, r.Controller.Supervisor.SensorMonitors[1].BadStatus);
        Assert.Equal(1, r.Controller.Supervisor.SensorMonitors[1].BadChannel);
    }

    [Fact]
    public void CurrentSensorDropoutIsAFaultNotAKeptValue()
    {
        var r = Runner("""{ "name": "d", "cells": 4, "segments": [ { "durationS": 10, "currentA": 1.0 } ], "events": [ { "atS": 3, "kind": "sensor-dropout", "sensor": "current" } ] }""");
        for (int i = 0; i < 32; i++) r.Step();
        Assert.True(float.IsNaN(r.Controller.Measurement.PackCurrentA), "a failed read must not keep the previous value");
        var s = r.Run(null, 1);
        Assert.Contains("sensorCurrent:trip", s.FaultsSeen.Keys);
        Assert.Equal("safe", s.FinalState);
    }

    [Fact]
    public void FixturePressureLossTripsOnLowPressure()
    {
        var r = Runner("""{ "name": "p", "cells": 4, "segments": [ { "durationS": 60, "currentA": 1.0 } ], "events": [ { "atS": 10, "kind": "pressure-step", "deltaKpa": -800 } ] }""");
        var s = r.Run(null, 1);
        Assert.Equal("safe", s.FinalState);
        Assert.Contains("stackPressureLow:trip", s.FaultsSeen.Keys);
        Assert.InRange(s.FaultsSeen["stackPressureLow:trip"], 12.0, 12.2);
    }

    [Fact]
    public void TripStaysLatchedUntilConditionClearsAndClearIsAuthorised()
    {
        var r = Runner("""{ "name": "l", "cells": 4, "segments": [ { "durationS": 30, "rest": true } ], "events": [ { "atS": 2, "kind": "thermistor-open", "cell": 1, "durationS": 5 } ] }""");
        for (int i = 0; i < 150; i++) r.Step(); // 15 s: fault came and went
        Assert.Equal(BmsState.Safe, r.Controller.State);
        Assert.True(r.Controller.TryClearTrips());
        r.Step();
        Assert.Equal(BmsState.Idle, r.Controller.State);
        Assert.True(r.Rig.Precharge.State, "closing starts with precharge");
        Assert.False(r.Rig.MainContactor.State);
        for (int i = 0; i < 20; i++) r.Step(); // 2 s: the link reaches 95 % in about 0.6 s
        Assert.True(r.Rig.MainContactor.State);
        Assert.False(r.Rig.Precharge.State);
    }

    [Fact]
    public void BadProfileIsRefusedAndTheLastGoodOneStays()
    {
        var r = Runner("""{ "name": "pr", "cells": 4, "segments": [ { "durationS": 5, "rest": true } ] }""");
        var before = r.Controller.Supervisor.Profile;
        string bad = Repo.Read("board/profiles/assb-sulfide-li-metal.profile").Replace("trip = 4300", "trip = 4100");
        Assert.False(r.Controller.TryApplyProfile(bad, "bad.profile", out string error));
        Assert.Contains("bad.profile", error);
        Assert.Same(before, r.Controller.Supervisor.Profile);
        Assert.True(r.Controller.TryApplyProfile(Repo.Read("board/profiles/liquid-nmc-graphite.profile"), "liquid", out _));
        Assert.Equal("liquid-nmc-graphite", r.Controller.Supervisor.Profile.Name);
    }

    [Fact]
    public void DefaultScenarioRunsCleanAndTracksSoc()
    {
        var scenario = ScenarioLoader.LoadFile(Repo.Files.ScenarioPath("assb-16s-dst"), Repo.Files);
        var r = new ScenarioRunner(scenario, Repo.Files);
        var s = r.Run(null, 1);
        Assert.Empty(s.FaultsSeen);
        Assert.Equal("idle", s.FinalState);
        Assert.True(s.MaxAbsSocError < 0.01, $"SOC error {s.MaxAbsSocError}");
    }
}
