using System.Collections.Generic;

namespace SolidBms.Simulator.Run;

/// <summary>What a run ends with: printed by the CLI, asserted by tests.</summary>
public sealed class RunSummary
{
    public string Scenario { get; set; } = "";
    public int Cells { get; set; }
    public long Ticks { get; set; }
    public double SimulatedSeconds { get; set; }
    public double WallSeconds { get; set; }
    public double Speedup => WallSeconds > 0 ? SimulatedSeconds / WallSeconds : double.PositiveInfinity;
    public string FinalState { get; set; } = "";
    public double FinalSocTrue { get; set; }
    public double FinalSocEstimated { get; set; }
    public double MaxCellMillivolts { get; set; } = double.MinValue;
    public double MinCellMillivolts { get; set; } = double.MaxValue;
    public double MaxTemperatureC { get; set; } = double.MinValue;
    public double MaxAbsSocError { get; set; }
    public long LoopOverruns { get; set; }
    public int WatchdogResets { get; set; }
    /// <summary>Every fault name seen, with the simulated time it first appeared, s.</summary>
    public SortedDictionary<string, double> FaultsSeen { get; } = new();
    /// <summary>One line per I2C chip: transactions and failure counters (empty on an all-ADC board).</summary>
    public List<string> I2cDevices { get; } = new();
}
