using System;

namespace SolidBms.CellFit;

/// <summary>Small dense linear least squares by the normal equations (a handful of unknowns, many samples).</summary>
public sealed class LeastSquares
{
    private readonly int _p;
    private readonly double[,] _ata;
    private readonly double[] _atb;
    private double _yy;

    public LeastSquares(int unknowns)
    {
        _p = unknowns;
        _ata = new double[unknowns, unknowns];
        _atb = new double[unknowns];
    }

    public int Samples { get; private set; }

    public void Add(double[] x, double y)
    {
        for (int i = 0; i < _p; i++)
        {
            double xi = x[i];
            if (xi == 0) continue;
            _atb[i] += xi * y;
            for (int j = i; j < _p; j++) _ata[i, j] += xi * x[j];
        }
        _yy += y * y;
        Samples++;
    }

    /// <summary>The coefficients (NaN where the data do not determine one) and the residual sum of squares.</summary>
    public double[] Solve(out double sse)
    {
        int p = _p;
        var a = new double[p, p + 1];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++) a[i, j] = j >= i ? _ata[i, j] : _ata[j, i];
            a[i, p] = _atb[i];
        }
        // A tiny ridge keeps an unexcited unknown (say an SOC breakpoint no pulse reached) from blowing up.
        double trace = 0;
        for (int i = 0; i < p; i++) trace += a[i, i];
        double ridge = 1e-12 * (trace > 0 ? trace / p : 1);
        for (int i = 0; i < p; i++) a[i, i] += ridge;
        for (int c = 0; c < p; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < p; r++) if (Math.Abs(a[r, c]) > Math.Abs(a[pivot, c])) pivot = r;
            if (pivot != c) for (int k = 0; k <= p; k++) (a[c, k], a[pivot, k]) = (a[pivot, k], a[c, k]);
            if (Math.Abs(a[c, c]) < 1e-300) continue;
            for (int r = 0; r < p; r++)
            {
                if (r == c) continue;
                double f = a[r, c] / a[c, c];
                if (f == 0) continue;
                for (int k = c; k <= p; k++) a[r, k] -= f * a[c, k];
            }
        }
        var beta = new double[p];
        for (int i = 0; i < p; i++) beta[i] = Math.Abs(a[i, i]) < 1e-300 ? double.NaN : a[i, p] / a[i, i];
        // sse = y'y - 2 b'A'y + b'A'A b
        sse = _yy;
        for (int i = 0; i < p; i++)
        {
            if (double.IsNaN(beta[i])) continue;
            sse -= 2 * beta[i] * _atb[i];
            for (int j = 0; j < p; j++)
                if (!double.IsNaN(beta[j])) sse += beta[i] * beta[j] * (j >= i ? _ata[i, j] : _ata[j, i]);
        }
        if (sse < 0) sse = 0;
        return beta;
    }
}
