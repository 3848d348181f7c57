using System;
using System.Globalization;
using SolidBms.Core.Util;

namespace SolidBms.Tests;

/// <summary>The firmware's own math and text helpers against the BCL they replace on the device.</summary>
public class UtilTests
{
    [Fact]
    public void ExpMatchesSystemMathAcrossTheModelRange()
    {
        for (double x = -50; x <= 50; x += 0.137)
            Assert.True(Math.Abs(FastMath.Exp(x) - Math.Exp(x)) <= 1e-12 * Math.Exp(x), $"exp({x})");
        Assert.Equal(1.0, FastMath.Exp(0));
        Assert.Equal(0.0, FastMath.Exp(-800));
        Assert.True(double.IsPositiveInfinity(FastMath.Exp(800)));
    }

    [Fact]
    public void LogAndSqrtMatchSystemMath()
    {
        for (double x = 1e-6; x < 1e7; x *= 1.37)
        {
            Assert.True(Math.Abs(FastMath.Log(x) - Math.Log(x)) <= 1e-12 * Math.Max(1, Math.Abs(Math.Log(x))), $"log({x})");
            Assert.True(Math.Abs(FastMath.Sqrt(x) - Math.Sqrt(x)) <= 1e-13 * Math.Sqrt(x), $"sqrt({x})");
        }
        Assert.True(double.IsNaN(FastMath.Log(-1)));
        Assert.True(double.IsNaN(FastMath.Sqrt(-1)));
        Assert.Equal(0.0, FastMath.Sqrt(0));
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("-12.5", -12.5)]
    [InlineData("+3.25e2", 325.0)]
    [InlineData("4199.6", 4199.6)]
    [InlineData("1E-3", 0.001)]
    [InlineData(".5", 0.5)]
    public void NumberParserReadsDecimalsLikeInvariantCulture(string text, double expected)
    {
        Assert.True(NumberParser.TryParseDouble(text, out double v));
        Assert.Equal(expected, v, 12);
        Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), v, 12);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1,5")]
    [InlineData(" 1")]
    [InlineData("1e")]
    [InlineData("abc")]
    [InlineData("1.2.3")]
    [InlineData("1e999")]
    public void NumberParserRejectsWhatIsNotANumber(string text)
    {
        Assert.False(NumberParser.TryParseDouble(text, out _));
    }

    [Fact]
    public void AsciiWriterFormatsLikeToStringAndNeverOverrunsItsBuffer()
    {
        var w = new AsciiWriter(64);
        foreach (var v in new[] { 0.0, -0.0004, 1.23456, -987.6549, 4199.95, 1e9 + 0.5 })
        {
            w.Clear();
            w.AppendFixed(v, 3);
            Assert.Equal(Math.Round(v, 3, MidpointRounding.AwayFromZero).ToString("0.000", CultureInfo.InvariantCulture).Replace("-0.000", "0.000"), w.ToText());
        }
        w.Clear();
        w.Append(long.MinValue);
        Assert.Equal(long.MinValue.ToString(CultureInfo.InvariantCulture), w.ToText());
        var small = new AsciiWriter(4);
        small.Append("123456");
        Assert.Equal("1234", small.ToText());
        Assert.True(small.Overflowed);
    }

    [Fact]
    public void InterpolationIsClampedAndExactAtBreakpoints()
    {
        float[] xs = { 0, 10, 20 };
        float[] ys = { 100, 50, 0 };
        Assert.Equal(100f, Interpolation.Lookup(xs, ys, -5));
        Assert.Equal(50f, Interpolation.Lookup(xs, ys, 10));
        Assert.Equal(25f, Interpolation.Lookup(xs, ys, 15));
        Assert.Equal(0f, Interpolation.Lookup(xs, ys, 99));
        float[] table = { 1, 2, 3, 11, 12, 13 }; // rows 0 and 10, cols 0,1,2
        Assert.Equal(7f, Interpolation.Lookup2D(new float[] { 0, 10 }, new float[] { 0, 1, 2 }, table, 5, 1), 4);
    }
}
