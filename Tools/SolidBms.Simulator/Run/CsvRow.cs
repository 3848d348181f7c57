namespace SolidBms.Simulator.Run;

/// <summary>
/// One tick's values for the run CSV, copied out of the runner so that the row can be formatted later, on another
/// thread (<see cref="CsvPipeline"/>). Sized once for the pack; filling it allocates nothing.
/// </summary>
public sealed class CsvRow
{
    public CsvRow(int cells)
    {
        CellMillivolts = new double[cells];
        CellTemperatureC = new double[cells];
        CellSoc = new double[cells];
    }

    public double TimeS, CurrentA, TrueSoc, DemandA, MeanPressureKpa;
    public float EstimatedSoc, ChargeLimitA, DischargeLimitA, R0GrowthPercentMax;
    public string State;
    public readonly string[] Faults = new string[64];
    public int FaultCount;
    public bool MainClosed;
    public int BleedingCount;
    public readonly double[] CellMillivolts, CellTemperatureC, CellSoc;
}
