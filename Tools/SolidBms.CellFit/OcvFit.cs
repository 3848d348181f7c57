using System;
using System.Globalization;

namespace SolidBms.CellFit;

/// <summary>
/// The open-circuit voltage at one temperature from a low-rate (C/20) discharge and charge: at each SOC the
/// average of the two curves, which cancels the resistive drop (equal and opposite at equal current) and the
/// hysteresis (half the gap each way). SOC comes from coulomb counting from the discharge's start, which is SOC 1
/// (a C/20 discharge starts from a full, rested cell), with the capacity of the reference file (the one nearest 25 C,
/// the cell file's capacityAh): one SOC scale for every temperature, as the firmware and the simulator count
/// with one capacity. A colder file's discharge then ends above SOC 0 (its cut-off comes early: overpotential, not
/// lost capacity), and its table below that end continues the knee's slope.
/// </summary>
public sealed class OcvFit
{
    /// <summary>
    /// The SOC breakpoints of the fitted table: 0.05 steps as in the shipped cell file, 0.01 steps over the last 5 % at
    /// each end, where the curve bends sharply (the knee near empty falls hundreds of mV over a few percent).
    /// </summary>
    public static readonly float[] SocPoints =
    {
        0f, 0.01f, 0.02f, 0.03f, 0.04f, 0.05f, 0.1f, 0.15f, 0.2f, 0.25f, 0.3f, 0.35f, 0.4f, 0.45f, 0.5f, 0.55f, 0.6f, 0.65f, 0.7f,
        0.75f, 0.8f, 0.85f, 0.9f, 0.95f, 0.96f, 0.97f, 0.98f, 0.99f, 1f,
    };

    /// <summary>A rest this long right after the discharge gives the relaxed OCV at SOC 0, s.</summary>
    public const double EndRestS = 600;

    /// <summary>How far above the discharge's end the charge must have run before its curve counts, SOC (12 min at C/20).</summary>
    public const double SettleSoc = 0.01;

    /// <summary>Above this C-rate the charge/discharge average no longer stands for the OCV.</summary>
    public const double MaxCRate = 0.2;

    public string Source { get; init; }
    public int TemperatureC { get; init; }
    public double CapacityAh { get; init; }
    public double[] OcvMillivolts { get; init; }
    /// <summary>The hysteresis voltage's multipliers over <see cref="OcvEndRefinement.HysteresisSocPoints"/> (null: none), set by the ends' refinement.</summary>
    public double[] HysteresisSocFactor { get; set; }
    /// <summary>Mean half-gap between the charge and discharge curves over SOC 0.1..0.9, mV (resistance plus hysteresis).</summary>
    public double MeanHalfGapMillivolts { get; init; }
    public double MinMillivolts { get; init; }
    public double MaxMillivolts { get; init; }
    /// <summary>SOC at the log's first sample (for replaying the log through the fitted model).</summary>
    public double InitialSoc { get; init; }
    /// <summary>SOC where the discharge stopped (0 for the reference file; above 0 for a colder one) and the voltage a rest after it relaxed to, mV (NaN: no rest).</summary>
    public double EndSoc { get; init; }
    public double RelaxedEndMillivolts { get; init; }
    /// <summary>The discharge and charge curves at <see cref="SocPoints"/>, mV, and their current, A (magnitude).</summary>
    public double[] DischargeMillivolts { get; init; }
    public double[] ChargeMillivolts { get; init; }
    public double CurrentA { get; init; }
    /// <summary>Breakpoints nudged up to keep the table strictly increasing.</summary>
    public int MonotoneFixes { get; init; }

