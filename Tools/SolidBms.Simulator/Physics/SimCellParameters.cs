using SolidBms.Core.Config;

namespace SolidBms.Simulator.Physics;

/// <summary>
/// Everything the simulator needs about one cell: the firmware's <see cref="CellModel"/> (OCV, impedance)
/// plus the physics the firmware never sees: heat capacity and exchange, stack-pressure response, and how
/// impedance rises when the stack loses pressure. All read from the same board/cells/*.cell file.
/// </summary>
public sealed class SimCellParameters
{
    public CellModel Model { get; init; }
    public double HeatCapacityJPerK { get; init; }
    public double AmbientConductanceWPerK { get; init; }
    public double NeighbourConductanceWPerK { get; init; }
    public double SwellingKpaPerSoc { get; init; }
    public double ThermalExpansionKpaPerK { get; init; }
    public double IrreversibleGrowthKpaPerAh { get; init; }
    public double ReferenceKpa { get; init; }
    public double ContactLossKpa { get; init; }
    public double R0GrowthPerKpaBelowReference { get; init; }

    public static SimCellParameters Load(string text, string sourceName)
    {
        var doc = KeyValueDocument.Parse(text, sourceName);
        var model = CellModel.Load(doc);
        var p = new SimCellParameters
        {
            Model = model,
            HeatCapacityJPerK = doc.GetNumber("thermal", "heatCapacityJPerK", 0.01, 1e7),
            AmbientConductanceWPerK = doc.GetNumber("thermal", "ambientConductanceWPerK", 0, 1e4),
            NeighbourConductanceWPerK = doc.GetNumber("thermal", "neighbourConductanceWPerK", 0, 1e4),
            SwellingKpaPerSoc = doc.GetNumber("pressure", "swellingKpaPerSoc", -1e5, 1e5),
            ThermalExpansionKpaPerK = doc.GetNumber("pressure", "thermalExpansionKpaPerK", -1e4, 1e4),
            IrreversibleGrowthKpaPerAh = doc.GetNumber("pressure", "irreversibleGrowthKpaPerAh", 0, 1e4),
            ReferenceKpa = doc.GetNumber("pressureImpedance", "referenceKpa", 0, 1e6),
            ContactLossKpa = doc.GetNumber("pressureImpedance", "contactLossKpa", 0, 1e6),
            R0GrowthPerKpaBelowReference = doc.GetNumber("pressureImpedance", "r0GrowthPerKpaBelowReference", 0, 1),
        };
        // Inputs of the derivations above and suggestions for the profile: documentation, read by people.
        doc.MarkSectionUsed("pressure");
        doc.MarkSectionUsed("thermal");
        doc.MarkSectionUsed("limits-suggestions");
        doc.RejectUnusedKeys();
        return p;
    }

    /// <summary>
    /// R0 multiplier from stack pressure: linear growth below the reference, and three times as steep below
    /// the contact-loss pressure where voids open at the Li/electrolyte interface.
    /// </summary>
    public double R0PressureFactor(double stackPressureKpa)
    {
        double factor = 1.0;
        if (stackPressureKpa < ReferenceKpa) factor += R0GrowthPerKpaBelowReference * (ReferenceKpa - stackPressureKpa);
        if (stackPressureKpa < ContactLossKpa) factor += 3.0 * R0GrowthPerKpaBelowReference * (ContactLossKpa - stackPressureKpa);
        return factor;
    }
}
