using System;
using System.Linq;
using SolidBms.Core.Estimation;
using SolidBms.Core.Lab;
using SolidBms.Core.Loop;
using SolidBms.Simulator.Hardware;
using SolidBms.Simulator.Run;

namespace SolidBms.Tests;

/// <summary>
/// The estimator's state across a reset (SocMemory, docs/estimation.md "Across a reset"): records survive torn writes
/// and block rotation, a reset under load restarts from the saved SOC, and a saved state the cells' voltages contradict
/// or another cell file wrote is not used and says why in the event log.
/// </summary>
public sealed class SocMemoryTests
{
    private const int Block = 4096;

    private static SocSnapshot State(int cells, float soc)
    {
        var s = new SocSnapshot(cells);
        for (int i = 0; i < cells; i++)
        {
            s.Soc[i] = soc + 0.001f * i;
            s.SocSigma[i] = 0.004f + 0.0001f * i;
            s.H[i] = -0.5f + 0.05f * i;
            s.HSign[i] = i % 3 - 1;
            s.HUncertainty[i] = 0.25f;
            s.V2Millivolts[i] = -75.4f + 9.7f * i;
        }
        s.CurrentOffsetA = -0.0123f;
        return s;
    }

    [Fact]
    public void The_newest_record_reads_back_after_the_ring_has_gone_round_its_blocks()
    {
        var flash = new SimFlash(2 * Block, Block); // 16 records of 16 cells per block
        var memory = new SocMemory(flash, 16, 2.3f);
        Assert.False(memory.HasSaved);
        for (int k = 0; k < 40; k++) memory.Write(State(16, 0.9f - 0.01f * k));

        var rebooted = new SocMemory(SimFlash.FromImage(flash.Image, Block), 16, 2.3f);
        Assert.True(rebooted.HasSaved);
        Assert.Equal(SocMemory.Restored, rebooted.CheckRestore());
        var want = State(16, 0.9f - 0.01f * 39);
        var got = rebooted.Saved;
        Assert.Equal(40u, got.Sequence);
        for (int i = 0; i < 16; i++)
        {
            Assert.Equal(want.Soc[i], got.Soc[i], 1e-4f);
            Assert.Equal(want.SocSigma[i], got.SocSigma[i], 1e-4f);
            Assert.Equal(want.H[i], got.H[i], 0.01f);
            Assert.Equal(want.HSign[i], got.HSign[i]);
            Assert.Equal(want.HUncertainty[i], got.HUncertainty[i], 0.005f);
            Assert.Equal(want.V2Millivolts[i], got.V2Millivolts[i], 0.051f);
        }
        Assert.Equal(-0.0123f, got.CurrentOffsetA, 1e-4f);
    }

    [Fact]
    public void A_record_of_the_first_format_is_not_read()
    {
        var s = State(4, 0.5f);
        var buffer = new byte[s.SlotBytes];
        s.Encode(buffer);
        var back = new SocSnapshot(4);
        Assert.True(back.TryDecode(buffer));
        buffer[1] = 1; // version 1 had no V2: its cells sit at other offsets
        Assert.False(new SocSnapshot(4).TryDecode(buffer));
    }

    [Fact]
    public void A_power_cut_at_any_byte_of_a_write_keeps_the_record_before_it()
    {
        for (int cut = 0; cut < new SocSnapshot(16).RecordBytes; cut++)
        {
            var flash = new SimFlash(2 * Block, Block);
            var memory = new SocMemory(flash, 16, 2.3f);
            for (int k = 0; k < 20; k++) memory.Write(State(16, 0.5f + 0.01f * k)); // the fifth record of the second block
            flash.CutAfterBytes = cut;
            Assert.Throws<PowerCutException>(() => memory.Write(State(16, 0.1f)));

            var image = SimFlash.FromImage(flash.Image, Block);
            var rebooted = new SocMemory(image, 16, 2.3f);
            Assert.Equal(20u, rebooted.Saved.Sequence);
            Assert.Equal(0.69f, rebooted.Saved.Soc[0], 1e-4f);
            // Saving goes on past the torn slot, and the new record is the one a later restart reads.
            rebooted.Write(State(16, 0.3f));
            var again = new SocMemory(SimFlash.FromImage(image.Image, Block), 16, 2.3f);
            Assert.Equal(21u, again.Saved.Sequence);
            Assert.Equal(0.3f, again.Saved.Soc[0], 1e-4f);
        }
    }

    [Fact]
    public void A_record_of_another_cell_file_or_cell_count_is_not_restored()
    {
        var flash = new SimFlash(2 * Block, Block);
        new SocMemory(flash, 16, 2.3f).Write(State(16, 0.8f));
        Assert.Equal(SocMemory.OtherCellFile, new SocMemory(SimFlash.FromImage(flash.Image, Block), 16, 2.5f).CheckRestore());
        Assert.False(new SocMemory(SimFlash.FromImage(flash.Image, Block), 15, 2.3f).HasSaved);
        Assert.Throws<ArgumentException>(() => new SocMemory(new SimFlash(Block, Block), 16, 2.3f)); // one block cannot rotate safely
    }

