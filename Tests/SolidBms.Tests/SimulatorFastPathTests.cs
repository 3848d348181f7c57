using System;
using SolidBms.Drivers.Ntc;
using SolidBms.Simulator.Hardware;
using SolidBms.Simulator.Physics;
using SolidBms.Simulator.Run;

namespace SolidBms.Tests;

/// <summary>
/// The simulator's cheap paths (issue 10) against what they replace: the RC decay series against Math.Exp, the cell's
/// held look-ups against look-ups every step, hinted table look-ups against searched ones, conversions worked out
/// ahead of the tick against independent normal noise and against conversions at the tick's first read, and the
/// thermistor pin along its chord against the exact divider.
/// </summary>
public class SimulatorFastPathTests
{
    [Fact]
    public void DecaySeriesAgreesWithMathExpToTwoUlpsAndHandsEverythingElseToIt()
    {
        double worstUlps = 0;
        for (int k = 0; k <= 200_000; k++)
        {
            double x = Decay.SeriesLimit * k / 200_000;
            double exact = Math.Exp(-x);
            worstUlps = Math.Max(worstUlps, Math.Abs(Decay.Exp(x) - exact) / (Math.BitIncrement(exact) - exact));
        }
        Assert.True(worstUlps <= 2, $"worst {worstUlps} ulp");
        foreach (double x in new[] { Math.BitIncrement(Decay.SeriesLimit), 0.1, 0.33, 5.0, 800.0, -0.01, double.PositiveInfinity })
            Assert.Equal(Math.Exp(-x), Decay.Exp(x));
        Assert.True(double.IsNaN(Decay.Exp(double.NaN)));
    }

    [Fact]
    public void CellWithItsLookupsHeldBetweenMillikelvinStepsFollowsTheCellLookedUpEveryStep()
    {
        var p = SimCellParameters.Load(Repo.Read("board/cells/assb-lpscl-nmc811-li.cell"), "cell");
        var held = new EcmCell(p, 3.0, 1, 0.95, 15);
        var exact = new EcmCell(p, 3.0, 1, 0.95, 15) { LookupStepC = 0 };
        double worstMv = 0;
        for (int k = 0; k < 30_000; k++) // 50 min: a 2C pulse train heats the cells from 15 C, then they cool at rest
        {
            double a = k < 18_000 ? (k / 300 % 2 == 0 ? 6.0 : -3.0) : 0;
            double warming = k < 18_000 ? 0.0004 : -0.0002; // K per tick, as the pack's heat balance would move them
            held.TemperatureC += warming; exact.TemperatureC += warming;
            held.Step(a, 0.1, 900); exact.Step(a, 0.1, 900);
            worstMv = Math.Max(worstMv, Math.Abs(held.TerminalMillivolts - exact.TerminalMillivolts));
        }
        Assert.InRange(exact.TemperatureC, 16.0, 20.0);
        for (int k = 0; k < 50; k++) // a longer tick: the held decays are worked out again for it
        {
            held.Step(-3.0, 1.0, 900); exact.Step(-3.0, 1.0, 900);
            worstMv = Math.Max(worstMv, Math.Abs(held.TerminalMillivolts - exact.TerminalMillivolts));
        }
        Assert.True(worstMv < 0.05, $"worst {worstMv:0.0000} mV");
        Assert.True(worstMv > 0, "the held look-ups must differ from the exact ones somewhere (else the test shows nothing)");
    }

