using System;
using System.Collections.Generic;
using System.Linq;
using SolidBms.Core.Lab;
using SolidBms.Core.Measurement;
using SolidBms.Simulator.Hardware;

namespace SolidBms.Tests;

/// <summary>
/// Issue 21, the guarantee docs/lab.md states: refusals are summarised, at most one record a minute and never more
/// than RefusalSummary.MaxHeld in the ring, so the newest LabRecorder.GuaranteedRecords records of every other kind
/// survive any sequence of open commands (1,905 on the rig's 64 KiB log in 4 KiB blocks).
/// </summary>
public class EventLogFloodGuaranteeTests
{
    private const int FlashBytes = 64 * 1024, BlockBytes = 4096; // the rig's (Firmware/Esp32/Program.cs) and the simulator's log

    private static readonly PackMeasurement Reading = new(4, 1);

    [Fact]
    public void TheDocumentedNumberIsTheLogsOwn()
    {
        var lab = new LabRecorder(new EventLog(new SimFlash(FlashBytes, BlockBytes)), null, 23);
        // (16 blocks - 1) x 128 slots + 1: the fewest records a wrapped ring holds; less the 16 summaries it may hold.
        Assert.Equal(15 * 128 + 1, lab.Log.MinimumHeld);
        Assert.Equal(15 * 128 + 1 - RefusalSummary.MaxHeld, lab.GuaranteedRecords);
        Assert.Equal(1905, lab.GuaranteedRecords);
        Assert.Contains("**1905 trip records survive any sequence of open commands**", Repo.Read("docs/lab.md"));
    }

    [Fact]
    public void TheNewestGuaranteedRecordsSurviveAnySequenceOfOpenCommands()
    {
        var flash = new SimFlash(FlashBytes, BlockBytes);
        var lab = new LabRecorder(new EventLog(flash), null, 23);
        int guaranteed = lab.GuaranteedRecords;
        var trips = new List<uint>(); // sequence numbers of the records open commands must not push out
        var random = new Random(21);
        long nowMs = 0, refusals = 0, summarised = 0;
        for (int phase = 0; phase < 120; phase++)
        {
            // Alternate floods (some days long: one a minute alone would fill the ring many times over) with the
            // rig's own records, in random lengths, so summaries meet every state of the ring.
            bool flood = phase % 2 == 0;
            int n = flood ? random.Next(1, 20000) : random.Next(1, 3000);
            for (int i = 0; i < n; i++)
            {
                nowMs += flood ? random.Next(0, 120_000) : random.Next(0, 2000);
                uint before = lab.Log.NextSequence;
                int pending = lab.Refusals.Pending;
                if (flood && i % 7 == 6) lab.FlushRefusals(Reading, 0.5f, 1, nowMs); // a tick between refusals
                else if (flood)
                {
                    lab.Append(EventKind.UnlockRefused, (uint)random.Next(0, 5), Reading, 0.5f, 1, nowMs);
                    refusals++;
                    pending++;
                }
                else
                {
                    lab.Append(EventKind.TripLatched, (uint)(i % 19), Reading, 0.5f, 5, nowMs);
                    trips.Add(before);
                    continue;
                }
                if (lab.Log.NextSequence != before) summarised += pending; // a summary of everything pending was written
            }
            Check(flash, trips, guaranteed);
        }
        Assert.Equal(refusals, summarised + lab.Refusals.Pending); // every refusal is counted, in a record or waiting
        Assert.True(refusals > 500_000, refusals.ToString());
    }

    private static void Check(SimFlash flash, List<uint> trips, int guaranteed)
    {
        var log = new EventLog(SimFlash.FromImage(flash.Image, BlockBytes)); // decoded from the image alone
        var records = new EventRecord[log.Capacity];
        var held = records.Take(log.ReadAll(records)).ToList();
        Assert.True(held.Count(r => r.Kind == EventKind.Refusals) <= RefusalSummary.MaxHeld);
        var sequences = held.Where(r => r.Kind == EventKind.TripLatched).Select(r => r.Sequence).ToHashSet();
        foreach (uint s in trips.Skip(Math.Max(0, trips.Count - guaranteed))) Assert.Contains(s, sequences);
    }

    [Fact]
    public void SummariesLeftByAResetStillCount()
    {
        var flash = new SimFlash(FlashBytes, BlockBytes);
        long nowMs = 0;
        for (int boot = 0; boot < 3; boot++)
        {
            // A reset: a new log and recorder over the same flash, its reset record, then a day-long flood.
            var lab = new LabRecorder(new EventLog(flash), null, 23);
            lab.OnReset(Core.Hal.ResetCause.PowerOn, Reading, nowMs);
            for (int i = 0; i < 2000; i++)
            {
                nowMs += 61_000;
                lab.Append(EventKind.UnlockRefused, 0, Reading, 0.5f, 1, nowMs);
            }
        }
        var log = new EventLog(SimFlash.FromImage(flash.Image, BlockBytes));
        var records = new EventRecord[log.Capacity];
        var held = records.Take(log.ReadAll(records)).ToList();
        Assert.Equal(RefusalSummary.MaxHeld, held.Count(r => r.Kind == EventKind.Refusals));
        Assert.Equal(3, held.Count(r => r.Kind == EventKind.Reset));
    }

    [Fact]
    public void TheCodesHighByteIsInTheCrcAndOlderRecordsReadAsBefore()
    {
        var b = new byte[EventRecord.Size];
        var r = new EventRecord { Kind = EventKind.AbuseArmed, Sequence = 7, TimeMs = 1234 };
        r.SetWideCode(0x30001);
        r.WriteTo(b, 0);
        Assert.True(EventRecord.TryRead(b, 0, out var back));
        Assert.Equal(0x30001u, back.WideCode);
        Assert.Equal((ushort)1, back.Code);
        b[29] ^= 1;
        Assert.False(EventRecord.TryRead(b, 0, out _)); // a flipped bit of the high code fails the CRC
        // A record as firmware before issue 21 wrote it (byte 29 always 0) reads with the same code.
        r.SetWideCode(1);
        r.WriteTo(b, 0);
        Assert.Equal(0, b[29]);
        Assert.True(EventRecord.TryRead(b, 0, out back));
        Assert.Equal((ushort)1, back.Code);
        Assert.Equal(1u, back.WideCode);
    }
}
