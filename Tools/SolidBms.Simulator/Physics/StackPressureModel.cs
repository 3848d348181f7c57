namespace SolidBms.Simulator.Physics;

/// <summary>
/// Stack pressure of one fixture: the preload, plus reversible swelling of the Li-metal anode with SOC,
/// thermal expansion, slow irreversible growth with charge throughput, and injected steps and ramps.
/// Referenced to the scenario's starting state, at which the stack sits at its preload.
/// </summary>
public sealed class StackPressureModel
{
    private readonly SimCellParameters _p;
    private readonly double _socAtPreload;
    private readonly double _temperatureAtPreloadC;

    public StackPressureModel(SimCellParameters parameters, double preloadKpa, double socAtPreload, double temperatureAtPreloadC)
    {
        _p = parameters;
        PreloadKpa = preloadKpa;
        _socAtPreload = socAtPreload;
        _temperatureAtPreloadC = temperatureAtPreloadC;
        PressureKpa = preloadKpa;
    }

    public double PreloadKpa { get; set; }
    /// <summary>Sum of injected steps and ramps, kPa.</summary>
    public double InjectedKpa { get; set; }
    public double PressureKpa { get; private set; }

    public void Update(double meanSoc, double meanTemperatureC, double throughputAh)
    {
        double p = PreloadKpa
            + _p.SwellingKpaPerSoc * (meanSoc - _socAtPreload)
            + _p.ThermalExpansionKpaPerK * (meanTemperatureC - _temperatureAtPreloadC)
            + _p.IrreversibleGrowthKpaPerAh * throughputAh
            + InjectedKpa;
        PressureKpa = p < 0 ? 0 : p; // a fixture that has let go presses with nothing, not with less than nothing
    }
}