    [Fact]
    public void ChipsConvertingAheadOfTheTickGiveTheSameRunAndLeaveTheTickNothingToConvert()
    {
        const string json = """
            { "name": "bq-ahead", "board": "bq76952-16s", "cells": 16, "initialSoc": 0.6, "seed": 9,
              "segments": [ { "durationS": 120, "cycle": "dst", "peakA": 1.6 }, { "durationS": 30, "rest": true } ] }
            """;
        // A plain run and runs with each I2C fault: a NACK at random, a dropout (the chip resets when it returns), a chip
        // that stops converting, corrupted responses.
        string Faulted(string evt) => json.Replace("\"segments\"", "\"events\": [ " + evt + " ], \"segments\"");
        foreach (string scenario in new[] {
            json,
            Faulted("""{ "atS": 20, "kind": "i2c-nack", "device": "bq76952", "probability": 0.3, "durationS": 40 }"""),
            Faulted("""{ "atS": 20, "kind": "i2c-dropout", "device": "bq76952", "durationS": 3 }"""),
            Faulted("""{ "atS": 20, "kind": "i2c-stuck", "device": "nau7802", "durationS": 10 }"""),
            Faulted("""{ "atS": 20, "kind": "i2c-dropout", "device": "nau7802", "durationS": 2 }"""),
            Faulted("""{ "atS": 20, "kind": "i2c-crc", "device": "bq76952", "durationS": 5 }""") })
        {
            var ahead = new System.IO.MemoryStream();
            new ScenarioRunner(Repo.Scenario(scenario), Repo.Files).Run(ahead, 1);
            var lazy = new System.IO.MemoryStream();
            new ScenarioRunner(Repo.Scenario(scenario), Repo.Files) { ConvertChipsAhead = false }.Run(lazy, 1);
            Assert.True(ahead.ToArray().AsSpan().SequenceEqual(lazy.ToArray()), "the run differs when the chips convert ahead: " + scenario);
        }

        var r = new ScenarioRunner(Repo.Scenario(json), Repo.Files);
        r.StallFirmware = true;
        for (int k = 0; k < 50; k++)
        {
            r.Step(); // physics, rig and the chips' conversions for the coming tick
            long scans = r.Rig.I2c.Bq.Scans;
            r.Rig.Watchdog.Feed();
            r.Controller.Tick();
            Assert.Equal(scans, r.Rig.I2c.Bq.Scans); // the tick's reads found the scan done
        }
        Assert.True(r.Rig.I2c.Bq.Scans >= 100); // two 50 ms scans a tick
    }

    [Fact]
    public void LocatingFromAnyHintGivesTheSearchsIntervalAndFraction() // and IntervalFrom the same interval
    {
        // Uneven breakpoints; x on every breakpoint, between them, beyond both ends; every hint, valid or not.
        float[] xs = { -20f, -10f, 0f, 0.01f, 0.05f, 0.3f, 1f, 25f, 60f };
        var probes = new System.Collections.Generic.List<float> { -1e6f, 1e6f, float.NaN };
        foreach (float x in xs) { probes.Add(x); probes.Add(MathF.BitDecrement(x)); probes.Add(MathF.BitIncrement(x)); }
        for (int i = 0; i + 1 < xs.Length; i++) { probes.Add((xs[i] + xs[i + 1]) / 2); probes.Add(xs[i] + 0.37f * (xs[i + 1] - xs[i])); }
        foreach (float x in probes)
        {
            int expected = SolidBms.Core.Util.Interpolation.Locate(xs, x, out float fe);
            for (int hint = -2; hint <= xs.Length + 1; hint++)
            {
                int got = SolidBms.Core.Util.Interpolation.LocateFrom(xs, x, hint, out float fg);
                Assert.Equal(expected, got);
                Assert.Equal(fe, fg);
                Assert.Equal(expected, SolidBms.Core.Util.Interpolation.IntervalFrom(xs, x, hint));
            }
        }
        // Tables of one breakpoint and of none: interval 0, fraction 0, whatever the hint.
        foreach (float[] tiny in new[] { new[] { 5f }, new float[0] })
            foreach (float x in new[] { -1f, 5f, 9f, float.NaN })
                for (int hint = -1; hint <= 1; hint++)
                {
                    Assert.Equal(0, SolidBms.Core.Util.Interpolation.LocateFrom(tiny, x, hint, out float f));
                    Assert.Equal(0f, f);
                    Assert.Equal(0, SolidBms.Core.Util.Interpolation.IntervalFrom(tiny, x, hint));
                }
    }

    [Fact]
    public void HintedTableLookupsGiveTheSameNumbersAsTheSearchedOnes()
    {
        // The fitted reference cell has an impedance SOC axis with a row per temperature (the default cell has none).
        var m = SolidBms.Core.Config.CellModel.Load(SolidBms.Core.Config.KeyValueDocument.Parse(
            Repo.Read("board/cells/assb-nmc811-reference-fitted.cell"), "fitted"));
        Assert.NotNull(m.ImpedanceSocPoints);
        var rng = new Random(4);
        int ocvHint = -1, factorHint = -1, differentFactors = 0;
        float soc = 0.5f;
        for (int k = 0; k < 20_000; k++)
        {
            soc = Math.Clamp(soc + (float)(rng.NextDouble() - 0.5) * (k % 100 == 0 ? 0.6f : 0.004f), -0.05f, 1.05f); // walks and jumps
            float t = (float)(rng.NextDouble() * 80 - 25);
            Assert.Equal(m.OcvMillivoltsAt(soc, t), m.OcvMillivoltsAt(soc, t, ref ocvHint));
            m.SocFactorsAt(soc, t, out float a0, out float a1, out float a2);
            m.SocFactorsAt(soc, t, ref factorHint, out float b0, out float b1, out float b2);
            Assert.Equal(a0, b0); Assert.Equal(a1, b1); Assert.Equal(a2, b2);
            if (a2 != 1f) differentFactors++;
        }
        Assert.True(differentFactors > 1000, "the factors must vary over the walk for the comparison to mean something");
    }

