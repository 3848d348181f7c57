namespace SolidBms.Simulator.Scenarios;

/// <summary>
/// A scenario's stated outcome ("expect" block): which fault it provokes, the state the outputs must reach,
/// whether the trip latches, and what an authorised clear at a given time leads to.
/// </summary>
public sealed class Expectation
{
    /// <summary>Fault name as in the CSV (e.g. "stackPressureLow:trip").</summary>
    public string Fault { get; init; }
    public string FinalState { get; init; }
    public bool Latches { get; init; } = true;
    /// <summary>When the test issues an authorised clear, s.</summary>
    public double? ClearAfterS { get; init; }
    public string StateAfterClear { get; init; }
    public bool NoFaults { get; init; }
    /// <summary>Largest allowed |estimated - true| pack SOC over the run, SOC points.</summary>
    public double? MaxSocErrorPoints { get; init; }
    /// <summary>An armed abuse test inhibits this fault's actuation: it must be reported, and the outputs must stay as they were.</summary>
    public bool ActuationInhibited { get; init; }
    /// <summary>The current that really flows stops within this long of the fault's report, and is still stopped at the end, ms.</summary>
    public double? CurrentStopsWithinMs { get; init; }
    /// <summary>No cell's true terminal voltage exceeds this over the run, mV.</summary>
    public double? MaxCellMillivolts { get; init; }
}
