namespace SolidBms.Simulator.Hardware;

/// <summary>
/// Sensor errors the scenario asks for. Standard deviations are per conversion (before the firmware's
/// oversampling); offsets and gain errors are fixed for the run.
/// </summary>
public sealed record SensorNoise
{
    /// <summary>Cell-voltage noise, mV standard deviation (referred to the cell, before the divider).</summary>
    public double CellMv { get; init; } = 2.0;
    /// <summary>Current noise, A standard deviation.</summary>
    public double CurrentA { get; init; } = 0.02;
    /// <summary>Fixed current-sensor offset, A (the coulomb counter's enemy).</summary>
    public double CurrentOffsetA { get; init; }
    /// <summary>Fixed current-sensor gain error, fraction (0.01 = reads 1 % high).</summary>
    public double CurrentGainError { get; init; }
    /// <summary>Thermistor noise, degC standard deviation.</summary>
    public double TempC { get; init; } = 0.2;
    /// <summary>Load-cell noise, kPa standard deviation.</summary>
    public double PressureKpa { get; init; } = 1.0;
}
