using System.Collections.Generic;
using System.Linq;
using SolidBms.Core.Config;
using SolidBms.Core.Lab;
using SolidBms.Core.Protocol;
using SolidBms.Simulator.Hardware;
using M = SolidBms.Core.Protocol.ModbusRegisterMap;

namespace SolidBms.Tests;

/// <summary>
/// Issue 21: evidence that survives a hostile operator. The flash event log cannot be flooded from the ports,
/// open commands do not wash the write log, a trip's capture window cannot be released unread, the arming
/// record holds the whole mask, weak and placeholder keys unlock nothing.
/// </summary>
public class EvidenceTests
{
    /// <summary>A 4-cell pack whose stack pressure falls at 60 s: stackPressureLow (class 8) trips about 2 s later, stackPressureRate (10) after it.</summary>
    private const string PressureTrip = """
        { "name": "ev", "cells": 4, "segments": [ { "durationS": 36000, "rest": true } ],
          "events": [ { "atS": 60, "kind": "pressure-step", "deltaKpa": -800 } ] }
        """;

    private static ProtocolRig TrippedRig()
    {
        var rig = new ProtocolRig(cells: 4, scenarioJson: PressureTrip);
        while (!rig.Runner.Controller.Supervisor.Monitors[8].TripLatched) rig.Step();
        rig.Step(100); // 10 s more: the pressure-rate trip (class 10) follows; the capture is still recording (20 s post window)
        return rig;
    }

    private static List<EventRecord> FlashRecords(ProtocolRig rig)
    {
        // Decoded from the flash image as the eventlog tool does: a fresh reader over the bytes alone.
        var flash = rig.Runner.Flash;
        var log = new EventLog(SimFlash.FromImage(flash.Image, flash.BlockSizeBytes));
        var records = new EventRecord[log.Capacity];
        return records.Take(log.ReadAll(records)).ToList();
    }

    // ---- finding 1: the flash event log cannot be flooded ----

    [Fact]
    public void AFloodOfBadKeysOnBothPortsLeavesTheResetAndTripRecords()
    {
        var rig = TrippedRig();
        var before = FlashRecords(rig);
        Assert.Equal(EventKind.Reset, before[0].Kind);
        Assert.Contains(before, r => r.Kind == EventKind.TripLatched && r.Code == 8);
        const int ticks = 3000; // 300 s of the firmware's clock: 6,300 refusals, 3x the log's 2,048 slots
        for (int i = 0; i < ticks; i++)
        {
            rig.Line.Send("UNLOCK xxxxxxxxxxxx\r\n");   // bad key, then locked out: refused either way
            rig.Modbus.Send(KeyFrame("yyyyyyyyyyyy")); // the same on Modbus
            if (i % 10 == 0) rig.Line.Send("ABUSE REQUEST t 1 60\r\nLOCK\r\nSET cellOverVoltage.trip 4280\r\n");
            rig.Step();
            rig.Line.TakeBytes();
            rig.Modbus.TakeBytes();
        }
        var after = FlashRecords(rig);
        // Every record from before the flood is still there and decodes as it did.
        foreach (var r in before) Assert.Contains(after, a => a.Sequence == r.Sequence && a.Kind == r.Kind && a.Code == r.Code && a.TimeMs == r.TimeMs);
        Assert.Equal(EventKind.Reset, after[0].Kind);
        Assert.Contains(after, r => r.Kind == EventKind.TripLatched && r.Code == 8);
        Assert.Contains(after, r => r.Kind == EventKind.CaptureTriggered);
        // Summarised: one record at the first refusal, then at most one a minute, not one per refusal; every
        // refusal is counted, in a record or still waiting for its minute.
        var summaries = after.Where(r => r.Kind == EventKind.Refusals).ToList();
        var others = after.Where(a => !before.Any(r => r.Sequence == a.Sequence) && a.Kind != EventKind.Refusals).Select(a => a.Kind + ":" + a.Code);
        Assert.Equal("", string.Join(" ", others));
        Assert.Equal(5, summaries.Count); // at 0, 60, 120, 180 and 240 s of the 300 s flood
        Assert.Equal(6300, summaries.Sum(r => r.Code) + rig.Runner.Controller.Lab.Refusals.Pending);
        Assert.Equal(0b1011u, summaries.Aggregate(0u, (k, r) => k | r.CodeHigh)); // kinds: bad key, abuse request, locked out
    }

