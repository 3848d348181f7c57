using System.Globalization;
using System.IO;
using System.Linq;
using SolidBms.CellFit;
using SolidBms.Simulator;

namespace SolidBms.Cli;

/// <summary>
/// solidbms fit-cell --ocv C20.csv [--ocv ...] [--hppc HPPC.csv ...] [--dynamic DRIVE.csv ...] --out FILE.cell [--name NAME] [--template CELL]:
/// a cell file from C/20, HPPC and dynamic cycler logs (HPPC or dynamic, at least one), with its fit quality per input file
/// and, for each dynamic file, the SOC error of the firmware's estimator replaying it (see <see cref="CellFitter"/>).
/// </summary>
public static class FitCellCommand
{
    public static int Run(CliArgs a, TextWriter stdout, TextWriter stderr)
    {
        var ocv = a.GetAll("ocv");
        var hppc = a.GetAll("hppc");
        var dynamic = a.GetAll("dynamic");
        string outPath = a.Get("out");
        string name = a.Get("name");
        string template = a.Get("template");
        a.RejectUnknown();
        if (a.Positional.Count > 0) throw new UsageException($"fit-cell takes no positional argument ('{a.Positional[0]}')");
        if (ocv.Count == 0) throw new UsageException("fit-cell needs --ocv C20.csv (a C/20 charge and discharge, one file per temperature)");
        if (hppc.Count + dynamic.Count == 0) throw new UsageException("fit-cell needs --hppc HPPC.csv or --dynamic DRIVE.csv (at least one; any number per temperature)");
        if (outPath == null) throw new UsageException("fit-cell needs --out FILE.cell");
        name ??= Path.GetFileNameWithoutExtension(outPath);
        if (template != null && !File.Exists(template))
        {
            string named = BoardFiles.Locate().CellPath(template);
            if (!File.Exists(named)) throw new UsageException($"--template: no file '{template}' and no board/cells/{template}.cell");
            template = named;
        }
        template ??= BoardFiles.Locate().CellPath(CellFitter.DefaultTemplateName);

        var result = CellFitter.Fit(ocv.ToArray(), hppc.ToArray(), dynamic.ToArray(), name, template);
        if (!result.Ok)
        {
            stderr.WriteLine($"error: fit-cell: {result.RefusalReason}");
            return 2;
        }
        File.WriteAllText(outPath, result.CellFileText);
        var c = CultureInfo.InvariantCulture;
        foreach (var o in result.Ocv)
            stdout.WriteLine(string.Format(c, "ocv   {0,4} C  {1}: capacity {2:0.000} Ah, OCV {3:0.0}..{4:0.0} mV, charge/discharge half-gap {5:0.0} mV",
                o.TemperatureC, o.Source, o.CapacityAh, o.OcvMillivolts[0], o.OcvMillivolts[^1], o.MeanHalfGapMillivolts));
        foreach (var h in result.Impedance)
            stdout.WriteLine(string.Format(c, "imp   {0,4} C  {1}: {2} pulses, {8} dynamic, R0 {3:0.00} mOhm, R1 {4:0.00} mOhm tau1 {5:0.0} s, R2 {6:0.00} mOhm tau2 {7:0} s",
                h.TemperatureC, h.Source, h.Pulses, h.R0MilliOhm, h.R1MilliOhm, h.Tau1Seconds, h.R2MilliOhm, h.Tau2Seconds, h.DynamicFiles));
        foreach (var h in result.Impedance.Where(h => !double.IsNaN(h.HysteresisRate)))
            stdout.WriteLine(string.Format(c, "hyst  {0,4} C  M {1:0.0} mV, M0 {2:0.0} mV, rate {3:0.#}", h.TemperatureC, h.HysteresisMillivolts, h.InstantHysteresisMillivolts, h.HysteresisRate));
        foreach (var h in result.Impedance.Where(h => h.R0SocFactor != null))
            stdout.WriteLine(string.Format(c, "imp   {0,4} C  R0 over SOC {1}: x {2}", h.TemperatureC, string.Join("/", HppcFit.ImpedanceSocPoints.Select(x => x.ToString("0.0", c))),
                string.Join(" ", h.R0SocFactor.Select(f => f.ToString("0.00", c)))));
        var axis = result.SocAxis;
        int knee = axis == null ? 0 : axis.SocPoints.Count(x => x < HppcFit.ImpedanceSocPoints[0] - 1e-6);
        for (int t = 0; knee > 0 && t < axis.TemperaturesC.Length; t++)
            stdout.WriteLine(string.Format(c, "c20   {0,4} C  R2 near empty, SOC {1}: x {2}", axis.TemperaturesC[t],
                string.Join("/", axis.SocPoints.Take(knee).Select(x => x.ToString("0.00", c))), string.Join(" ", axis.R2Factor[t].Take(knee).Select(f => f.ToString("0.0", c)))));
        foreach (var h in result.Impedance.Where(h => h.ChargeTransferMilliOhm > 0))
            stdout.WriteLine(string.Format(c, "imp   {0,4} C  charge transfer {1:0.00} mOhm of R0 at zero current, exchange current {2:0.000} A", h.TemperatureC, h.ChargeTransferMilliOhm, h.ExchangeCurrentA));
        foreach (var n in result.Notes) stdout.WriteLine("note: " + n);
        stdout.WriteLine("fit quality (the written file replayed through the simulator's cell on each input):");
        stdout.WriteLine("  kind  temp_c  samples  rms_mv  max_mv  rms_mv(SOC>=0.1)  file");
        foreach (var q in result.Quality)
            stdout.WriteLine(string.Format(c, "  {0,-5} {1,6} {2,8} {3,7:0.00} {4,7:0.00} {5,17:0.00}  {6}", q.Kind, q.TemperatureC, q.Samples, q.RmsMillivolts, q.MaxMillivolts, q.RmsAboveKneeMillivolts, q.Source));
        if (result.Quality.Any(q => q.Soc != null))
        {
            stdout.WriteLine("SOC replay (the firmware's estimator on each dynamic file with the written file; truth: the file's own current from its rested start):");
            stdout.WriteLine("  soc_rms  soc_max  cc_rms  cc_max  (points)  file");
            foreach (var q in result.Quality.Where(q => q.Soc != null))
                stdout.WriteLine(string.Format(c, "  {0,7:0.00} {1,8:0.00} {2,7:0.00} {3,7:0.00}            {4}", q.Soc.RmsPoints, q.Soc.MaxPoints, q.Soc.CoulombRmsPoints, q.Soc.CoulombMaxPoints, q.Source));
        }
        stdout.WriteLine($"wrote {outPath}");
        return 0;
    }
}
