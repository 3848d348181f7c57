using System;
using SolidBms.Simulator.Physics;

namespace SolidBms.CellFit;

/// <summary>
/// Runs a cycler log's current through the simulator's cell (<see cref="EcmCell"/>) built from a cell file and
/// compares the terminal voltage with the recorded one: the fit-quality figures are what the file does in the
/// simulator, not what the fitter believes.
/// </summary>
public static class ModelReplay
{
    /// <summary>The SOC above which the fit quality is also reported on its own: below it lies the knee near empty.</summary>
    public const double KneeSoc = 0.1;

    public static FitQuality Compare(CyclerLog log, SimCellParameters cell, double initialSoc, string kind, ResidualBySoc bySoc = null)
    {
        double sum = 0, max = 0, upperSum = 0;
        int upper = 0;
        Run(log, cell, initialSoc, (k, ecm) =>
        {
            double e = ecm.TerminalMillivolts - log.VoltageV[k] * 1000;
            sum += e * e;
            if (ecm.Soc >= KneeSoc) { upperSum += e * e; upper++; }
            bySoc?.Add(ecm.Soc, e);
            max = Math.Max(max, Math.Abs(e));
        });
        bySoc?.EndRecord(kind != "C/20");
        return new FitQuality(log.Name, kind, (int)Math.Round(log.MeanTemperatureC), log.Count, Math.Sqrt(sum / log.Count), max)
        {
            RmsAboveKneeMillivolts = upper > 0 ? Math.Sqrt(upperSum / upper) : double.NaN,
        };
    }

    /// <summary>
    /// Steps the simulator's cell through a log's current from <paramref name="initialSoc"/> (the first row is the start:
    /// no current, no time) and hands each row's index and the cell after its step to <paramref name="row"/>.
    /// </summary>
    public static void Run(CyclerLog log, SimCellParameters cell, double initialSoc, Action<int, EcmCell> row)
    {
        var ecm = new EcmCell(cell, cell.Model.CapacityAh, 1.0, initialSoc, log.TemperatureC[0]);
        for (int k = 0; k < log.Count; k++)
        {
            ecm.TemperatureC = log.TemperatureC[k];
            double dt = k == 0 ? 0 : log.TimeS[k] - log.TimeS[k - 1];
            ecm.Step(k == 0 ? 0 : log.CurrentA[k], dt, cell.ReferenceKpa);
            row(k, ecm);
        }
    }
}