    /// <summary>The table of one file; <paramref name="referenceCapacityAh"/> NaN: the file's own discharge is the capacity.</summary>
    public static OcvFit FromLog(CyclerLog log, double referenceCapacityAh = double.NaN)
    {
        var (d0, d1) = Segments.LongestRun(log, +1);
        var (c0, c1) = Segments.LongestRun(log, -1);
        if (d0 < 0 && c0 < 0) throw new CellFitException($"{log.Name}: no current flows: not a C/20 test");
        if (d0 < 0) throw new CellFitException($"{log.Name}: one direction only: no discharge (the OCV is the average of a C/20 charge and discharge)");
        if (c0 < 0) throw new CellFitException($"{log.Name}: one direction only: no charge (the OCV is the average of a C/20 charge and discharge)");
        var q = Segments.DischargedAh(log);
        double capacity = q[d1] - q[d0 > 0 ? d0 - 1 : 0];
        double chargeAh = q[c0 > 0 ? c0 - 1 : 0] - q[c1];
        if (!(capacity > 0)) throw new CellFitException($"{log.Name}: discharge moved no charge");
        double rate = Segments.TypicalMagnitude(log, +1) / capacity;
        if (rate > MaxCRate)
            throw new CellFitException($"{log.Name}: discharge at C/{(1 / rate).ToString("0.#", CultureInfo.InvariantCulture)} is too fast for an OCV test (C/5 at most, C/20 intended)");
        if (chargeAh < 0.8 * capacity)
            throw new CellFitException($"{log.Name}: the charge covers {(100 * chargeAh / capacity).ToString("0", CultureInfo.InvariantCulture)} % of the discharge's {capacity.ToString("0.###", CultureInfo.InvariantCulture)} Ah: both directions must span the range");
        if (d1 - d0 < 20 || c1 - c0 < 20) throw new CellFitException($"{log.Name}: too few points in the discharge or charge (20 each at least)");

        // SOC by coulomb counting, 1 at the start of the discharge.
        double capacityScale = double.IsNaN(referenceCapacityAh) ? capacity : referenceCapacityAh;
        double qStart = q[d0 > 0 ? d0 - 1 : 0];
        double Soc(int k) => 1 - (q[k] - qStart) / capacityScale;
        double endSoc = Soc(d1);
        var ocv = new double[SocPoints.Length];
        var dischargeMv = new double[SocPoints.Length];
        var chargeMv = new double[SocPoints.Length];
        double gapSum = 0; int gapN = 0;
        for (int j = 0; j < SocPoints.Length; j++)
        {
            double s = SocPoints[j];
            double vd = VoltageAtSoc(log, d0, d1, Soc, s);
            double vc = VoltageAtSoc(log, c0, c1, Soc, s);
            ocv[j] = 500.0 * (vd + vc);
            dischargeMv[j] = 1000.0 * vd;
            chargeMv[j] = 1000.0 * vc;
            if (s >= 0.1 && s <= 0.9) { gapSum += 500.0 * (vc - vd); gapN++; }
        }
        // At the discharge's end the cut-off lies deep in the knee, so the average there is far off (hundreds of mV on a
        // diffusion-limited cell): a long rest after the discharge gives the relaxed voltage at that SOC instead (which
        // keeps the discharge side's hysteresis, a few mV). Just above the end the charge has only started, its
        // overpotential not yet built up, so the average reads low: up to SettleSoc above the end the table follows the
        // line from the relaxed point to the first settled one, and continues it below the end. At SOC 1 the average
        // stays: a rest after charging would carry the charge side's hysteresis, and the curve is flat there.
        double relaxedEmpty = RelaxedAfter(log, d1) * 1000;
        if (!double.IsNaN(relaxedEmpty) && endSoc > -0.001)
        {
            int settled = 0;
            while (settled < SocPoints.Length - 1 && SocPoints[settled] < endSoc + SettleSoc - 1e-6) settled++;
            double slope = (ocv[settled] - relaxedEmpty) / (SocPoints[settled] - endSoc);
            for (int j = 0; j < settled; j++) ocv[j] = relaxedEmpty + slope * (SocPoints[j] - endSoc);
        }
        int fixes = 0;
        for (int j = 1; j < ocv.Length; j++)
            if (!(ocv[j] > ocv[j - 1] + 0.05)) { ocv[j] = ocv[j - 1] + 0.1; fixes++; }
        if (fixes > SocPoints.Length / 4)
            throw new CellFitException($"{log.Name}: the averaged curve falls with SOC at {fixes} of {SocPoints.Length} points: not a charge and discharge of one cell");
        double vmin = double.MaxValue, vmax = double.MinValue;
        for (int k = 0; k < log.Count; k++) { vmin = Math.Min(vmin, log.VoltageV[k]); vmax = Math.Max(vmax, log.VoltageV[k]); }
        return new OcvFit
        {
            Source = log.Name, TemperatureC = (int)Math.Round(log.MeanTemperatureC), CapacityAh = capacity, OcvMillivolts = ocv,
            MeanHalfGapMillivolts = gapN > 0 ? gapSum / gapN : 0, MinMillivolts = vmin * 1000, MaxMillivolts = vmax * 1000,
            InitialSoc = Soc(0), MonotoneFixes = fixes,
            EndSoc = endSoc, RelaxedEndMillivolts = relaxedEmpty, DischargeMillivolts = dischargeMv, ChargeMillivolts = chargeMv, CurrentA = Segments.TypicalMagnitude(log, +1),
        };
    }

    /// <summary>Terminal voltage where a segment passes SOC s (linear between samples; the nearer end outside its range).</summary>
    private static double VoltageAtSoc(CyclerLog log, int first, int last, Func<int, double> soc, double s)
    {
        // The SOC is monotone along a one-direction segment; walk it.
        double sFirst = soc(first), sLast = soc(last);
        bool falling = sLast < sFirst;
        double lo = Math.Min(sFirst, sLast), hi = Math.Max(sFirst, sLast);
        if (s <= lo) return falling ? log.VoltageV[last] : log.VoltageV[first];
        if (s >= hi) return falling ? log.VoltageV[first] : log.VoltageV[last];
        for (int k = first; k < last; k++)
        {
            double a = soc(k), b = soc(k + 1);
            if ((a - s) * (b - s) <= 0 && a != b)
                return log.VoltageV[k] + (log.VoltageV[k + 1] - log.VoltageV[k]) * (s - a) / (b - a);
        }
        return log.VoltageV[last];
    }

    /// <summary>Voltage at the end of a rest of at least <see cref="EndRestS"/> that follows sample k (NaN if none).</summary>
    private static double RelaxedAfter(CyclerLog log, int k)
    {
        int j = k + 1;
        while (j < log.Count && Math.Abs(log.CurrentA[j]) < 1e-3) j++;
        if (j - 1 <= k || log.TimeS[j - 1] - log.TimeS[k] < EndRestS) return double.NaN;
        return log.VoltageV[j - 1];
    }
}
