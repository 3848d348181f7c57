using System.Collections.Generic;

namespace SolidBms.CellFit;

/// <summary>How well the fitted cell file reproduces one input file (the file replayed through the simulator's cell).</summary>
public sealed record FitQuality(string Source, string Kind, int TemperatureC, int Samples, double RmsMillivolts, double MaxMillivolts)
{
    /// <summary>For a dynamic file: the SOC error of the firmware's estimator replaying it with the written file (null otherwise).</summary>
    public SocScore Soc { get; init; }

    /// <summary>RMS error over the samples at SOC 0.1 and above (<see cref="ModelReplay.KneeSoc"/>), mV: the whole minus the knee near empty.</summary>
    public double RmsAboveKneeMillivolts { get; init; } = double.NaN;
}

/// <summary>
/// What <see cref="CellFitter.Fit(string[], string[], string)"/> produced: the cell-file text and its fit quality,
/// or the reason the data could not be fitted (then <see cref="Ok"/> is false and the text is null).
/// </summary>
public sealed class CellFitResult
{
    public bool Ok => RefusalReason == null;
    public string RefusalReason { get; init; }
    public string CellFileText { get; init; }
    public IReadOnlyList<FitQuality> Quality { get; init; } = new List<FitQuality>();
    public IReadOnlyList<OcvFit> Ocv { get; init; } = new List<OcvFit>();
    public IReadOnlyList<HppcFit> Impedance { get; init; } = new List<HppcFit>();
    /// <summary>The impedance's SOC axis as written, rows in <see cref="Impedance"/>'s order (null: none).</summary>
    public ImpedanceSocAxis SocAxis { get; init; }
    /// <summary>Remarks for the user (extrapolation, monotonicity fixes, what was copied from the template).</summary>
    public IReadOnlyList<string> Notes { get; init; } = new List<string>();

    public static CellFitResult Refuse(string reason) => new() { RefusalReason = reason };
}
