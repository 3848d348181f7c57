using System;

namespace SolidBms.Simulator.Physics;

/// <summary>
/// Standard normal samples from the scenario's seeded generator (runs repeat exactly), by the ziggurat method
/// (Marsaglia and Tsang, "The Ziggurat Method for Generating Random Variables", J. Stat. Softw. 5(8), 2000; 128
/// layers): two integer draws, a table look-up and a multiply for about 99 % of samples, a logarithm or exponential
/// only in the wedges and the tail. The analog rig draws one sample per ADC conversion (136 per 16-cell tick),
/// where Box-Muller's log, sqrt and cos per sample were a quarter of a simulated tick.
/// The layer index and the sample take separate bits of the draw (Doornik, "An Improved Ziggurat Method to
/// Generate Normal Random Samples", 2005: sharing them correlates the two).
/// </summary>
public static class Gaussian
{
    private const int Layers = 128;
    private const double TailStart = 3.442619855899;         // r: where the base layer's tail begins
    private const double LayerArea = 9.91256303526217e-3;    // v: area of each layer
    private const double TwoTo31 = 2147483648.0;

    private static readonly long[] Threshold = new long[Layers]; // |hz| below it: inside the layer's rectangle
    private static readonly double[] Width = new double[Layers]; // x = hz * Width[layer]
    private static readonly double[] Height = new double[Layers]; // f(x) at the layer's right edge

    static Gaussian()
    {
        double dn = TailStart, tn = dn;
        double q = LayerArea / Math.Exp(-0.5 * dn * dn);
        Threshold[0] = (long)(dn / q * TwoTo31);
        Threshold[1] = 0;
        Width[0] = q / TwoTo31;
        Width[Layers - 1] = dn / TwoTo31;
        Height[0] = 1.0;
        Height[Layers - 1] = Math.Exp(-0.5 * dn * dn);
        for (int i = Layers - 2; i >= 1; i--)
        {
            dn = Math.Sqrt(-2.0 * Math.Log(LayerArea / dn + Math.Exp(-0.5 * dn * dn)));
            Threshold[i + 1] = (long)(dn / tn * TwoTo31);
            tn = dn;
            Height[i] = Math.Exp(-0.5 * dn * dn);
            Width[i] = dn / TwoTo31;
        }
    }

    /// <summary>
    /// Box-Muller: the pack's cell-to-cell spread is drawn with it at construction (a few draws per cell), so a seed
    /// still gives the cells it gave before the per-conversion noise moved to the ziggurat.
    /// </summary>
    public static double BoxMuller(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static double Next(Random rng)
    {
        while (true)
        {
            // Two 31-bit draws (a seeded Random's cheapest call; its NextInt64 makes three range-reduced draws):
            // 31 bits of the first and one of the second make the signed 32-bit uniform, the second's low 7 bits the layer.
            int a = rng.Next(), b = rng.Next();
            int layer = b & (Layers - 1);
            int hz = (int)(((uint)a << 1) | ((uint)b >> 30));
            if (Accept(hz, layer, out double x)) return x;
            if (layer == 0) return Tail(hz, rng, null);
            if (InWedge(layer, x, rng.NextDouble())) return x;
        }
    }

    /// <summary>The same ziggurat from one 64-bit draw of <see cref="NoiseRng"/>: the high 32 bits the sample, the low 7 the layer.</summary>
    public static double Next(NoiseRng rng)
    {
        while (true)
        {
            ulong u = rng.NextUInt64();
            int layer = (int)(u & (Layers - 1));
            int hz = (int)(u >> 32);
            if (Accept(hz, layer, out double x)) return x;
            if (layer == 0) return Tail(hz, null, rng);
            if (InWedge(layer, x, rng.NextDouble())) return x;
        }
    }

    /// <summary>The sample x = hz * width; true when it lies inside the layer's rectangle (most samples end here).</summary>
    private static bool Accept(int hz, int layer, out double x)
    {
        long signed = hz, sign = signed >> 63;
        long magnitude = (signed ^ sign) - sign; // |hz| without a branch: the sign is a coin toss the predictor misses half the time
        x = hz * Width[layer];
        return magnitude < Threshold[layer];
    }

    /// <summary>The wedge between a layer's rectangle and the curve: accept under the density.</summary>
    private static bool InWedge(int layer, double x, double uniform) =>
        Height[layer] + uniform * (Height[layer - 1] - Height[layer]) < Math.Exp(-0.5 * x * x);

    /// <summary>The tail beyond r, by Marsaglia's exponential method, with uniforms from whichever generator is given.</summary>
    private static double Tail(int hz, Random random, NoiseRng fast)
    {
        double tx, ty;
        do
        {
            tx = -Math.Log(1.0 - Uniform(random, fast)) / TailStart;
            ty = -Math.Log(1.0 - Uniform(random, fast));
        } while (ty + ty < tx * tx);
        return hz > 0 ? TailStart + tx : -TailStart - tx;
    }

    private static double Uniform(Random random, NoiseRng fast) => fast != null ? fast.NextDouble() : random.NextDouble();
}
