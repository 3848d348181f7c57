using System.Collections.Generic;
using System.IO;
using System.Linq;
using SolidBms.Simulator.Run;

namespace SolidBms.Tests;

/// <summary>
/// Every fault class has a scenario in board/scenarios (fault-*.json) stating its expected outcome; each
/// runs here end to end: detected within qualification plus one tick, outputs safe within a tick, latched,
/// released only by an authorised clear after the condition has gone.
/// </summary>
public class FaultScenarioTests
{
    public static IEnumerable<object[]> Scenarios() =>
        FaultBench.ScenarioFiles(Repo.Files).Select(f => new object[] { Path.GetFileNameWithoutExtension(f) });

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void FaultScenarioMeetsItsExpectation(string name)
    {
        var result = FaultBench.Run(Repo.Files.ScenarioPath(name), Repo.Files);
        Assert.True(result.Passed, name + ": " + string.Join("; ", result.Problems)
            + $" (onset {result.Probe?.OnsetS}, detected {result.Probe?.DetectedS}, safe {result.Probe?.SafeS}, faults {string.Join(",", result.Summary.FaultsSeen.Keys)})");
    }

    [Fact]
    public void EveryFaultClassHasAScenario()
    {
        var covered = FaultBench.ScenarioFiles(Repo.Files)
            .Select(f => Simulator.Scenarios.ScenarioLoader.LoadFile(f, Repo.Files).Expect.Fault).Where(f => f != null).ToHashSet();
        var profile = Repo.AssbProfile();
        var missing = profile.All().Select(l => l.Name + ":trip")
            .Concat(new[] { "sensorCellVoltage:trip", "sensorTemperature:trip", "sensorCurrent:trip", "sensorPressure:trip",
                "prechargeFailed:trip", "contactorWelded:trip", "secondDisconnect:trip", "fuseBlown:trip", "watchdog" })
            .Where(f => !covered.Contains(f))
            .ToList();
        Assert.Empty(missing);
    }
}
