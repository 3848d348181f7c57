using System.IO;
using SolidBms.Cli;

namespace SolidBms.Tests;

/// <summary>
/// Issue 21 finding 5: a bad abuse-arm (or profile-load) event is refused when the scenario loads, exit 2 with the key
/// path, before a tick runs; it used to throw when the event fired (unhandled exception, exit 134, outputs lost).
/// </summary>
public class ScenarioEventLoadTests
{
    private static (int Exit, string Out, string Err, string Csv) Sim(string events)
    {
        string dir = Path.Combine(Path.GetTempPath(), "solidbms-evload-" + System.Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "s.json"), csv = Path.Combine(dir, "run.csv");
            // A good event first, so the bad one is events[1]: the path must name the event at fault, not the first.
            File.WriteAllText(path, """{ "name": "x", "cells": 4, "segments": [ { "durationS": 20, "currentA": 0.5 } ], "events": [ """
                + """{ "atS": 1, "kind": "ambient-step", "ambientC": 26 }, """ + events + " ] }");
            var o = new StringWriter();
            var e = new StringWriter();
            int exit = CliApp.Run(new[] { "sim", "--scenario", path, "--quiet", "--csv", csv }, o, e);
            return (exit, o.ToString(), e.ToString(), File.Exists(csv) ? File.ReadAllText(csv) : null);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private const string Arm = """{ "atS": 10, "kind": "abuse-arm", """;

    [Theory]
    [InlineData(Arm + """ "test": "t", "inhibit": [ "nope" ], "expiryS": 60 }""", "events[1].inhibit[0]: unknown fault class 'nope'")]
    [InlineData(Arm + """ "test": "t", "inhibit": [ "cellOverVoltage", "CellUnderVoltage" ], "expiryS": 60 }""", "events[1].inhibit[1]: unknown fault class 'CellUnderVoltage'")]
    [InlineData(Arm + """ "test": "t", "inhibit": [ ], "expiryS": 60 }""", "events[1].inhibit: nothing to inhibit")]
    [InlineData(Arm + """ "test": "t", "inhibit": [ "shortCircuit" ], "expiryS": 60 }""", "events[1].inhibit[0]: 'shortCircuit' may not be inhibited")]
    [InlineData(Arm + """ "test": "t", "inhibit": [ "cellOverVoltage", "loopLate" ], "expiryS": 60 }""", "events[1].inhibit[1]: 'loopLate' may not be inhibited")]
    [InlineData(Arm + """ "test": "t", "inhibit": [ "sensorTemperature" ], "expiryS": 60 }""", "events[1].inhibit[0]: 'sensorTemperature' may not be inhibited")]
    [InlineData(Arm + """ "test": "t", "inhibit": [ "cellOverVoltage", "cellOverVoltage" ], "expiryS": 60 }""", "events[1].inhibit[1]: 'cellOverVoltage' is listed twice")]
    [InlineData(Arm + """ "test": "a-test-name-of-forty-characters-xxxxxxx", "inhibit": [ "cellOverVoltage" ], "expiryS": 60 }""", "events[1].test: test name must be 1..32 characters")]
    [InlineData("""{ "atS": 10, "kind": "profile-load", "profile": "no-such-profile" }""", "events[1].profile: file not found")]
    public void BadEventIsRefusedAtLoadWithItsKeyPath(string badEvent, string expected)
    {
        var (exit, stdout, stderr, csv) = Sim(badEvent);
        Assert.True(exit == 2, $"exit {exit}: {stderr}");
        Assert.StartsWith("error: scenario ", stderr);
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Equal("", stdout);
        Assert.Null(csv); // refused before the run: no output file was started
    }

    [Fact]
    public void AGoodArmingStillArmsAndInhibits()
    {
        var (exit, stdout, stderr, csv) = Sim(Arm + """ "test": "ov", "inhibit": [ "cellOverVoltage", "packOverVoltage" ], "expiryS": 5 }""");
        Assert.True(exit == 0, stderr);
        Assert.Contains("final state:", stdout);
        Assert.NotNull(csv);
    }
}
