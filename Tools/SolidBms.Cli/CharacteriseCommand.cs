using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using SolidBms.Simulator.Physics.ReferenceCell;

namespace SolidBms.Cli;

/// <summary>
/// `characterise --out DIR [--temperatures 25,10]`: the simulator's physics-based reference cell on a simulated
/// cycler (<see cref="ReferenceCellLab"/>): a C/20 discharge and charge and an HPPC per temperature, written as
/// cycler CSVs (ref-c20-25c.csv, ref-hppc-25c.csv, ...) for `fit-cell`. scripts/fit-reference-cell.sh runs both.
/// </summary>
public static class CharacteriseCommand
{
    public static int Run(CliArgs a, TextWriter stdout, TextWriter stderr)
    {
        if (a.Positional.Count != 0) throw new UsageException($"characterise: unexpected argument '{a.Positional[0]}'");
        string dir = a.Get("out") ?? throw new UsageException("characterise needs --out DIR");
        string temps = a.Get("temperatures") ?? "25,10";
        a.RejectUnknown();
        var list = new List<double>();
        foreach (var t in temps.Split(','))
        {
            if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double c) || c < -20 || c > 60)
                throw new UsageException($"--temperatures: '{t}' is not a temperature in -20..60 C");
            list.Add(c);
        }
        Directory.CreateDirectory(dir);
        var p = new SpmCellParameters();
        foreach (double t in list)
        {
            string tag = t.ToString("0", CultureInfo.InvariantCulture) + "c";
            string ocv = Path.Combine(dir, $"ref-c20-{tag}.csv"), hppc = Path.Combine(dir, $"ref-hppc-{tag}.csv");
            using (var w = new StreamWriter(ocv)) ReferenceCellLab.RunOcvTest(p, t, w);
            using (var w = new StreamWriter(hppc)) ReferenceCellLab.RunHppcTest(p, t, w);
            stdout.WriteLine($"wrote {ocv}");
            stdout.WriteLine($"wrote {hppc}");
        }
        stdout.WriteLine(string.Format(CultureInfo.InvariantCulture, "reference cell: {0:0.000} Ah between SOC 0 (x = {1:0.000}) and SOC 1 (x = {2:0.000}, OCV {3:0.000} V)",
            p.CapacityAh, p.EmptyStoichiometry, p.FullStoichiometry, p.FullOcvVolts));
        return 0;
    }
}