    private static byte[] KeyFrame(string key)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(key);
        var f = new List<int> { 1, 16, 0, M.HoKeyBase, 0, bytes.Length / 2, bytes.Length };
        f.AddRange(bytes.Select(b => (int)b));
        return ProtocolRig.Frame(f.ToArray());
    }

    // ---- finding 2: nothing without the key changes the write log's visible history ----

    [Fact]
    public void OpenCommandsCannotPushAcceptedWritesOutOfTheLog()
    {
        var rig = new ProtocolRig();
        rig.One("UNLOCK " + ProtocolRig.Key);
        Assert.Contains(",OK,SET,", rig.One("SET cellOverVoltage.trip 4280"));
        for (int i = 0; i < 40; i++)
        {
            rig.One("LOCK");
            rig.One("UNLOCK wrong-key-" + i);
            rig.One("SET cellOverVoltage.trip 4290");
            rig.One(i % 2 == 0 ? "CAPTURE START 200" : "CAPTURE STOP");
            rig.One("ABUSE DISARM");
            rig.Request(ProtocolRig.Frame(1, 6, 0, M.HoCommand, 0, M.CommandLock));
            rig.Request(ProtocolRig.Frame(1, 6, 0, M.HoLimitBase + 3, 4290 >> 8, 4290 & 0xFF));
        }
        var all = Pages(rig);
        Assert.Contains(all, l => l.Contains(",line,unlock,-,accepted"));
        Assert.Contains(all, l => l.Contains(",line,set,cellOverVoltage.trip=4280,accepted"));
        // The open commands are still shown (the newest of them), after the key holder's entries.
        Assert.Contains(all, l => l.Contains(",line,lock,-,accepted"));
        Assert.Contains(all, l => l.Contains(",modbus,set,-,regs=103-103,not-authorised"));
    }

    /// <summary>Every entry LOG shows, paging from the oldest held.</summary>
    private static List<string> Pages(ProtocolRig rig)
    {
        var all = new List<string>();
        long from = 0;
        while (true)
        {
            var entries = rig.Command("LOG " + from).Where(l => !l.Contains(",end,")).ToList();
            if (entries.Count == 0) return all;
            all.AddRange(entries);
            from = long.Parse(entries[^1].Split(',')[4]) + 1;
        }
    }

    // ---- finding 3: a trip's capture window is released only once held and downloaded ----

    [Fact]
    public void ATripWindowCannotBeReleasedBeforeItIsHeldAndDownloaded()
    {
        var rig = TrippedRig();
        var capture = rig.Runner.Controller.Lab.Capture;
        Assert.True(capture.Triggered && !capture.Frozen);
        long trigger = capture.TriggerTimeMs;
        rig.One("UNLOCK " + ProtocolRig.Key);
        rig.WriteKey(ProtocolRig.Key);
        var release = ProtocolRig.Frame(1, 6, 0, M.HoCommand, 0, M.CommandLabCaptureRelease);
        Assert.Contains(",ERR,CAPTURE,E08,", rig.One("CAPTURE RELEASE"));
        Assert.Equal(new byte[] { 1, 0x86, M.ExDeviceFailure }, rig.Request(release)[..3]);
        Assert.True(capture.Triggered);
        Assert.Equal(trigger, capture.TriggerTimeMs);
        while (!capture.Frozen) rig.Step();
        // Held, not yet downloaded: still refused on both ports.
        Assert.Contains(",ERR,CAPTURE,E08,", rig.One("CAPTURE RELEASE"));
        Assert.Equal(new byte[] { 1, 0x86, M.ExDeviceFailure }, rig.Request(release)[..3]);
        Assert.True(capture.Frozen);
        Assert.Equal(trigger, capture.TriggerTimeMs);
        int lines = Dump(rig);
        Assert.Equal(capture.Count, lines);
        Assert.Contains(",OK,CAPTURE,released", rig.One("CAPTURE RELEASE"));
        Assert.False(capture.Triggered);
    }

    /// <summary>CAPTURE DUMP to its end line; returns the sample lines.</summary>
    private static int Dump(ProtocolRig rig)
    {
        Assert.Contains(",OK,CAPTURE,start,", rig.One("CAPTURE DUMP"));
        int samples = 0;
        for (int i = 0; i < 1000; i++)
        {
            rig.Step();
            foreach (var l in ProtocolRig.Lines(rig.Line.TakeText()).Where(l => l.StartsWith("$SBR")))
            {
                if (l.Contains(",OK,CAP,")) samples++;
                if (l.Contains(",OK,CAPTURE,end,")) return samples;
            }
        }
        Assert.Fail("the capture download did not end");
        return -1;
    }

    // ---- finding 4: the arming record holds the whole inhibit mask ----

    [Fact]
    public void TheArmingRecordHoldsTheWholeInhibitMask()
    {
        var rig = new ProtocolRig(cells: 4);
        var c = rig.Runner.Controller;
        uint mask = (1u << 0) | (1u << 16) | (1u << 17); // cellOverVoltage, chargeAboveLimit, r0Growth
        Assert.Equal(mask, mask & c.InhibitableClasses);
        rig.One("UNLOCK " + ProtocolRig.Key);
        Assert.Contains(",OK,ABUSE,requested,", rig.One("ABUSE REQUEST overcharge 30001 600"));
        Assert.Contains(",OK,ABUSE,armed:00030001,", rig.One("ABUSE CONFIRM overcharge"));
        // The EVENTS download (kind 11 = AbuseArmed) gives the code as the flash holds it.
        Assert.Contains(",OK,EVENTS,start,", rig.One("EVENTS"));
        var lines = new List<string>();
        for (int i = 0; i < 200 && !lines.Any(l => l.Contains(",OK,EVENTS,end,")); i++)
        {
            rig.Step();
            lines.AddRange(ProtocolRig.Lines(rig.Line.TakeText()).Where(l => l.StartsWith("$SBR")));
        }
        var armed = lines.Single(l => l.Contains(",OK,EV,") && l.Split(',')[6] == "11"); // $SBR,2,OK,EV,seq,t_ms,kind,code,...
        Assert.Equal(mask.ToString(), armed.Split(',')[7]);
        // Every class an abuse test may inhibit fits the record (its code holds bits 0..23).
        Assert.True(c.InhibitableClasses < (1u << 24));
    }

    // ---- finding 11: keys ----

    private static string Board(string keyLine) =>
        Repo.Read("board/boards/sim-analog-16.board").Replace("deviceKey = sim-analog-16-bench", keyLine);

    [Theory]
    [InlineData("CHANGE-ME-SOLIDBMS")]
    [InlineData("Change-Me-SolidBMS")]
    public void ThePlaceholderInAnyLetterCaseUnlocksNothing(string key)
    {
        var auth = new DeviceAuth(key);
        Assert.True(auth.IsPlaceholder);
        var bytes = System.Text.Encoding.ASCII.GetBytes(key);
        Assert.Equal(DeviceAuth.Placeholder, auth.TryUnlock(bytes, 0, bytes.Length, 0));
        // A board file carrying it is a board with the placeholder (status bit 12, the sim warning).
        Assert.Equal(DeviceAuth.PlaceholderKey, BoardConfig.Load(Board("deviceKey = " + key), "b.board").DeviceKey);
    }

    [Theory]
    [InlineData("aaaaaaaaaaaa")]
    [InlineData("abababababab")]
    [InlineData("123412341234")]
    [InlineData("aaaaaaaaaaaabbbbbbbbbbbbcccc")]
    public void KeysWithoutEnoughVarietyAreRefused(string key)
    {
        var e = Assert.Throws<ConfigException>(() => BoardConfig.Load(Board("deviceKey = " + key), "b.board"));
        Assert.Contains("security.deviceKey: must have at least 8 different characters", e.Message);
    }

    // ---- finding 11: Modbus 06 of 0 to a reserved field is ignored, as the map says ----

    [Fact]
    public void WritingZeroToAReservedFieldIsIgnored()
    {
        var rig = new ProtocolRig();
        rig.WriteKey(ProtocolRig.Key);
        string before = rig.Snapshot();
        var write = ProtocolRig.Frame(1, 6, 0, M.HoLimitBase + 7, 0, 0); // cellOverVoltage row, field 7 (reserved)
        Assert.Equal(write, rig.Request(write));
        Assert.Equal(before, rig.Snapshot());
        Assert.Equal(new byte[] { 1, 0x86, M.ExIllegalValue }, rig.Request(ProtocolRig.Frame(1, 6, 0, M.HoLimitBase + 7, 0, 1))[..3]);
        Assert.Equal(new byte[] { 1, 0x86, M.ExIllegalAddress }, rig.Request(ProtocolRig.Frame(1, 6, 0, M.HoLimitBase + 19 * M.HoLimitStride, 0, 0))[..3]);
        Assert.Equal(before, rig.Snapshot());
    }
}
