using System.IO;
using SolidBms.Cli;

namespace SolidBms.Tests;

/// <summary>A scenario that cannot run exits 2 with a message naming the key path; a good one exits 0.</summary>
public class ScenarioErrorTests
{
    private static (int Exit, string Out, string Err) Sim(string json)
    {
        string dir = Path.Combine(Path.GetTempPath(), "solidbms-scn-" + System.Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "s.json");
        File.WriteAllText(path, json);
        var o = new StringWriter();
        var e = new StringWriter();
        int exit = CliApp.Run(new[] { "sim", "--scenario", path, "--quiet" }, o, e);
        Directory.Delete(dir, true);
        return (exit, o.ToString(), e.ToString());
    }

    [Theory]
    [InlineData("""{ "name": "x", "cells": 4, "segments": [ { "durationS": 1, "rest": true } """, "not valid JSON")]
    [InlineData("""{ "name": "x", "cells": 4, "colour": "red", "segments": [ { "durationS": 1, "rest": true } ] }""", "colour: unknown key")]
    [InlineData("""{ "name": "x", "cells": 4, "segments": [ { "durationS": 1, "rest": true }, { "durationS": -5, "currentA": 1 } ] }""", "segments[1].durationS: must be between")]
    [InlineData("""{ "name": "x", "cells": 0, "segments": [ { "durationS": 1, "rest": true } ] }""", "cells: must be between 1 and 64, not 0")]
    [InlineData("""{ "name": "x", "cells": 4, "sensorNoise": { "cellMV": 1 }, "segments": [ { "durationS": 1, "rest": true } ] }""", "sensorNoise.cellMV: unknown key")]
    [InlineData("""{ "name": "x", "cells": 4, "segments": [ { "durationS": 1, "rest": true, "currentA": 2 } ] }""", "segments[0]: needs exactly one of")]
    [InlineData("""{ "name": "x", "cells": 4, "segments": [ { "durationS": 1, "cycle": "nope" } ] }""", "segments[0].cycle: file not found")]
    [InlineData("""{ "name": "x", "cells": 4, "segments": [ { "durationS": 1, "rest": true } ], "events": [ { "atS": 1, "kind": "meteor" } ] }""", "events[0].kind: unknown event kind 'meteor'")]
    [InlineData("""{ "name": "x", "cells": 4, "segments": [ { "durationS": 1, "rest": true } ], "events": [ { "atS": 1, "kind": "thermistor-open", "cell": 9 } ] }""", "events[0].cell: must be between 1 and 4")]
    [InlineData("""{ "name": "x", "cells": 40, "segments": [ { "durationS": 1, "rest": true } ] }""", "cells: board 'sim-analog-16' wires 16 cells")]
    [InlineData("""{ "name": "x", "cells": 4, "profile": "nope", "segments": [ { "durationS": 1, "rest": true } ] }""", "profile: file not found")]
    public void BadScenarioExitsTwoNamingTheKey(string json, string expected)
    {
        var (exit, stdout, stderr) = Sim(json);
        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr);
        Assert.StartsWith("error: scenario ", stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void GoodScenarioExitsZeroWithSummary()
    {
        var (exit, stdout, _) = Sim("""{ "name": "ok", "cells": 4, "segments": [ { "durationS": 60, "currentA": 1.0 } ] }""");
        Assert.Equal(0, exit);
        Assert.Contains("speedup: ", stdout);
        Assert.Contains("final state: discharge", stdout);
        Assert.Contains("faults seen: none", stdout);
    }

    [Fact]
    public void UnknownOptionAndVerbExitTwo()
    {
        var o = new StringWriter();
        var e = new StringWriter();
        Assert.Equal(2, CliApp.Run(new[] { "sim", "--scenario", "x", "--fast", "1" }, o, e));
        Assert.Contains("unknown option --fast", e.ToString());
        Assert.Equal(2, CliApp.Run(new[] { "fly" }, o, e));
    }
}
