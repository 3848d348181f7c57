using System;
using System.Collections.Generic;
using System.Linq;
using SolidBms.Simulator.Physics;

namespace SolidBms.CellFit;

/// <summary>
/// The diffusion's knee gain (<see cref="SolidBms.Core.Config.CellModel.DiffusionKneeGain"/>) and the OCV table's low end
/// fitted together, after stage D. Near empty the two explain the same voltage from two sides: a C/20 record's knee
/// (its shift is a thirtieth of a 1 C drive's) reads mostly the table, a drive's last percent mostly the shift. So each
/// gain tried is judged with the table's ends refined for it (<see cref="OcvEndRefinement"/>, on the C/20 records and,
/// at the low end, the dynamic records of the same temperature), and the gain kept is the one whose written file
/// reproduces the inputs best: the mean of the files' mean squared errors, every file weighing the same.
/// </summary>
public static class DiffusionKneeFit
{
    /// <summary>The knee gain's search range (0 .. this).</summary>
    public const double MaxKneeGain = 100;

    /// <summary>Rounds over every row with a shift (a row's gain moves its neighbours' files through interpolation).</summary>
    public const int Rounds = 2;

    /// <summary>
    /// Sets each shifted row's gain and leaves <paramref name="ocv"/>'s ends refined for them; <paramref name="build"/>
    /// writes the rows and tables and reads the file back. Returns the largest end move of the final refinement, mV.
    /// </summary>
    public static double Fit(List<HppcFit> rows, IReadOnlyList<OcvFit> ocv, Func<SimCellParameters> build, IReadOnlyList<CyclerLog> ocvLogs,
        IReadOnlyList<(CyclerLog Log, double StartSoc)> dynamic, IReadOnlyList<(CyclerLog Log, double StartSoc)> inputs)
    {
        var fitted = Enumerable.Range(0, rows.Count).Where(r => !double.IsNaN(rows[r].DiffusionTauSeconds)).ToList();
        if (fitted.Count == 0 || dynamic.Count == 0) return OcvEndRefinement.Refine(ocvLogs, ocv, build());
        var tables = ocv.Select(o => (double[])o.OcvMillivolts.Clone()).ToArray();
        double RefineEnds()
        {
            for (int i = 0; i < ocv.Count; i++)
            {
                Array.Copy(tables[i], ocv[i].OcvMillivolts, tables[i].Length);
                ocv[i].HysteresisSocFactor = null; // the refinement replays without them and fits them afresh
            }
            return OcvEndRefinement.Refine(ocvLogs, ocv, build(), dynamic);
        }
        double Cost()
        {
            SimCellParameters cell;
            try
            {
                RefineEnds();
                cell = build();
            }
            catch (SolidBms.Core.Config.ConfigException)
            {
                return double.PositiveInfinity; // the ends ran out of the file's range: a gain no record supports
            }
            double sum = 0;
            foreach (var (log, startSoc) in inputs)
            {
                double rms = ModelReplay.Compare(log, cell, startSoc, "").RmsMillivolts;
                sum += rms * rms;
            }
            return sum / inputs.Count;
        }
        double best = Cost();
        // Each row's gain in turn, every row again in the next round: a row's gain moves its neighbours' files too (the
        // rows are interpolated over temperature). Stage D's shift and tau stay: re-tuned here with the gain, on the A123
        // bench they moved the interpolated 25 C row and its restart from a saved state lost 0.8 points.
        for (int round = 0; round < Rounds; round++)
            foreach (int r in fitted)
            {
                var start = rows[r];
                HppcFit At(double logOnePlusGain) => start with { DiffusionKneeGain = Math.Exp(logOnePlusGain) - 1 };
                var g = ImpedanceDesign.Golden(0, Math.Log(1 + MaxKneeGain), x => { rows[r] = At(x); return new ImpedanceDesign.Fit { Sse = Cost(), Tau1 = x }; });
                rows[r] = g.Sse < best ? At(g.Tau1) : start;
                if (g.Sse < best) best = g.Sse;
            }
        return RefineEnds();
    }
}
