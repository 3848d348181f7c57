namespace SolidBms.Simulator.Physics;

/// <summary>
/// One simulated cell as the pack, rig and benchmarks see it: the equivalent circuit (<see cref="EcmCell"/>,
/// the firmware's own model structure) or the physics-based reference cell (<see cref="ReferenceCell.SpmCell"/>).
/// Current positive = discharge.
/// </summary>
public interface ISimCell
{
    /// <summary>Charge between SOC 0 and SOC 1, Ah: the truth the capacity estimate is scored against.</summary>
    double CapacityAh { get; }
    /// <summary>Multiplier on the cell's resistances (spread, ageing, a resistance-step event).</summary>
    double ResistanceScale { get; set; }
    /// <summary>True state of charge (charge-based; not clamped).</summary>
    double Soc { get; }
    double TemperatureC { get; set; }
    double TerminalMillivolts { get; }
    double InternalShortOhm { get; set; }
    /// <summary>Heat generated in the last step, W.</summary>
    double HeatWatts { get; }
    /// <summary>Charge moved through the terminals, Ah (absolute, both directions).</summary>
    double ThroughputAh { get; }
    /// <summary>The cell's instantaneous (ohmic, plus what else answers within a tick) resistance now, mOhm: the R0 truth.</summary>
    double R0MilliOhm { get; }

    void Step(double currentA, double dtSeconds, double stackPressureKpa);
}