    /// <summary>A 4-cell rig discharging at 2 A from SOC 0.9: the state the firmware saved as it ran, and the runner.</summary>
    private static ScenarioRunner Discharge(double initialSoc, double currentA, double seconds)
    {
        var r = new ScenarioRunner(Repo.Scenario($$"""{ "name": "d", "cells": 4, "initialSoc": {{initialSoc}}, "segments": [ { "durationS": {{seconds}}, "currentA": {{currentA}} } ] }"""), Repo.Files);
        r.Run(null, 1);
        return r;
    }

    /// <summary>A reset: a new controller on the same rig (the pack as the run left it, under the same load) over the same SOC flash.</summary>
    private static BmsController Reboot(ScenarioRunner r, SimFlash socFlash)
    {
        var ctl = Firmware.BmsComposition.Build(r.Setup.Board, r.Setup.Profile, r.Setup.FirmwareCell, r.Rig.Hardware);
        ctl.AttachLab(new EventLog(new SimFlash(64 * 1024, Block)), new CaptureBuffer(4, 60, 40));
        if (socFlash != null) ctl.AttachSocMemory(new SocMemory(socFlash, r.Setup.Board.CellCount, r.Setup.FirmwareCell.CapacityAh));
        for (int k = 0; k < 3; k++)
        {
            r.Clock.Advance(100);
            ctl.Tick();
        }
        return ctl;
    }

    private static EventRecord[] Records(BmsController ctl)
    {
        var records = new EventRecord[ctl.Lab.Log.Capacity];
        return records[..ctl.Lab.Log.ReadAll(records)];
    }

    [Fact]
    public void A_reset_under_load_restarts_from_the_saved_soc_and_logs_it()
    {
        var r = Discharge(0.9, 2.0, 1200);
        double before = r.Controller.Estimator.PackSoc, truth = r.Pack.TrueSoc();
        Assert.True(Math.Abs(before - truth) < 0.01, $"estimate {before} vs truth {truth} before the reset");
        Assert.True(r.Controller.Estimator.CorrectedCurrentA > 1.5f, "the reset must come under load");

        var restored = Reboot(r, SimFlash.FromImage(r.SocFlash.Image, Block));
        float after = restored.Estimator.PackSoc;
        // What moved since the last record is at most SaveStepSoc; combining with the loaded voltage moves it very little.
        Assert.True(Math.Abs(after - before) <= SocMemory.SaveStepSoc + 0.002, $"restored {after} vs {before} before the reset");
        Assert.True(restored.Estimator.Filter(0).SocSigma < 0.02f, $"sigma {restored.Estimator.Filter(0).SocSigma}: the saved state's, not the loaded start's 0.15");
        Assert.Contains(Records(restored), x => x.Kind == EventKind.SocRestore && x.Code == SocMemory.Restored);

        // Without the memory the same reset starts from the voltage behind the load, with the loaded start's doubt.
        var cold = Reboot(r, null);
        // (measured: restored 0.6756, sigma 0.003; cold 0.599, sigma 0.09; truth 0.6775)
        Assert.Equal(-1, cold.Estimator.RestoreOutcome);
        Assert.True(cold.Estimator.Filter(0).SocSigma > 0.05f, $"cold sigma {cold.Estimator.Filter(0).SocSigma}");
        Assert.DoesNotContain(Records(cold), x => x.Kind == EventKind.SocRestore);
    }

    [Fact]
    public void A_saved_state_the_cells_voltages_contradict_is_not_used()
    {
        // The state saved at SOC 0.9; then the same rig's flash is found on a pack at SOC 0.2 (charged or discharged by
        // something else while the firmware was off).
        var first = Discharge(0.9, 0.5, 120);
        var other = Discharge(0.2, 0.0, 5);
        var ctl = Reboot(other, SimFlash.FromImage(first.SocFlash.Image, Block));
        Assert.True(Math.Abs(ctl.Estimator.PackSoc - 0.2) < 0.05, $"estimate {ctl.Estimator.PackSoc}: from the voltage, not the saved 0.9");
        Assert.Contains(Records(ctl), x => x.Kind == EventKind.SocRestore && x.Code == SocMemory.DisagreesWithVoltage);
    }

    [Fact]
    public void Records_are_written_as_the_soc_moves_not_every_tick()
    {
        var r = Discharge(0.9, 2.0, 600);
        var memory = new SocMemory(SimFlash.FromImage(r.SocFlash.Image, Block), r.Setup.Board.CellCount, r.Setup.FirmwareCell.CapacityAh);
        double moved = 0.9 - r.Pack.TrueSoc();
        // One record at the start, then one per SaveStepSoc of movement (checked once a second): a few dozen, not 6,000.
        uint expected = (uint)(moved / SocMemory.SaveStepSoc);
        Assert.InRange(memory.Saved.Sequence, expected / 2, expected + 3);
        Assert.Equal(r.Controller.Estimator.CellSoc(0), memory.Saved.Soc[0], SocMemory.SaveStepSoc);
    }
}
