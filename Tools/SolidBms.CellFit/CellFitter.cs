using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SolidBms.Core.Config;
using SolidBms.Simulator;
using SolidBms.Simulator.Physics;

namespace SolidBms.CellFit;

/// <summary>
/// Builds a cell file from the tests a battery lab runs on a cycler: C/20 charge and discharge per temperature
/// (the OCV table, capacity, voltage window) and HPPC per temperature (R0 and the two RC pairs). Then replays
/// every input file through the simulator's cell with the written file and reports the voltage error.
/// Method and figures: docs/estimation.md, "Fitting a cell".
/// </summary>
public static class CellFitter
{
    /// <summary>The cell file whose non-fitted sections (thermal, pressure) a fit copies when no template is named.</summary>
    public const string DefaultTemplateName = "assb-lpscl-nmc811-li";

    /// <summary>Fits with the repository's default cell as the template for the sections C/20 and HPPC do not measure.</summary>
    public static CellFitResult Fit(string[] ocvCsvPaths, string[] hppcCsvPaths, string name)
        => Fit(ocvCsvPaths, hppcCsvPaths, name, BoardFiles.Locate().CellPath(DefaultTemplateName));

    public static CellFitResult Fit(string[] ocvCsvPaths, string[] hppcCsvPaths, string name, string templateCellPath)
        => Fit(ocvCsvPaths, hppcCsvPaths, Array.Empty<string>(), name, templateCellPath);

    /// <summary>
    /// The fit from C/20 files (<paramref name="ocvCsvPaths"/>) and any HPPC and dynamic files (at least one of the two
    /// kinds): the impedance and hysteresis of each temperature by least squares on all its HPPC and dynamic files together.
    /// </summary>
    public static CellFitResult Fit(string[] ocvCsvPaths, string[] hppcCsvPaths, string[] dynamicCsvPaths, string name, string templateCellPath)
    {
        try
        {
            return FitOrThrow(ocvCsvPaths, hppcCsvPaths ?? Array.Empty<string>(), dynamicCsvPaths ?? Array.Empty<string>(), name, templateCellPath);
        }
        catch (CellFitException e)
        {
            return CellFitResult.Refuse(e.Message);
        }
        catch (ConfigException e)
        {
            return CellFitResult.Refuse("the fitted cell file does not load: " + e.Message);
        }
    }

