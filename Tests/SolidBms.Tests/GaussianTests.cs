using System;
using SolidBms.Simulator.Physics;

namespace SolidBms.Tests;

/// <summary>The simulator's noise source against the standard normal distribution's published moments and tail areas.</summary>
public class GaussianTests
{
    [Fact]
    public void ZigguratSamplesHaveTheStandardNormalMomentsAndTails()
    {
        var rng = new Random(12345);
        CheckStandardNormal(() => Gaussian.Next(rng));
    }

    [Fact]
    public void ZigguratOnTheFastGeneratorHasTheStandardNormalMomentsAndTails()
    {
        var rng = new NoiseRng(12345UL);
        CheckStandardNormal(() => Gaussian.Next(rng));
    }

    private static void CheckStandardNormal(Func<double> next)
    {
        const int n = 2_000_000;
        double sum = 0, sum2 = 0, sum4 = 0;
        int beyond1 = 0, beyond3 = 0, beyond4 = 0, positive = 0;
        for (int i = 0; i < n; i++)
        {
            double x = next();
            sum += x; sum2 += x * x; sum4 += x * x * x * x;
            double a = Math.Abs(x);
            if (a > 1) beyond1++;
            if (a > 3) beyond3++;
            if (a > 4) beyond4++;
            if (x > 0) positive++;
        }
        double mean = sum / n, variance = sum2 / n - mean * mean;
        // Tolerances are about five standard errors of each estimate at this sample size.
        Assert.InRange(mean, -0.004, 0.004);
        Assert.InRange(variance, 0.995, 1.005);
        Assert.InRange(sum4 / n, 2.96, 3.04);                     // kurtosis of a normal: 3
        Assert.InRange((double)positive / n, 0.498, 0.502);
        Assert.InRange((double)beyond1 / n, 0.31731 - 0.0017, 0.31731 + 0.0017); // 2 (1 - Phi(1))
        Assert.InRange((double)beyond3 / n, 0.0026998 - 0.00019, 0.0026998 + 0.00019);
        Assert.InRange((double)beyond4 / n, 6.334e-5 - 2.8e-5, 6.334e-5 + 2.8e-5); // the tail method beyond r = 3.44
    }

    [Fact]
    public void SameSeedSameSamples()
    {
        var a = new Random(7);
        var b = new Random(7);
        for (int i = 0; i < 1000; i++) Assert.Equal(Gaussian.Next(a), Gaussian.Next(b));
        var c = new NoiseRng(new Random(7));
        var d = new NoiseRng(new Random(7));
        for (int i = 0; i < 1000; i++) Assert.Equal(Gaussian.Next(c), Gaussian.Next(d));
    }

    [Fact]
    public void FastGeneratorMatchesThePublishedSplitMix64Sequence()
    {
        // Reference outputs of SplitMix64 seeded with 1234567 (Rosetta Code, "Pseudo-random numbers/Splitmix64").
        var rng = new NoiseRng(1234567UL);
        Assert.Equal(6457827717110365317UL, rng.NextUInt64());
        Assert.Equal(3203168211198807973UL, rng.NextUInt64());
        Assert.Equal(9817491932198370423UL, rng.NextUInt64());
    }
}
