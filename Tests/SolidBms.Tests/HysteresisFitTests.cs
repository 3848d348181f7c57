using System;
using System.IO;
using System.Linq;
using SolidBms.CellFit;
using SolidBms.Core.Config;

namespace SolidBms.Tests;

/// <summary>fit-cell --dynamic: the hysteresis and impedance of a synthetic cell recovered from its C/20 test and a drive.</summary>
public sealed class HysteresisFitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hystfit").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string P(string name) => Path.Combine(_dir, name);

    private static string Template => Path.Combine(Repo.Root, "board/cells/assb-lpscl-nmc811-li.cell");

    // tau1 20 s: at 1 s rows the firmware's R0 from current steps would read a 2 s pair's first second as ohmic (a rig
    // logs at 10 Hz; the fit itself takes the pair either way).
    private static SyntheticCycler Cell() => new() { Tau1S = 20, Tau2S = 1000, DynamicHysteresisMv = 15, HysteresisRate = 30, HysteresisMv = 3, NoiseMv = 0.5 };

    [Fact]
    public void Recovers_the_hysteresis_and_impedance_it_was_given_from_a_c20_test_and_a_drive()
    {
        var c20 = SyntheticCycler.C20(Cell()).Write(P("c20.csv"));
        var drive = SyntheticCycler.Drive(Cell()).Write(P("drive.csv"), soc0: 0.95);
        var r = CellFitter.Fit(new[] { c20 }, Array.Empty<string>(), new[] { drive }, "hyst", Template);
        Assert.True(r.Ok, r.RefusalReason);
        var h = r.Impedance.Single();
        Assert.Equal(1, h.DynamicFiles);
        Assert.InRange(h.HysteresisMillivolts, 15 * 0.85, 15 * 1.15);
        Assert.InRange(h.InstantHysteresisMillivolts, 3 - 1.5, 3 + 1.5);
        Assert.InRange(h.HysteresisRate, 30 * 0.7, 30 * 1.4);
        Assert.InRange(h.R0MilliOhm, 15 * 0.95, 15 * 1.05);
        Assert.InRange(h.R1MilliOhm, 20 * 0.85, 20 * 1.15);
        Assert.InRange(h.Tau1Seconds, 20 * 0.75, 20 * 1.3);
        // The drive's blocks are shorter than the slow pair's 1000 s: they show its initial slope R2 / tau2 (what it does
        // to the voltage within a block), not R2 and tau2 apart.
        Assert.InRange(h.R2MilliOhm / h.Tau2Seconds, 0.02 * 0.8, 0.02 * 1.2);
        // The file carries it, and reproduces both inputs far better than the C/20 half-gap (18 mV) it used to average away.
        var cell = CellModel.Load(KeyValueDocument.Parse(r.CellFileText, "hyst.cell"));
        Assert.True(cell.HasHysteresis);
        // (C/20: the knee at each end, where one branch stops at a cut-off, holds most of what is left)
        foreach (var q in r.Quality) Assert.True(q.RmsMillivolts < (q.Kind == "C/20" ? 6 : 2), $"{q.Source}: {q.RmsMillivolts:0.00} mV RMS");
        var dyn = r.Quality.Single(q => q.Kind == "dyn");
        Assert.NotNull(dyn.Soc);
        Assert.True(dyn.Soc.RmsPoints <= 1.0 && dyn.Soc.MaxPoints <= 2.0, $"{dyn.Soc}"); // the SOC targets
        Assert.Contains("[fit]", r.CellFileText);
    }

    [Fact]
    public void Without_hysteresis_in_the_data_none_is_written()
    {
        SyntheticCycler Plain() => new() { NoiseMv = 0.5 };
        var c20 = SyntheticCycler.C20(Plain()).Write(P("c20.csv"));
        var drive = SyntheticCycler.Drive(Plain()).Write(P("drive.csv"), soc0: 0.95);
        var r = CellFitter.Fit(new[] { c20 }, Array.Empty<string>(), new[] { drive }, "plain", Template);
        Assert.True(r.Ok, r.RefusalReason);
        Assert.True(double.IsNaN(r.Impedance.Single().HysteresisRate), $"M {r.Impedance.Single().HysteresisMillivolts}");
        Assert.DoesNotContain("[hysteresis]", r.CellFileText);
    }

    [Fact]
    public void A_dynamic_file_that_does_not_start_at_rest_is_refused_with_the_reason()
    {
        var c20 = SyntheticCycler.C20(Cell()).Write(P("c20.csv"));
        var c = new SyntheticCycler();
        c.Hold(3, 300, 1).Hold(0, 300, 1).Hold(-1, 300, 1);
        var drive = c.Write(P("loaded.csv"));
        var r = CellFitter.Fit(new[] { c20 }, Array.Empty<string>(), new[] { drive }, "x", Template);
        Assert.False(r.Ok);
        Assert.Contains("loaded.csv: no rest at the start", r.RefusalReason);
        Assert.Contains("dynamic test", r.RefusalReason);
    }
}
