using System;
using System.Collections.Generic;
using System.Globalization;
using SolidBms.Core.Config;
using SolidBms.Core.Measurement;
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
    public void IsBadIsNaNOrInfinityAndNothingElse()
    {
        foreach (float f in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, float.Epsilon, -float.Epsilon,
                     float.MaxValue, float.MinValue, 1e-38f, 3.7f, -4200f })
            Assert.Equal(float.IsNaN(f) || float.IsInfinity(f), FastMath.IsBad(f));
        foreach (double d in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, double.Epsilon,
                     double.MaxValue, double.MinValue, 1e-308, 3.7, -4200.0 })
            Assert.Equal(double.IsNaN(d) || double.IsInfinity(d), FastMath.IsBad(d));
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
        // Every decimals count, both sides of the 32-bit fast path (2^31 units) and of a rounding carry.
        var rng = new Random(5);
        for (int decimals = 0; decimals <= 6; decimals++)
            foreach (var v in new[] { 0.0, 0.25, 9.9999999, -12.34567, 214748.3647, 214748.36471, 2147483.6474, 3.0e9, -4.2e12, rng.NextDouble() * 5000 })
            {
                w.Clear();
                w.AppendFixed(v, decimals);
                string expected = Math.Round((decimal)v, decimals, MidpointRounding.AwayFromZero).ToString("F" + decimals, CultureInfo.InvariantCulture);
                if (decimal.Parse(expected, CultureInfo.InvariantCulture) == 0) expected = expected.TrimStart('-');
                Assert.Equal(expected, w.ToText());
            }
        w.Clear();
        w.Append(long.MinValue);
        Assert.Equal(long.MinValue.ToString(CultureInfo.InvariantCulture), w.ToText());
        var small = new AsciiWriter(4);
        small.Append("123456");
        Assert.Equal("1234", small.ToText());
        Assert.True(small.Overflowed);
        var exact = new AsciiWriter(6); // a word that fills the buffer to the byte is not an overflow
        exact.Append("ab");
        exact.Append("cdef");
        Assert.Equal("abcdef", exact.ToText());
        Assert.False(exact.Overflowed);
        exact.Append("g");
        Assert.True(exact.Overflowed);
        Assert.Equal("abcdef", exact.ToText());
    }

    [Fact]
    public void AsciiWriterIntegersMatchToStringAcrossTheIntAndLongPaths()
    {
        var w = new AsciiWriter(32);
        foreach (long v in new long[] { 0, 7, -7, 10, 99999, -123456789, int.MaxValue, int.MinValue, (long)int.MaxValue + 1,
                     (long)int.MinValue - 1, 98765432101234L, long.MaxValue, long.MinValue })
        {
            w.Clear();
            w.Append(v);
            Assert.Equal(v.ToString(CultureInfo.InvariantCulture), w.ToText());
            if (v < int.MinValue || v > int.MaxValue) continue;
            w.Clear();
            w.Append((int)v);
            Assert.Equal(v.ToString(CultureInfo.InvariantCulture), w.ToText());
        }
        // Fixed-point over every digit count and pair, both signs, against decimal rounding.
        for (int decimals = 0; decimals <= 4; decimals++)
            for (double m = 0.00003; m < 123456.0; m = m * 1.013 + 0.0000137)
                foreach (double v in new[] { m, -m })
                {
                    w.Clear();
                    w.AppendFixed(v, decimals);
                    string expected = Math.Round((decimal)v, decimals, MidpointRounding.AwayFromZero).ToString("F" + decimals, CultureInfo.InvariantCulture);
                    if (decimal.Parse(expected, CultureInfo.InvariantCulture) == 0) expected = expected.TrimStart('-');
                    Assert.Equal(expected, w.ToText());
                }
        // Every digit count and every pair of the two-digits-a-step path, against ToString.
        for (int v = -1000; v <= 1_000_000; v += v < 100_000 ? 1 : 997)
        {
            w.Clear();
            w.Append(v);
            Assert.Equal(v.ToString(CultureInfo.InvariantCulture), w.ToText());
        }
        // Digits that do not fit stop at the buffer's end, as bytes appended one by one would.
        var small = new AsciiWriter(3);
        small.Append(-12345);
        Assert.Equal("-12", small.ToText());
        Assert.True(small.Overflowed);
        var tight = new AsciiWriter(5);
        tight.AppendFixed(1.23456, 4); // "1.2346" needs 6 bytes
        Assert.Equal("1.234", tight.ToText());
        Assert.True(tight.Overflowed);
    }

    [Fact]
    public void AppendReadingsWritesWhatTheFieldByFieldWriterWrites()
    {
        // The telemetry frame's groups through AppendReadings must be byte for byte what ',' or AppendCommaRounded a field
        // wrote before it (a rounding edge that moved would be a protocol change): every digit count and pair, both signs,
        // the rounding edges, the fast path's limits, NaN, infinities, bad statuses, and buffers that end mid-group.
        var values = new List<float>();
        for (int v = -1000; v <= 120_000; v += v < 20_000 ? 1 : 7) values.Add(v);
        foreach (float edge in new[] { -0.5f, -0.49999997f, -0.5000001f, 0.49999997f, 0.5f, 9.5f, 99.5f, 999.5f, 9999.5f, 99999.49f,
                     99999.5f, 99999.51f, 2e9f, -2e9f, 3e9f, -3e9f, 1e30f, -1e30f, float.MaxValue, float.MinValue, float.Epsilon,
                     float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            values.Add(edge);
        var rng = new Random(20);
        for (int k = 0; k < 20_000; k++)
        {
            float whole = rng.Next(-300, 100_500);
            values.Add(whole + 0.5f); // a tie, rounded away from zero
            values.Add(whole + (float)rng.NextDouble());
            values.Add(BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(whole + 0.5f) + rng.Next(-2, 3))); // beside the tie
        }
        var statuses = new[] { SensorStatus.Ok, SensorStatus.Ok, SensorStatus.Ok, SensorStatus.NoData, SensorStatus.Implausible, SensorStatus.OverRange };
        foreach (float scale in new[] { 1f, 10f, 1000f, 0.1f })
            foreach (int capacity in new[] { 3, 17, 64, 400 })
                for (int start = 0; start + 16 <= values.Count; start += 13)
                {
                    float[] group = values.GetRange(start, 16).ToArray();
                    var status = new SensorStatus[16];
                    for (int i = 0; i < 16; i++) status[i] = statuses[(start + i * 5) % statuses.Length];
                    int count = 1 + (start % 16);
                    var fast = new AsciiWriter(capacity);
                    var reference = new AsciiWriter(capacity);
                    fast.Append("x");
                    reference.Append("x");
                    fast.AppendReadings(group, status, count, scale);
                    for (int i = 0; i < count; i++)
                    {
                        float v = group[i];
                        if (status[i] != SensorStatus.Ok || float.IsNaN(v) || float.IsInfinity(v)) reference.Append(',');
                        else reference.AppendCommaRounded((double)v * scale);
                    }
                    Assert.Equal(reference.ToText(), fast.ToText());
                    Assert.Equal(reference.Overflowed, fast.Overflowed);
                }
        // And the numbers themselves, against decimal rounding half away from zero.
        var w = new AsciiWriter(16);
        foreach (float v in new[] { 0f, 0.5f, 9.49f, 9.5f, 99.5f, 4199.5f, 12345.4f, 99999.4f, -3.5f, -253.25f, 123456.5f })
        {
            w.Clear();
            w.AppendReadings(new[] { v }, new[] { SensorStatus.Ok }, 1, 1f);
            Assert.Equal("," + Math.Round((decimal)v, 0, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture), w.ToText());
        }
    }

    [Fact]
    public void Crc16TableMatchesTheBitwiseDefinitionAtAnyOffset()
    {
        var rng = new Random(99);
        var data = new byte[300];
        rng.NextBytes(data);
        for (int offset = 0; offset < 40; offset += 7)
            for (int count = 0; count < 260; count += 37)
            {
                int crc = 0xFFFF; // CRC-16/MODBUS bit by bit: reflected polynomial 0xA001
                for (int i = offset; i < offset + count; i++)
                {
                    crc ^= data[i];
                    for (int bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1;
                }
                Assert.Equal((ushort)crc, Crc16.Compute(data, offset, count));
            }
    }

    [Fact]
    public void OneLocateLookUpsEqualTheSingleLookUps()
    {
        var cell = Repo.AssbCell();
        var withSoc = Repo.AssbCell(); // SOC multipliers per temperature row on four points of their own, one table absent
        withSoc.ImpedanceSocPoints = new[] { 0f, 0.3f, 0.7f, 1f };
        int rows = withSoc.ImpedanceTemperaturesC.Length;
        withSoc.R0SocFactor = new float[rows * 4];
        withSoc.R2SocFactor = new float[rows * 4];
        for (int k = 0; k < rows * 4; k++) { withSoc.R0SocFactor[k] = 1f + 0.13f * (k % 5); withSoc.R2SocFactor[k] = 2f - 0.07f * (k % 7); }
        foreach (float t in new[] { -30f, 0f, 12.3f, 25f, 44.9f, 80f })
        {
            cell.ImpedanceAt(t, out float r0, out float r1, out float tau1, out float r2, out float tau2);
            Assert.Equal(cell.R0MilliOhmAt(t), r0);
            Assert.Equal(cell.R1MilliOhmAt(t), r1);
            Assert.Equal(cell.Tau1SecondsAt(t), tau1);
            Assert.Equal(cell.R2MilliOhmAt(t), r2);
            Assert.Equal(cell.Tau2SecondsAt(t), tau2);
            cell.ChargeTransferAt(t, out float ct, out float halfInvI0);
            Assert.Equal(cell.ChargeTransferFractionAt(t), ct);
            Assert.Equal(cell.HalfInverseExchangeCurrentAt(t), halfInvI0);
            var nonlinear = Repo.AssbCell(); // with charge-transfer tables, so the located path is the one compared
            nonlinear.ChargeTransferMilliOhm = Array.ConvertAll(nonlinear.R0MilliOhm, r => 0.4f * r);
            nonlinear.ExchangeCurrentA = Array.ConvertAll(nonlinear.ImpedanceTemperaturesC, c => 2f + 0.1f * (c + 40f));
            nonlinear.ChargeTransferAt(t, out ct, out halfInvI0);
            Assert.True(ct > 0 && halfInvI0 > 0);
            Assert.Equal(nonlinear.ChargeTransferFractionAt(t), ct);
            Assert.Equal(nonlinear.HalfInverseExchangeCurrentAt(t), halfInvI0);
            foreach (float soc in new[] { 0f, 0.004f, 0.3f, 0.5f, 0.995f, 1f })
            {
                foreach (var c in new[] { cell, withSoc })
                {
                    c.SocFactorsAt(soc, t, out float f0, out float f1, out float f2);
                    Assert.Equal(c.SocFactorAt(c.R0SocFactor, soc, t), f0);
                    Assert.Equal(c.SocFactorAt(c.R1SocFactor, soc, t), f1);
                    Assert.Equal(c.SocFactorAt(c.R2SocFactor, soc, t), f2);
                }
                float ocv = cell.OcvAndSlopeAt(soc, t, out float slope);
                Assert.Equal(cell.OcvMillivoltsAt(soc, t), ocv);
                AssertSlopeIsTheChord(cell, soc, t, slope);
            }
        }
    }

    /// <summary>
    /// The OCV slope's definition: the chord of two OCV look-ups at SOC +-0.01 (clamped to 0..1). Read from the table
    /// interval when the window lies in one, so equal to rounding: the difference of two 4,000 mV numbers over 0.02 SOC
    /// is good to about 0.04 mV per unit SOC, while the slopes of neighbouring intervals mostly differ by tens or more
    /// (where they are equal, as on the default cell's 25 C row over SOC 0.10..0.30, either answer is right).
    /// </summary>
    private static void AssertSlopeIsTheChord(CellModel cell, float soc, float t, float slope)
    {
        const float h = 0.01f;
        float lo = Math.Max(0f, soc - h), hi = Math.Min(1f, soc + h);
        float chord = (cell.OcvMillivoltsAt(hi, t) - cell.OcvMillivoltsAt(lo, t)) / (hi - lo);
        Assert.True(Math.Abs(chord - slope) <= 0.06f + 1e-5f * Math.Abs(chord), $"SOC {soc}, {t} C: slope {slope}, chord {chord}");
    }

    [Fact]
    public void OcvSlope_is_the_chord_over_the_window_on_every_side_of_every_breakpoint()
    {
        foreach (var cell in new[] { Repo.AssbCell(), CellModel.Load(KeyValueDocument.Parse(Repo.Read("board/cells/assb-nmc811-reference-fitted.cell"), "fitted")) })
            foreach (float t in new[] { -30f, 0f, 12.5f, 25f, 44.9f, 80f })
            {
                int hint = -1;
                for (int k = 0; k <= 2000; k++)
                {
                    float soc = k / 2000f; // steps of 0.0005: windows inside one interval, straddling a breakpoint, at both ends
                    float ocv = cell.OcvAndSlopeAt(soc, t, ref hint, out float slope);
                    Assert.Equal(cell.OcvMillivoltsAt(soc, t), ocv);
                    AssertSlopeIsTheChord(cell, soc, t, slope);
                }
            }
    }

    [Fact]
    public void Lookup_with_slope_gives_the_lookup_and_the_blended_interval_slope()
    {
        float[] cols = { 0f, 0.5f, 1f };
        float[] table = { 0f, 10f, 30f, 100f, 120f, 200f }; // row 0: slopes 20, 40; row 1: 40, 160
        int hint = -1;
        float v = Interpolation.LookupAndSlopeBetweenRows(cols, table, 0, 1, 0.25f, 0.75f, ref hint, out float slope);
        Assert.Equal(Interpolation.LookupBetweenRows(cols, table, 0, 1, 0.25f, 0.75f), v);
        Assert.Equal(1, hint);
        Assert.Equal(40f + (160f - 40f) * 0.25f, slope, 4);
        v = Interpolation.LookupAndSlopeBetweenRows(new[] { 0.3f }, new[] { 7f, 9f }, 0, 1, 0.5f, 0.9f, ref hint, out slope);
        Assert.Equal(8f, v);
        Assert.True(float.IsNaN(slope)); // one column: no interval
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
