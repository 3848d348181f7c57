using System;

namespace SolidBms.CellFit;

/// <summary>Charge bookkeeping over a cycler log: cumulative discharged charge and runs of one current direction.</summary>
public static class Segments
{
    /// <summary>Cumulative charge discharged at each sample, Ah (+ = out of the cell). Sample k's current is held over (t[k-1], t[k]].</summary>
    public static double[] DischargedAh(CyclerLog log)
    {
        var q = new double[log.Count];
        for (int k = 1; k < log.Count; k++) q[k] = q[k - 1] + log.CurrentA[k] * (log.TimeS[k] - log.TimeS[k - 1]) / 3600.0;
        return q;
    }

    /// <summary>
    /// The longest run of samples whose current has the given sign and at least half the run's typical magnitude
    /// (so a CV taper or a rest ends it). Returns (first, last) or (-1, -1).
    /// </summary>
    public static (int First, int Last) LongestRun(CyclerLog log, int sign)
    {
        double typical = TypicalMagnitude(log, sign);
        if (typical <= 0) return (-1, -1);
        double threshold = 0.5 * typical;
        int bestFirst = -1, bestLast = -1, first = -1;
        double bestSpan = 0;
        for (int k = 0; k <= log.Count; k++)
        {
            bool on = k < log.Count && sign * log.CurrentA[k] > threshold;
            if (on && first < 0) first = k;
            if (!on && first >= 0)
            {
                double span = log.TimeS[k - 1] - log.TimeS[first];
                if (span > bestSpan) { bestSpan = span; bestFirst = first; bestLast = k - 1; }
                first = -1;
            }
        }
        return (bestFirst, bestLast);
    }

    /// <summary>Median magnitude of the currents of one sign above 1 mA, A (0 when there are none).</summary>
    public static double TypicalMagnitude(CyclerLog log, int sign)
    {
        int n = 0;
        foreach (double i in log.CurrentA) if (sign * i > 1e-3) n++;
        if (n == 0) return 0;
        var values = new double[n];
        n = 0;
        foreach (double i in log.CurrentA) if (sign * i > 1e-3) values[n++] = sign * i;
        Array.Sort(values);
        return values[n / 2];
    }
}