    [Fact]
    public void ConversionsWorkedOutAheadAreIndependentWithTheSetSpread()
    {
        const int ticks = 200_000, perTick = 4;
        var ch = new SimAdcChannel(4095, new NoiseRng(99UL), perTick);
        double sum = 0, sum2 = 0, lag = 0, extraSum = 0, extraSum2 = 0;
        int n = 0, previous = -1;
        for (int t = 0; t < ticks; t++)
        {
            ch.Set(1000.3, 2.0);
            for (int k = 0; k < perTick; k++)
            {
                Assert.True(ch.TryReadCounts(out int c));
                sum += c; sum2 += (double)c * c; n++;
                if (previous >= 0) lag += (c - 1000.3) * (previous - 1000.3);
                previous = c;
            }
            Assert.True(ch.TryReadCounts(out int extra)); // one more than drawn ahead: drawn on demand, still noisy
            extraSum += extra; extraSum2 += (double)extra * extra;
        }
        double mean = sum / n, variance = sum2 / n - mean * mean;
        // Rounding to counts adds 1/12 count^2 to the 4 of the noise.
        Assert.InRange(mean, 1000.3 - 0.02, 1000.3 + 0.02);
        Assert.InRange(variance, 4.083 * 0.98, 4.083 * 1.02);
        Assert.InRange(lag / (n - 1) / variance, -0.01, 0.01); // consecutive conversions uncorrelated
        double extraMean = extraSum / ticks;
        Assert.InRange(extraSum2 / ticks - extraMean * extraMean, 4.083 * 0.95, 4.083 * 1.05);
        Assert.Equal(5L * ticks, ch.Conversions);

        ch.Set(1000.3, 0); // no noise: the rounded input, every time
        for (int k = 0; k < 6; k++) { Assert.True(ch.TryReadCounts(out int c)); Assert.Equal(1000, c); }
    }

    [Fact]
    public void ThermistorPinFollowedAlongItsSlopeStaysWithinTwoHundredthsOfAMillivoltOfTheExactDivider()
    {
        var s = Repo.Scenario("""
            { "name": "thermistor-slope", "board": "sim-analog-16", "cells": 4, "initialSoc": 0.9, "seed": 3,
              "sensorNoise": { "tempC": 0 }, "segments": [ { "durationS": 1200, "rest": true } ] }
            """);
        var r = new ScenarioRunner(s, Repo.Files);
        r.Pack.AmbientC = 45; // the cells warm from 25 C towards it, a little every tick
        var b = r.Setup.Board;
        var ntc = NtcParts.Find(b.ThermistorPart);
        double worstMv = 0, lowC = double.MaxValue, highC = double.MinValue;
        for (long k = 0; k < r.TotalTicks; k++)
        {
            r.Step();
            for (int i = 0; i < 4; i++)
            {
                double t = r.Pack.Cells[i].TemperatureC;
                lowC = Math.Min(lowC, t); highC = Math.Max(highC, t);
                var cal = b.CalibrationOf(b.ThermistorAdcChannels[i]);
                float exactMv = NtcThermistor.PinMillivoltsForOhm((float)Math.Exp(ntc.LnOhm((float)t)), b.ThermistorPullupOhm, b.ThermistorSupplyMillivolts);
                double seenMv = r.Rig.Channels[b.ThermistorAdcChannels[i]].TrueCounts * cal.MillivoltsPerCount + cal.OffsetMillivolts;
                worstMv = Math.Max(worstMv, Math.Abs(seenMv - exactMv));
            }
        }
        Assert.True(highC - lowC > 2, $"the cells moved only {highC - lowC:0.00} C"); // across many anchors
        Assert.True(worstMv < 0.02, $"worst {worstMv:0.0000} mV");
    }
}