    private static CellFitResult FitOrThrow(string[] ocvPaths, string[] hppcPaths, string[] dynamicPaths, string name, string templatePath)
    {
        if (ocvPaths == null || ocvPaths.Length == 0) throw new CellFitException("no C/20 file (--ocv): the OCV table needs one per temperature");
        if (hppcPaths.Length + dynamicPaths.Length == 0) throw new CellFitException("no HPPC (--hppc) or dynamic (--dynamic) file: the impedance needs one per temperature");
        if (string.IsNullOrWhiteSpace(name) || name.Contains('#') || name.Contains('\n')) throw new CellFitException("the cell name must be non-empty text without '#'");
        if (!File.Exists(templatePath)) throw new CellFitException($"{templatePath}: template cell file not found");
        var notes = new List<string>();

        var ocvLogs = ocvPaths.Select(CyclerLog.Read).ToList();
        var hppcLogs = hppcPaths.Select(CyclerLog.Read).ToList();
        var dynamicLogs = dynamicPaths.Select(CyclerLog.Read).ToList();
        // Each file's own capacity first; the one nearest 25 C is the cell's, and every table is counted with it.
        var own = ocvLogs.Select(l => OcvFit.FromLog(l)).ToList();
        RequireDistinct(own.Select(o => (o.TemperatureC, o.Source)), "C/20");
        double capacity = own.OrderBy(o => Math.Abs(o.TemperatureC - 25)).First().CapacityAh;
        var ocv = ocvLogs.Select(l => OcvFit.FromLog(l, capacity)).ToList();
        int minMv = (int)Math.Round(ocv.Min(o => o.MinMillivolts));
        int maxMv = (int)Math.Round(ocv.Max(o => o.MaxMillivolts));
        foreach (var o in ocv.Where(o => o.MonotoneFixes > 0))
            notes.Add($"{o.Source}: {o.MonotoneFixes} OCV point(s) raised 0.1 mV above the one below to keep the table increasing");

        var ocvModel = OcvOnlyModel(ocv, capacity, minMv, maxMv);
        RequireDistinct(hppcLogs.Select(l => ((int)Math.Round(l.MeanTemperatureC), l.Name)), "HPPC");
        // One impedance row per temperature with HPPC or dynamic data: every such file there fitted together, with the
        // middle of the C/20 file at that temperature (its two branches pin the hysteresis).
        var temperatures = hppcLogs.Concat(dynamicLogs).Select(l => (int)Math.Round(l.MeanTemperatureC)).Distinct().OrderBy(t => t).ToList();
        var hppc = new List<HppcFit>();
        foreach (int t in temperatures)
        {
            bool At(CyclerLog l) => (int)Math.Round(l.MeanTemperatureC) == t;
            var c20 = ocvLogs.Select((l, i) => (Log: l, Ocv: ocv[i])).Where(x => Math.Abs(x.Ocv.TemperatureC - t) <= ImpedanceSocAxis.MatchTemperatureC).ToList();
            hppc.Add(HppcFit.FromLogs(hppcLogs.Where(At).ToList(), dynamicLogs.Where(At).ToList(), c20, ocvModel, capacity));
        }
        if (hppc.Count == 1) notes.Add($"impedance measured at {hppc[0].TemperatureC} C only: the file holds it constant over temperature");
        if (ocv.Count == 1) notes.Add($"OCV measured at {ocv[0].TemperatureC} C only: the file holds it constant over temperature");

        string templateText = File.ReadAllText(templatePath);
        var sources = ocvLogs.Concat(hppcLogs).Concat(dynamicLogs).Select(l => l.Name);
        var impedanceRows = hppc.OrderBy(h => h.TemperatureC).ToList(); // the file's rows run up in temperature
        var socAxis = ImpedanceSocAxis.Build(impedanceRows, ocv);
        string Write() => CellFileWriter.Write(name.Trim(), ocv, impedanceRows, socAxis, capacity, minMv, maxMv, templateText, Path.GetFileName(templatePath), sources);
        string text = Write();
        var cell = SimCellParameters.Load(text, name + ".cell");
        // The table's ends, where the branches' average is no OCV, refined on the C/20 records with the fitted impedance and
        // hysteresis; with a diffusion shift, the low end together with the shift's knee gain (DiffusionKneeFit).
        var dynamicInputs = dynamicLogs.Select(l => (l, StartSoc(ocvModel, l))).ToList();
        var inputs = ocvLogs.Select((l, i) => (l, ocv[i].InitialSoc)).Concat(hppcLogs.Select(l => (l, StartSoc(ocvModel, l)))).Concat(dynamicInputs).ToList();
        double movedMv = DiffusionKneeFit.Fit(impedanceRows, ocv, () => SimCellParameters.Load(Write(), name + ".cell"), ocvLogs, dynamicInputs, inputs);
        if (movedMv > 0)
        {
            text = Write();
            cell = SimCellParameters.Load(text, name + ".cell");
            bool withKnee = dynamicLogs.Count > 0 && impedanceRows.Any(h => !double.IsNaN(h.DiffusionTauSeconds));
            notes.Add($"OCV table below SOC {OcvEndRefinement.LowEndSoc:0.00} and above {OcvEndRefinement.HighEndSoc:0.00} refined on the C/20 records"
                + (withKnee ? " and, at the low end, the dynamic records, with the diffusion's knee gain" : "") + $" (largest move {movedMv:0} mV)");
        }

        var quality = new List<FitQuality>();
        var bySoc = new ResidualBySoc();
        for (int i = 0; i < ocvLogs.Count; i++) quality.Add(ModelReplay.Compare(ocvLogs[i], cell, ocv[i].InitialSoc, "C/20", bySoc));
        foreach (var log in hppcLogs) quality.Add(ModelReplay.Compare(log, cell, StartSoc(ocvModel, log), "HPPC", bySoc));
        foreach (var log in dynamicLogs) quality.Add(ModelReplay.Compare(log, cell, StartSoc(ocvModel, log), "dyn", bySoc));
        // The error over SOC goes into the file: how far the estimator may trust the model's voltage (docs/estimation.md).
        text = CellFileWriter.WithFitResidual(text, ResidualBySoc.SocPoints, bySoc.Row(), quality.Select(q => q.Source));
        var firmwareCell = CellModel.Load(KeyValueDocument.Parse(text, name + ".cell"));
        for (int j = 0; j < dynamicLogs.Count; j++)
        {
            int i = ocvLogs.Count + hppcLogs.Count + j; // quality rows run C/20, HPPC, dynamic
            double soc0 = StartSoc(ocvModel, dynamicLogs[j]);
            quality[i] = quality[i] with { Soc = SocReplay.Run(dynamicLogs[j], firmwareCell, SocReplay.CoulombTruth(dynamicLogs[j], soc0, capacity)) };
        }
        return new CellFitResult { CellFileText = text, Quality = quality, Ocv = ocv, Impedance = impedanceRows, SocAxis = socAxis, Notes = notes };
    }

    private static void RequireDistinct(IEnumerable<(int TemperatureC, string Source)> items, string kind)
    {
        var seen = new Dictionary<int, string>();
        foreach (var (t, source) in items)
        {
            if (seen.TryGetValue(t, out var other))
                throw new CellFitException($"{other} and {source}: two {kind} files at {t} C (one per temperature)");
            seen[t] = source;
        }
    }

    /// <summary>SOC at a record's first sample, read from its rested voltage on the OCV table (as the fit reads it).</summary>
    private static double StartSoc(CellModel ocvModel, CyclerLog log) => ocvModel.SocFromOcv((float)(log.VoltageV[0] * 1000), (float)log.MeanTemperatureC);

    /// <summary>A cell model with the fitted OCV only, to read the HPPC's starting SOC and OCV before the impedance is known.</summary>
    private static CellModel OcvOnlyModel(List<OcvFit> ocv, double capacity, int minMv, int maxMv)
    {
        var rows = ocv.OrderBy(o => o.TemperatureC).ToList();
        int n = OcvFit.SocPoints.Length;
        var table = new float[rows.Count * n];
        for (int r = 0; r < rows.Count; r++)
            for (int j = 0; j < n; j++) table[r * n + j] = (float)rows[r].OcvMillivolts[j];
        return new CellModel
        {
            Name = "ocv-only", CapacityAh = (float)capacity, MinCellMillivolts = minMv, MaxCellMillivolts = maxMv,
            SocPoints = (float[])OcvFit.SocPoints.Clone(), OcvTemperaturesC = rows.Select(o => (float)o.TemperatureC).ToArray(), OcvMillivolts = table,
        };
    }
}
