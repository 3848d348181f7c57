using System;
using SolidBms.Core.Measurement;

namespace SolidBms.Tests;

/// <summary>The supervisor's one-pass cell summary against the separate look-ups and status scans it replaces, status by status.</summary>
public class PackMeasurementTests
{
    [Fact]
    public void OnePassSummaryEqualsTheSeparateExtremesAndTheSum()
    {
        var rng = new Random(11);
        var statuses = new[] { SensorStatus.Ok, SensorStatus.Ok, SensorStatus.Ok, SensorStatus.NoData, SensorStatus.Implausible, SensorStatus.ReadFailed };
        for (int trial = 0; trial < 2000; trial++)
        {
            int n = 1 + rng.Next(16);
            var m = new PackMeasurement(n, 1);
            bool allOk = trial % 3 == 0; // a third with every reading valid, so the pack sum is a number
            for (int i = 0; i < n; i++)
            {
                m.CellMillivolts[i] = rng.Next(50) == 0 ? float.NaN : 3000f + (float)rng.NextDouble() * 1200f;
                m.CellVoltageStatus[i] = allOk ? SensorStatus.Ok : statuses[rng.Next(statuses.Length)];
                m.CellTemperatureC[i] = -20f + (float)rng.NextDouble() * 80f;
                m.CellTemperatureStatus[i] = allOk ? SensorStatus.Ok : statuses[rng.Next(statuses.Length)];
            }
            float pack = m.SummariseCells(out float minMv, out float maxMv, out float minC, out float maxC, out int badMv, out int badC);
            Assert.Equal(m.MinCellMillivolts(), minMv);
            Assert.Equal(m.MaxCellMillivolts(), maxMv);
            Assert.Equal(m.MinTemperatureC(), minC);
            Assert.Equal(m.MaxTemperatureC(), maxC);
            Assert.Equal(m.PackMillivolts(), pack);
            Assert.Equal(Array.FindIndex(m.CellVoltageStatus, st => st != SensorStatus.Ok), badMv);
            Assert.Equal(Array.FindIndex(m.CellTemperatureStatus, st => st != SensorStatus.Ok), badC);
        }
    }
}
