using System.Collections.Generic;
using SolidBms.Simulator.Hardware;

namespace SolidBms.Simulator.Scenarios;

/// <summary>A scenario file, parsed and checked (see docs/scenario-format.md for the contract).</summary>
public sealed class Scenario
{
    public string Name { get; init; } = "";
    public string SourcePath { get; init; } = "";
    public int Cells { get; init; }
    public int TickMs { get; init; } = 100;
    public string Board { get; init; } = "sim-analog-16";
    public string Profile { get; init; }
    public string CellFile { get; init; }
    public CellOverrides Cell { get; init; } = new();
    public double InitialSoc { get; init; } = 0.5;
    public double? EstimatorInitialSoc { get; init; }
    public double AmbientC { get; init; } = 25;
    public double StackPressureKpa { get; init; } = 1000;
    public int Seed { get => _seed; init => _seed = value; }
    private int _seed = 1;

    /// <summary>The same scenario with another seed (the pack's spread and every noise sequence drawn afresh).</summary>
    public Scenario WithSeed(int seed)
    {
        var copy = (Scenario)MemberwiseClone(); // the parsed parts are never changed after loading: sharing them is safe
        copy._seed = seed;
        return copy;
    }
    /// <summary>The charger and load ignore the enable lines: only the main contactor stops current (abuse tests).</summary>
    public bool EnableLinesIgnored { get; init; }
    /// <summary>
    /// The charger caps its current at the charge limit the BMS reports (a CC-CV charger on the BMS's bus);
    /// false for a plain supply that only the enable line or the contactor stops. Ignored with EnableLinesIgnored.
    /// </summary>
    public bool ChargerFollowsLimit { get; init; } = true;
    public SensorNoise SensorNoise { get; init; } = new();
    /// <summary>"section.key" -> value, applied to the profile text before validation (lab what-ifs).</summary>
    public Dictionary<string, string> ProfileOverrides { get; init; } = new();
    /// <summary>What the scenario is meant to show, checked by tests and `bench faults` (null: nothing stated).</summary>
    public Expectation Expect { get; init; }
    public List<Segment> Segments { get; init; } = new();
    public List<ScenarioEvent> Events { get; init; } = new();

    public double DurationS
    {
        get
        {
            double d = 0;
            foreach (var s in Segments) d += s.DurationS;
            return d;
        }
    }
}

/// <summary>Changes to the simulated ("true") cell; the firmware keeps the board's cell model.</summary>
public sealed record CellOverrides
{
    public double? CapacityAh { get; init; }
    /// <summary>Multiplies R0 and both RC resistances of every cell.</summary>
    public double ResistanceScale { get; init; } = 1.0;
    /// <summary>Cell-to-cell spread, standard deviations: capacity and resistance as fractions, SOC in SOC units.</summary>
    public double CapacitySpread { get; init; } = 0.01;
    public double ResistanceSpread { get; init; } = 0.03;
    public double SocSpread { get; init; } = 0.005;
    /// <summary>
    /// "ecm": the cell file's equivalent circuit (the firmware's own model structure); "reference": the physics-based
    /// reference cell (Physics/ReferenceCell), independent of the firmware's model.
    /// </summary>
    public string Model { get; init; } = CellModels.Ecm;
}

public static class CellModels
{
    public const string Ecm = "ecm", Reference = "reference";
    public static readonly string[] All = { Ecm, Reference };
}

public enum SegmentKind { Constant, Rest, Cycle, Csv }

public sealed class Segment
{
    public SegmentKind Kind { get; init; }
    public double DurationS { get; init; }
    /// <summary>Constant current, A, positive = discharge.</summary>
    public double CurrentA { get; init; }
    public string Cycle { get; init; }
    public double PeakA { get; init; } = 1;
    public string CsvPath { get; init; }
    public double? AmbientC { get; init; }
    /// <summary>Loaded profile for cycle and csv segments: times (s) and currents (A, already scaled).</summary>
    public CurrentTable Table { get; init; }
}

public sealed class ScenarioEvent
{
    public double AtS { get; init; }
    public string Kind { get; init; } = "";
    public int Cell { get; init; } = 1;
    public double Ohm { get; init; }
    public string Sensor { get; init; }
    public int Index { get; init; } = 1;
    public double? DurationS { get; init; }
    public double DeltaKpa { get; init; }
    public double KpaPerS { get; init; }
    public int? Stack { get; init; }
    public double AmbientC { get; init; }
    public string Profile { get; init; }
    public string Test { get; init; }
    public double Scale { get; init; } = 1;
    public double OffsetA { get; init; }
    public double CPerMin { get; init; }
    public string[] Inhibit { get; init; }
    /// <summary>i2c-* events: the chip ("bq76952", "ina228", "nau7802").</summary>
    public string Device { get; init; }
    /// <summary>i2c-nack: chance that each transaction is refused (1 = all).</summary>
    public double Probability { get; init; } = 1;
    /// <summary>adc-rail: "high" (full scale) or "low" (zero counts).</summary>
    public string Rail { get; init; }
}
