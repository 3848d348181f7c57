using System;
using System.IO;
using System.Linq;
using SolidBms.CellFit;
using SolidBms.Core.Config;
using SolidBms.Core.Estimation;
using SolidBms.Simulator.Physics;

namespace SolidBms.Tests;

/// <summary>
/// The diffusion shift of the cell model ([diffusion]): its state against the closed form, the simulated cell's voltage,
/// loading, the SOC memory's record, and fit-cell recovering a shift it was given.
/// </summary>
public sealed class DiffusionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("diffusion").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static string DefaultCellText => File.ReadAllText(Path.Combine(Repo.Root, "board/cells/assb-lpscl-nmc811-li.cell"));

    internal static string WithDiffusion(string cellText, double shiftPerC, double tauS) =>
        cellText.TrimEnd() + $"\n\n[diffusion]\ntemperaturesC = 25\nsocShiftPerC = {shiftPerC}\ntauSeconds = {tauS}\n";

    [Fact]
    public void The_shift_follows_the_closed_form_and_the_current_magnitude_either_way()
    {
        const float q = 3f, shiftPerC = 0.05f, tauS = 300f, dt = 0.1f;
        float socPerAs = 1f / (3600f * q), decay = (float)Math.Exp(-dt / tauS);
        float d = 0f;
        // 2C discharge for 300 s (one tau): d = 0.05 * 2 * (1 - 1/e).
        for (int k = 0; k < 3000; k++) d = CellModel.StepDiffusion(d, 6f, socPerAs, shiftPerC, decay);
        Assert.InRange(d, 0.1 * (1 - Math.Exp(-1)) - 2e-4, 0.1 * (1 - Math.Exp(-1)) + 2e-4);
        // A charge at the same rate holds it where it is (the magnitude drives it), a rest lets it relax by e per tau.
        float held = d;
        for (int k = 0; k < 3000; k++) d = CellModel.StepDiffusion(d, -6f, socPerAs, shiftPerC, decay);
        Assert.InRange(d, 0.1 * (1 - Math.Exp(-2)) - 2e-4, 0.1 * (1 - Math.Exp(-2)) + 2e-4);
        Assert.True(d > held);
        float before = d;
        for (int k = 0; k < 3000; k++) d = CellModel.StepDiffusion(d, 0f, socPerAs, shiftPerC, decay);
        Assert.InRange(d, before * Math.Exp(-1) - 2e-4, before * Math.Exp(-1) + 2e-4);
    }

    [Fact]
    public void The_simulated_cell_reads_its_ocv_at_the_shifted_soc_and_recovers_at_rest()
    {
        var plain = SimCellParameters.Load(DefaultCellText, "plain.cell");
        var p = SimCellParameters.Load(WithDiffusion(DefaultCellText, 0.04, 200), "diffusion.cell");
        Assert.True(p.Model.HasDiffusion);
        var a = new EcmCell(plain, plain.Model.CapacityAh, 1.0, 0.5, 25) { LookupStepC = 0 };
        var b = new EcmCell(p, p.Model.CapacityAh, 1.0, 0.5, 25) { LookupStepC = 0 };
        double amps = p.Model.CapacityAh; // 1C
        for (int k = 0; k < 6000; k++) { a.Step(amps, 0.1, p.ReferenceKpa); b.Step(amps, 0.1, p.ReferenceKpa); } // 600 s: 3 tau
        double d = 0.04 * (1 - Math.Exp(-3));
        Assert.InRange(b.DiffusionSoc, d - 1e-4, d + 1e-4);
        Assert.Equal(a.Soc, b.Soc, 9); // the charge counted is the same: only the voltage moves
        double expected = p.Model.OcvMillivoltsAt((float)b.Soc, 25) - p.Model.OcvMillivoltsAt((float)(b.Soc - b.DiffusionSoc), 25);
        Assert.True(expected > 1, $"the shift should show: {expected:0.00} mV");
        Assert.InRange(a.TerminalMillivolts - b.TerminalMillivolts, expected - 0.05, expected + 0.05);
        for (int k = 0; k < 20000; k++) { a.Step(0, 0.1, p.ReferenceKpa); b.Step(0, 0.1, p.ReferenceKpa); } // 10 tau at rest
        Assert.InRange(a.TerminalMillivolts - b.TerminalMillivolts, -0.01, 0.01);
    }

    [Fact]
    public void A_cell_file_without_diffusion_loads_as_before_and_a_bad_row_is_refused()
    {
        var plain = CellModel.Load(KeyValueDocument.Parse(DefaultCellText, "plain.cell"));
        Assert.False(plain.HasDiffusion);
        plain.DiffusionAt(25, out float shift, out float tau, out float kneeGain);
        Assert.Equal(0f, kneeGain);
        Assert.Equal(0f, shift);
        var e = Assert.Throws<ConfigException>(() => CellModel.Load(KeyValueDocument.Parse(WithDiffusion(DefaultCellText, 4, 600), "big.cell")));
        Assert.Contains("socShiftPerC", e.Message);
        e = Assert.Throws<ConfigException>(() => CellModel.Load(KeyValueDocument.Parse(WithDiffusion(DefaultCellText, 0.05, 600) + "kneeGain = -1\n", "gain.cell")));
        Assert.Contains("kneeGain", e.Message);
        var knee = CellModel.Load(KeyValueDocument.Parse(WithDiffusion(DefaultCellText, 0.05, 600) + "kneeGain = 4\n", "knee.cell"));
        Assert.Equal(0.05f * 3, CellModel.DiffusionShiftPerCAt(0.05f, 0.05f, 4f), 6);
        knee.DiffusionAt(25, out _, out _, out float gain);
        Assert.Equal(4f, gain);
        e = Assert.Throws<ConfigException>(() => CellModel.Load(KeyValueDocument.Parse(WithDiffusion(DefaultCellText, 0.05, 0.1), "fast.cell")));
        Assert.Contains("tauSeconds", e.Message);
    }

    [Fact]
    public void The_soc_memory_keeps_the_shift_and_still_reads_a_record_of_the_previous_format()
    {
        var s = new SocSnapshot(3) { Sequence = 7, CapacityMilliampHours = 3000 };
        for (int i = 0; i < 3; i++) { s.Soc[i] = 0.5f + 0.1f * i; s.DiffusionSoc[i] = 0.01f * (i + 1); }
        var buffer = new byte[s.SlotBytes];
        s.Encode(buffer);
        var back = new SocSnapshot(3);
        Assert.True(back.TryDecode(buffer));
        for (int i = 0; i < 3; i++) Assert.InRange(back.DiffusionSoc[i], 0.01f * (i + 1) - 2e-5f, 0.01f * (i + 1) + 2e-5f);
        // The previous format: the same record without the two bytes per cell, version 2, its own CRC.
        var old = new byte[buffer.Length];
        Array.Copy(buffer, old, SocSnapshot.HeaderBytes);
        old[1] = SocSnapshot.PreviousFormatVersion;
        for (int i = 0; i < 3; i++)
            Array.Copy(buffer, SocSnapshot.HeaderBytes + i * SocSnapshot.BytesPerCell, old, SocSnapshot.HeaderBytes + i * SocSnapshot.PreviousBytesPerCell, SocSnapshot.PreviousBytesPerCell);
        int end = SocSnapshot.HeaderBytes + 3 * SocSnapshot.PreviousBytesPerCell;
        ushort crc = SolidBms.Core.Util.Crc16.Compute(old, 0, end);
        old[end] = (byte)crc; old[end + 1] = (byte)(crc >> 8);
        var fromOld = new SocSnapshot(3);
        Assert.True(fromOld.TryDecode(old));
        Assert.Equal(back.Soc[2], fromOld.Soc[2]);
        Assert.All(fromOld.DiffusionSoc, x => Assert.Equal(0f, x));
        old[1] = 1; // version 1 is not read
        Assert.False(new SocSnapshot(3).TryDecode(old));
    }

    [Fact]
    public void The_estimator_reads_the_voltage_at_the_shifted_soc_and_a_restart_takes_the_saved_shift_back()
    {
        var truth = SimCellParameters.Load(WithDiffusion(DefaultCellText, 0.04, 300), "diffusion.cell");
        var plainModel = CellModel.Load(KeyValueDocument.Parse(DefaultCellText, "plain.cell"));
        var aware = new StateEstimator(truth.Model, 1);
        var plain = new StateEstimator(plainModel, 1);
        var feed = new SimulatedCellFeed(truth, 0.7, aware, plain);
        var cell = feed.Cell;
        void Tick(double amps) => feed.Tick(amps);
        Tick(0);
        double amps = truth.Model.CapacityAh; // 1C for 20 min: the shift settles at 0.04
        for (int k = 0; k < 12000; k++) Tick(amps);
        Assert.InRange(cell.DiffusionSoc, 0.039, 0.041);
        double awareError = Math.Abs(aware.CellSoc(0) - cell.Soc), plainError = Math.Abs(plain.CellSoc(0) - cell.Soc);
        Assert.True(awareError < 0.005, $"with the shift modelled: {awareError:0.0000}");
        Assert.True(plainError > 2 * awareError, $"a model without the shift should read the voltage as less charge: {plainError:0.0000} against {awareError:0.0000}");
        var saved = new SocSnapshot(1);
        Assert.True(aware.CopyStateTo(saved, true));
        Assert.InRange(saved.DiffusionSoc[0], 0.038, 0.042);
        var restarted = new StateEstimator(truth.Model, 1);
        restarted.RestoreFrom(saved);
        restarted.Update(feed.Measurement, 100);
        var again = new SocSnapshot(1);
        Assert.True(restarted.CopyStateTo(again, false));
        Assert.Equal(saved.DiffusionSoc[0], again.DiffusionSoc[0], 3);
    }

    [Fact]
    public void Fit_cell_recovers_a_diffusion_shift_from_a_drive_into_the_knee_and_leaves_none_where_there_is_none()
    {
        string template = Path.Combine(Repo.Root, "board/cells/assb-lpscl-nmc811-li.cell");
        SyntheticCycler Cell(double shift) => new() { Tau1S = 20, Tau2S = 1000, NoiseMv = 0.5, DiffusionShiftPerC = shift, DiffusionTauS = 600 };
        CellFitResult Fit(double shift)
        {
            string c20 = SyntheticCycler.C20(Cell(shift)).Write(Path.Combine(_dir, $"c20-{shift}.csv"));
            string drive = SyntheticCycler.Drive(Cell(shift), depth: 0.92).Write(Path.Combine(_dir, $"drive-{shift}.csv"));
            var r = CellFitter.Fit(new[] { c20 }, Array.Empty<string>(), new[] { drive }, "diffusion", template);
            Assert.True(r.Ok, r.RefusalReason);
            return r;
        }
        var with = Fit(0.1);
        var h = with.Impedance.Single();
        Assert.InRange(h.DiffusionSocShiftPerC, 0.1 * 0.7, 0.1 * 1.3);
        Assert.InRange(h.DiffusionTauSeconds, 600 / 1.6, 600 * 1.6);
        var cell = CellModel.Load(KeyValueDocument.Parse(with.CellFileText, "diffusion.cell"));
        Assert.True(cell.HasDiffusion);
        // The file reproduces the drive, and the same file without its [diffusion] section does not.
        var dyn = with.Quality.Single(q => q.Kind == "dyn");
        string text = with.CellFileText;
        int at = text.IndexOf("\n[diffusion]", StringComparison.Ordinal), next = text.IndexOf("\n[", at + 2, StringComparison.Ordinal);
        var stripped = SimCellParameters.Load(text.Remove(at, next - at), "stripped.cell");
        var log = CyclerLog.Read(Path.Combine(_dir, "drive-0.1.csv"));
        var withoutShift = ModelReplay.Compare(log, stripped, stripped.Model.SocFromOcv((float)(log.VoltageV[0] * 1000), 25), "dyn");
        Assert.True(dyn.RmsMillivolts < 4 && dyn.RmsMillivolts < withoutShift.RmsMillivolts / 2,
            $"{dyn.Source}: {dyn.RmsMillivolts:0.00} mV RMS, {withoutShift.RmsMillivolts:0.00} without the shift");
        Assert.True(h.DiffusionKneeGain < 0.5, $"a knee gain of {h.DiffusionKneeGain:0.00} for a shift that does not grow");
        var without = Fit(0);
        Assert.True(double.IsNaN(without.Impedance.Single().DiffusionTauSeconds), "a fit without diffusion in the data wrote one");
        Assert.DoesNotContain("[diffusion]", without.CellFileText);
    }

    [Fact]
    public void Fit_cell_finds_a_shift_that_grows_towards_empty_and_a_drive_it_did_not_see_needs_it()
    {
        // A cell whose shift per C is five times larger at empty (knee gain 4). The gain comes out lower (1.6 measured:
        // stage D's constant shift, fitted on the knee, takes part of it), but it is a gain, and a drive the fit never saw,
        // run a little deeper, is reproduced with half the error the same file makes with its gain set to 0 (2.0 against
        // 4.0 mV measured). Not far past the fitted depth: a drive to 0.97 was reproduced worse with it (docs/estimation.md).
        string template = Path.Combine(Repo.Root, "board/cells/assb-lpscl-nmc811-li.cell");
        SyntheticCycler KneeCell(int seed) => new() { Tau1S = 20, Tau2S = 1000, NoiseMv = 0.5, DiffusionShiftPerC = 0.05, DiffusionTauS = 600, DiffusionKneeGain = 4, Seed = seed };
        string c20 = SyntheticCycler.C20(KneeCell(1)).Write(Path.Combine(_dir, "c20-knee.csv"));
        string drive = SyntheticCycler.Drive(KneeCell(1), depth: 0.95).Write(Path.Combine(_dir, "drive-knee.csv"));
        string heldOut = SyntheticCycler.Drive(KneeCell(2), depth: 0.96).Write(Path.Combine(_dir, "drive-knee-held-out.csv"));
        var fit = CellFitter.Fit(new[] { c20 }, Array.Empty<string>(), new[] { drive }, "knee", template);
        Assert.True(fit.Ok, fit.RefusalReason);
        var k = fit.Impedance.Single();
        Assert.True(k.DiffusionKneeGain > 0.5, $"knee gain {k.DiffusionKneeGain:0.00}");
        Assert.Contains("\nkneeGain = ", fit.CellFileText);
        var cell = SimCellParameters.Load(fit.CellFileText, "knee.cell");
        var noGain = SimCellParameters.Load(System.Text.RegularExpressions.Regex.Replace(fit.CellFileText, @"\nkneeGain = [^\n]*", "\nkneeGain = 0"), "nogain.cell");
        var log = CyclerLog.Read(heldOut);
        double soc0 = cell.Model.SocFromOcv((float)(log.VoltageV[0] * 1000), 25);
        var with = ModelReplay.Compare(log, cell, soc0, "dyn");
        var without = ModelReplay.Compare(log, noGain, soc0, "dyn");
        Assert.True(with.RmsMillivolts < 0.7 * without.RmsMillivolts, $"held-out drive {with.RmsMillivolts:0.00} mV with the gain, {without.RmsMillivolts:0.00} without");
    }
}
