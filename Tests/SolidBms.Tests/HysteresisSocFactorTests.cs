using System;
using System.IO;
using System.Linq;
using SolidBms.CellFit;
using SolidBms.Core.Config;
using SolidBms.Core.Estimation;
using SolidBms.Simulator.Physics;

namespace SolidBms.Tests;

/// <summary>
/// The hysteresis voltage's SOC multipliers ([hysteresis] socPoints / socFactor): loading and refusal, the simulated
/// cell and the estimator reading them, and fit-cell finding a gap that grows towards full.
/// </summary>
public sealed class HysteresisSocFactorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hystfactor").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static string DefaultCellText => File.ReadAllText(Path.Combine(Repo.Root, "board/cells/assb-lpscl-nmc811-li.cell"));

    /// <summary>M 20 mV, M0 5 mV at 25 C, times 1 up to SOC 0.9 and <paramref name="atFull"/> at SOC 1 (linear).</summary>
    private static string WithTopFactor(double atFull) =>
        HysteresisTests.WithHysteresis(DefaultCellText, 20, 5, 60) + $"socPoints = 0, 0.9, 1\nsocFactor25 = 1, 1, {atFull}\n";

    [Fact]
    public void The_multipliers_load_interpolate_and_a_bad_row_is_refused_with_its_key()
    {
        var m = CellModel.Load(KeyValueDocument.Parse(WithTopFactor(4), "top.cell"));
        Assert.True(m.HasHysteresisSocFactor);
        Assert.Equal(1f, m.HysteresisSocFactorAt(0.5f, 25));
        Assert.Equal(2.5f, m.HysteresisSocFactorAt(0.95f, 25), 5);
        Assert.Equal(4f, m.HysteresisSocFactorAt(1f, 40), 5); // held beyond both axes' ends
        Assert.False(CellModel.Load(KeyValueDocument.Parse(HysteresisTests.WithHysteresis(DefaultCellText, 20, 5, 60), "plain.cell")).HasHysteresisSocFactor);
        string hyst = HysteresisTests.WithHysteresis(DefaultCellText, 20, 5, 60);
        void Refused(string text, string key)
        {
            var e = Assert.Throws<ConfigException>(() => CellModel.Load(KeyValueDocument.Parse(text, "bad.cell")));
            Assert.Contains(key, e.Message);
        }
        Refused(hyst + "socPoints = 0, 0.9, 1\n", "socPoints");
        Refused(hyst + "socFactor25 = 1, 1, 4\n", "socFactor");
        Refused(hyst + "socPoints = 0, 0.9, 1\nsocFactor25 = 1, 1, 0\n", "socFactor25");
        Refused(hyst + "socPoints = 0, 1, 0.9\nsocFactor25 = 1, 1, 4\n", "socPoints");
        Refused(hyst + "socPoints = 0, 0.9, 1\nsocFactor25 = 1, 4\n", "socFactor25");
    }

    [Fact]
    public void The_simulated_cell_rests_the_multiplied_gap_above_the_ocv_near_full()
    {
        var p = SimCellParameters.Load(WithTopFactor(4), "top.cell");
        var cell = new EcmCell(p, p.Model.CapacityAh, 1.0, 0.8, 25) { LookupStepC = 0 };
        double c2 = p.Model.CapacityAh / 2;
        void Run(double amps, double seconds) { for (int k = 0; k < seconds * 10; k++) cell.Step(amps, 0.1, p.ReferenceKpa); }
        Run(-c2, 1080); // to SOC 0.95: h at +1 within exp(-9)
        Run(0, 4 * 3600);
        double factor = 1 + 3 * (cell.Soc - 0.9) / 0.1;
        Assert.InRange(cell.Soc, 0.949, 0.951);
        Assert.InRange(cell.TerminalMillivolts - cell.OcvMillivolts, 25 * factor - 0.1, 25 * factor + 0.1);
    }

    [Fact]
    public void The_estimator_reads_a_rest_near_full_through_the_multiplied_gap()
    {
        // A charge to SOC 0.97 and a rest: the cell sits (M + M0) 3.1 above its OCV. A model that knows the multiplier
        // reads the SOC from that; one without reads the extra 52 mV as more charge.
        var truth = SimCellParameters.Load(WithTopFactor(4), "top.cell");
        var plainModel = CellModel.Load(KeyValueDocument.Parse(HysteresisTests.WithHysteresis(DefaultCellText, 20, 5, 60), "plain.cell"));
        var aware = new StateEstimator(truth.Model, 1);
        var plain = new StateEstimator(plainModel, 1);
        var feed = new SimulatedCellFeed(truth, 0.8, aware, plain);
        var cell = feed.Cell;
        void Tick(double amps) => feed.Tick(amps);
        Tick(0);
        double c2 = -truth.Model.CapacityAh / 2;
        for (int k = 0; k < 12240; k++) Tick(c2); // 1224 s at C/2: SOC 0.8 to 0.97
        for (int k = 0; k < 3 * 36000; k++) Tick(0); // three hours' rest: the rest corrections read the voltage
        Assert.InRange(cell.Soc, 0.969, 0.971);
        double awareError = Math.Abs(aware.CellSoc(0) - cell.Soc), plainError = Math.Abs(plain.CellSoc(0) - cell.Soc);
        Assert.True(awareError < 0.01, $"with the multiplier: {awareError:0.0000}");
        Assert.True(plainError > 2 * awareError, $"without it: {plainError:0.0000} against {awareError:0.0000}");
    }

    [Fact]
    public void Fit_cell_finds_a_gap_that_grows_towards_full_and_none_where_it_does_not()
    {
        string template = Path.Combine(Repo.Root, "board/cells/assb-lpscl-nmc811-li.cell");
        SyntheticCycler Cell(double atFull) => new() { Tau1S = 20, Tau2S = 1000, DynamicHysteresisMv = 15, HysteresisRate = 30, HysteresisMv = 3, NoiseMv = 0.5, HysteresisFactorAtFull = atFull };
        CellFitResult Fit(double atFull)
        {
            string c20 = SyntheticCycler.C20(Cell(atFull)).Write(Path.Combine(_dir, $"c20-{atFull}.csv"));
            string drive = SyntheticCycler.Drive(Cell(atFull)).Write(Path.Combine(_dir, $"drive-{atFull}.csv"), soc0: 0.95);
            var r = CellFitter.Fit(new[] { c20 }, Array.Empty<string>(), new[] { drive }, "top", template);
            Assert.True(r.Ok, r.RefusalReason);
            return r;
        }
        var grown = Fit(4);
        var model = CellModel.Load(KeyValueDocument.Parse(grown.CellFileText, "top.cell"));
        Assert.True(model.HasHysteresisSocFactor, "no multipliers for a gap four times larger at full");
        // The truth is linear from 1 at 0.9 to 4 at 1; measured 2.71 / 3.38 / 4.14 / 4.03 at 0.95 / 0.97 / 0.99 / 1.
        foreach (float soc in new[] { 0.95f, 0.97f, 0.99f, 1f })
        {
            double expected = 1 + 3 * (soc - 0.9) / 0.1;
            Assert.InRange(model.HysteresisSocFactorAt(soc, 25), expected * 0.8, expected * 1.2);
        }
        // The file replays its C/20 record better than the same file without them.
        var c20Log = CyclerLog.Read(Path.Combine(_dir, "c20-4.csv"));
        var c20 = grown.Quality.Single(q => q.Kind == "C/20");
        string text = grown.CellFileText;
        string stripped = string.Join("\n", text.Split('\n').Where(l => !l.StartsWith("socFactor", StringComparison.Ordinal) && !(l.StartsWith("socPoints", StringComparison.Ordinal) && l.Contains("0.1, 0.9,"))));
        var without = SimCellParameters.Load(stripped, "stripped.cell");
        Assert.False(without.Model.HasHysteresisSocFactor);
        double soc0 = grown.Ocv.Single().InitialSoc;
        double withoutRms = ModelReplay.Compare(c20Log, without, soc0, "C/20").RmsMillivolts;
        Assert.True(c20.RmsMillivolts < 0.8 * withoutRms, $"C/20 {c20.RmsMillivolts:0.00} mV with the multipliers, {withoutRms:0.00} without");
        // A cell whose gap is the same at every SOC gets none.
        Assert.False(CellModel.Load(KeyValueDocument.Parse(Fit(1).CellFileText, "plain.cell")).HasHysteresisSocFactor);
    }
}
