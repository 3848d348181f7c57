using SolidBms.Core.Lab;
using SolidBms.Core.Measurement;
using SolidBms.Simulator.Hardware;

namespace SolidBms.Tests;

/// <summary>
/// Issue 24, item 2: the lab evidence code (event records, the capture, the abuse-test mode, the refusal summary) at
/// the boundaries a mutation tester (Stryker.NET, scripts/mutation.sh) changes: each test names the rule it holds.
/// </summary>
public class MutantKillerLabTests
{
    // ---- EventRecord ----

    [Theory]
    [InlineData(1.4f, 1f, 1)]
    [InlineData(1.5f, 1f, 2)]      // rounded half away from zero
    [InlineData(-1.4f, 1f, -1)]
    [InlineData(-1.5f, 1f, -2)]
    [InlineData(3.2549f, 100f, 325)]
    [InlineData(0f, 10f, 0)]
    [InlineData(32766.4f, 1f, 32766)] // the largest number a field holds
    [InlineData(-32767.4f, 1f, -32767)]
    public void AReadingIsScaledAndRoundedIntoItsField(float value, float scale, int expected)
    {
        Assert.Equal((short)expected, EventRecord.Pack(value, scale));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    [InlineData(32766.5f)]  // would round to 32767, the Unknown marker itself
    [InlineData(-32767.5f)] // would round past the field
    [InlineData(1e9f)]
    public void AnUnknownOrUnrepresentableReadingIsStoredAsUnknown(float value)
    {
        Assert.Equal(EventRecord.Unknown, EventRecord.Pack(value, 1f));
    }

    [Fact]
    public void PackReadingsPacksEveryReadingAsPackDoesAndAReadingNotOkAsUnknown()
    {
        float[] values = { 1.4f, 1.5f, -1.4f, -1.5f, 0f, 3.2549f, 32766.4f, 32766.5f, -32767.4f, -32767.5f, 1e9f, -1e9f,
            float.NaN, float.PositiveInfinity, float.NegativeInfinity, -250.25f };
        var status = new SensorStatus[values.Length];
        foreach (float scale in new[] { 1f, 10f, 100f })
        {
            var into = new short[values.Length + 2];
            into[0] = 11; into[^1] = 22; // outside the run: untouched
            PackReadingsOfAll(values, status, SensorStatus.Ok, scale, into);
            for (int c = 0; c < values.Length; c++)
                Assert.True(EventRecord.Pack(values[c], scale) == into[1 + c], $"{values[c]} x {scale}: {into[1 + c]}, Pack gives {EventRecord.Pack(values[c], scale)}");
            Assert.Equal((short)11, into[0]);
            Assert.Equal((short)22, into[^1]);
        }
        var one = new short[values.Length];
        EventRecord.PackReadings(values, Filled(status, SensorStatus.Ok), values.Length, 100f, one, 0);
        Assert.Equal((short)-150, one[3]);   // -1.5 A in 10 mA: rounded away from zero
        Assert.Equal((short)325, one[5]);
        Assert.Equal(EventRecord.Unknown, one[9]); // -32767.5 x 100: past the field
        PackReadingsOfAll(values, status, SensorStatus.Stale, 1f, one = new short[values.Length + 2]);
        for (int c = 0; c < values.Length; c++) Assert.Equal(EventRecord.Unknown, one[1 + c]);
    }

    private static SensorStatus[] Filled(SensorStatus[] a, SensorStatus s) { System.Array.Fill(a, s); return a; }

    private static void PackReadingsOfAll(float[] values, SensorStatus[] status, SensorStatus s, float scale, short[] into) =>
        EventRecord.PackReadings(values, Filled(status, s), values.Length, scale, into, 1);

    private static EventRecord EveryFieldDistinct() => new()
    {
        Kind = EventKind.TripLatched, Code = 0xA1B2, Sequence = 0xC3D4E5F6, TimeMs = 0x0123456789AB,
        MinCellMillivolts = -2, MaxCellMillivolts = 4321, MaxTemperatureDeciC = -345, CurrentCentiA = -12345,
        PressureKpa = 1234, SocPermille = 987, State = 0xEE, CodeHigh = 0x7C,
    };

    [Fact]
    public void EveryFieldOfARecordReadsBackAsWritten()
    {
        var b = new byte[EventRecord.Size + 3];
        EveryFieldDistinct().WriteTo(b, 3); // at an offset: every field is placed relative to it
        Assert.True(EventRecord.TryRead(b, 3, out var r));
        Assert.Equal(EveryFieldDistinct(), r);
        Assert.Equal(0x7CA1B2u, r.WideCode);
    }

    [Fact]
    public void ARecordWithAWrongMarkerOrAnyChangedByteIsNotRead()
    {
        var b = new byte[EventRecord.Size];
        EveryFieldDistinct().WriteTo(b, 0);
        for (int i = 0; i < EventRecord.Size; i++)
        {
            var torn = (byte[])b.Clone();
            torn[i] ^= 0x10;
            Assert.False(EventRecord.TryRead(torn, 0, out _), $"a record with byte {i} changed was read");
        }
    }

    [Fact]
    public void AWideCodeKeepsItsLow24Bits()
    {
        var r = new EventRecord();
        r.SetWideCode(0x12345678);
        Assert.Equal((ushort)0x5678, r.Code);
        Assert.Equal((byte)0x34, r.CodeHigh);
        Assert.Equal(0x345678u, r.WideCode);
    }

    // ---- EventLog ----

    [Fact]
    public void TheLogsSizesFollowItsFlash()
    {
        var log = new EventLog(new SimFlash(4 * 1024, 1024)); // 4 blocks of 32 slots
        Assert.Equal(128, log.Capacity);
        Assert.Equal(128, log.SlotCount);
        Assert.Equal(3 * 32 + 1, log.MinimumHeld);
        Assert.Equal(1u, log.NextSequence);
        Assert.Equal(0, log.TornSlotsFound);
    }

    [Fact]
    public void AfterARestartTheLogGoesOnFromItsNewestRecordInAnyBlock()
    {
        var flash = new SimFlash(4 * 1024, 1024);
        var log = new EventLog(flash);
        for (int i = 0; i < 32 * 4 + 5; i++) log.Append(new EventRecord { Kind = EventKind.FaultRaised, Code = (ushort)i, TimeMs = i });
        var rebooted = new EventLog(SimFlash.FromImage(flash.Image, 1024));
        Assert.Equal((uint)(32 * 4 + 6), rebooted.NextSequence);
        rebooted.Append(new EventRecord { Kind = EventKind.Reset });
        var read = new EventRecord[rebooted.Capacity];
        int n = rebooted.ReadAll(read);
        Assert.Equal(3 * 32 + 6, n); // the wrapped ring: three full blocks and the six of the newest
        for (int k = 1; k < n; k++) Assert.Equal(read[k - 1].Sequence + 1, read[k].Sequence);
        Assert.Equal(EventKind.Reset, read[n - 1].Kind);
        Assert.True(rebooted.TryReadRingSlot(0, out var oldest)); // the ring counted from the oldest block
        Assert.Equal(read[0].Sequence, oldest.Sequence);
    }

    private static EventLog LogWith(int records, out SimFlash flash)
    {
        flash = new SimFlash(4 * 1024, 1024);
        var log = new EventLog(flash);
        for (int i = 0; i < records; i++) log.Append(new EventRecord { Kind = EventKind.FaultRaised, Code = (ushort)i });
        return log;
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(10, 4)]
    [InlineData(10, 10)]
    public void ReadAllFillsAsMuchOfTheCallersArrayAsItHasRecordsForAndNoMore(int records, int arrayLength)
    {
        var log = LogWith(records, out _);
        var into = new EventRecord[arrayLength];
        int n = log.ReadAll(into);
        Assert.Equal(System.Math.Min(records, arrayLength), n);
        for (int k = 0; k < n; k++) Assert.Equal((uint)(k + 1), into[k].Sequence); // the oldest, in order
    }

    [Fact]
    public void AfterARestartTheLogGoesOnInTheBlockOfItsOnlyRecordWhateverItsNumber()
    {
        // A record numbered 0 (the counter wrapped past 2^32) in block 2 and nothing else: it is the newest, and the
        // next record goes into the slot after it, not into block 0.
        var flash = new SimFlash(4 * 1024, 1024);
        var b = new byte[EventRecord.Size];
        new EventRecord { Kind = EventKind.Reset, Sequence = 0, TimeMs = 5 }.WriteTo(b, 0);
        flash.Write(2 * 1024, b, 0, b.Length);
        var log = new EventLog(flash);
        Assert.Equal(1u, log.NextSequence);
        log.Append(new EventRecord { Kind = EventKind.FaultRaised });
        Assert.True(EventRecord.TryRead(flash.Image, 2 * 1024 + EventRecord.Size, out var next));
        Assert.Equal(1u, next.Sequence);
        Assert.False(EventRecord.TryRead(flash.Image, 0, out _)); // block 0 still erased
    }

    // ---- CaptureBuffer ----

    private static PackMeasurement Sample(long t, float amps, SensorStatus currentStatus = SensorStatus.Ok)
    {
        var m = new PackMeasurement(2, 1) { TimestampMs = t, PackCurrentA = amps, PackCurrentStatus = currentStatus };
        m.CellMillivolts[0] = 3700; m.CellVoltageStatus[0] = SensorStatus.Ok;
        m.CellMillivolts[1] = 3800; m.CellVoltageStatus[1] = SensorStatus.Stale;
        return m;
    }

    [Fact]
    public void APreTriggerWindowAsLongAsTheBufferLeavesOneSampleAfterTheTrigger()
    {
        Assert.Equal(9, new CaptureBuffer(2, 10, 10).PreTriggerSamples);
        Assert.Equal(9, new CaptureBuffer(2, 10, 50).PreTriggerSamples);
        Assert.Equal(4, new CaptureBuffer(2, 10, 4).PreTriggerSamples);
    }

    [Fact]
    public void TheCaptureHoldsThePreWindowThenThePostWindowInOrder()
    {
        var c = new CaptureBuffer(2, 6, 2);
        for (int t = 0; t < 10; t++) c.Record(Sample(t * 100, t), 1, 25f, 1000f); // wraps the ring
        Assert.Equal(6, c.Count);
        Assert.True(c.Trigger(1000, true));
        Assert.Equal(2, c.Count); // only the pre-window is kept
        for (int t = 10; t < 13; t++) { c.Record(Sample(t * 100, t), 2, 25f, 1000f); Assert.False(c.Frozen); }
        c.Record(Sample(1300, 13), 2, 25f, 1000f);
        Assert.True(c.Frozen); // 6 - 2 = 4 samples after the trigger
        c.Record(Sample(1400, 14), 3, 25f, 1000f); // frozen: ignored
        Assert.Equal(6, c.Count);
        for (int k = 0; k < 6; k++)
        {
            Assert.Equal((8 + k) * 100L, c.TimeMsAt(k));
            Assert.Equal((short)((8 + k) * 100), c.CurrentCentiAAt(k));
            Assert.Equal((byte)(k < 2 ? 1 : 2), c.StateAt(k));
        }
        Assert.Equal((short)3700, c.CellMillivoltsAt(0, 0));
        Assert.Equal(EventRecord.Unknown, c.CellMillivoltsAt(0, 1)); // a stale cell is no number
        Assert.Equal((short)250, c.MaxTemperatureDeciCAt(0));
        Assert.Equal((short)1000, c.PressureKpaAt(0));
        Assert.Equal(1000, c.TriggerTimeMs);
    }

    [Fact]
    public void AnInvalidCurrentIsCapturedAsUnknown()
    {
        var c = new CaptureBuffer(2, 4, 1);
        c.Record(Sample(0, 5f, SensorStatus.ReadFailed), 0, float.NaN, float.NaN);
        Assert.Equal(EventRecord.Unknown, c.CurrentCentiAAt(0));
        Assert.Equal(EventRecord.Unknown, c.MaxTemperatureDeciCAt(0));
        Assert.Equal(EventRecord.Unknown, c.PressureKpaAt(0));
    }

    [Fact]
    public void ManualWindowsNeitherReplaceEachOtherNorATripsAndATripReplacesAManualOne()
    {
        var c = new CaptureBuffer(2, 4, 1);
        Assert.True(c.Trigger(0, false));
        Assert.Equal(CaptureBuffer.TriggerManual, c.TriggerCause);
        Assert.False(c.TriggeredByTrip);
        Assert.True(c.MayRelease); // the key holder's own window
        Assert.False(c.Trigger(10, false));
        Assert.Equal(1, c.Generation);
        for (int t = 0; t < 3; t++) c.Record(Sample(t, 0), 0, 25, 1000);
        Assert.True(c.Frozen);
        Assert.True(c.Trigger(20, true)); // a held manual window is dropped whole for the trip
        Assert.Equal(CaptureBuffer.TriggerTripReplacedManual, c.TriggerCause);
        Assert.True(c.TriggeredByTrip);
        Assert.False(c.Frozen);
        Assert.Equal(0, c.Count);
        Assert.Equal(2, c.Generation);
        Assert.False(c.MayRelease);
        Assert.False(c.Trigger(30, true)); // a later trip never overwrites a trip's window
        Assert.False(c.Trigger(30, false));
        for (int t = 0; t < 3; t++) c.Record(Sample(t, 0), 0, 25, 1000);
        Assert.True(c.Frozen);
        Assert.False(c.MayRelease); // held, not downloaded
        c.MarkDownloaded(1); // a download of an older window
        Assert.False(c.Downloaded);
        c.MarkDownloaded(2);
        Assert.True(c.Downloaded);
        Assert.True(c.MayRelease);
        c.Release();
        Assert.False(c.Triggered);
        Assert.False(c.Frozen);
        Assert.False(c.Downloaded);
        Assert.Equal(-1, c.TriggerTimeMs);
    }

    [Fact]
    public void AnUntriggeredCaptureIsNoTripWindowAndMayBeReleased()
    {
        var c = new CaptureBuffer(2, 4, 1);
        Assert.Equal(-1, c.TriggerTimeMs); // "no trigger" as after a release
        Assert.False(c.Triggered);
        Assert.False(c.TriggeredByTrip);
        Assert.True(c.MayRelease);
    }

    [Fact]
    public void ADownloadBeforeTheWindowFrozeDoesNotCount()
    {
        var c = new CaptureBuffer(2, 4, 1);
        c.Trigger(0, true);
        c.MarkDownloaded(1);
        Assert.False(c.Downloaded);
    }

    // ---- LabRecorder ----

    [Fact]
    public void ABoardWithoutTheFlashLogStillCapturesTheTripWindow()
    {
        var supervisor = new SolidBms.Core.Safety.SafetySupervisor(Repo.AssbProfile(), 4, 1, 100);
        var capture = new CaptureBuffer(4, 8, 2);
        var lab = new LabRecorder(null, capture, supervisor.FaultClassCount);
        Assert.Equal(0, lab.GuaranteedRecords);
        Assert.Null(lab.Log);
        var m = MutantKillerSafetyTests.Healthy();
        m.CellMillivolts[0] = 4400; // over the 4300 mV trip: latches after 500 ms
        for (int k = 0; k <= 6; k++)
        {
            supervisor.Evaluate(m, k * 100, 0, float.NaN);
            lab.OnTick(m, supervisor, 0.5f, 0, k * 100);
        }
        Assert.True(capture.TriggeredByTrip);
        Assert.Equal(500, capture.TriggerTimeMs);
        lab.Append(EventKind.UnlockRefused, 1, m, 0.5f, 0, 700); // no log: nothing to count into
        Assert.Equal(0, lab.Refusals.Pending);
    }

    [Fact]
    public void ARecorderSizedForMoreClassesThanTheSupervisorHasWalksOnlyTheSupervisors()
    {
        var supervisor = new SolidBms.Core.Safety.SafetySupervisor(Repo.AssbProfile(), 4, 1, 100);
        var log = new EventLog(new SimFlash(8 * 1024, 1024));
        var lab = new LabRecorder(log, null, supervisor.FaultClassCount + 8);
        Assert.Equal(log.MinimumHeld - RefusalSummary.MaxHeld, lab.GuaranteedRecords);
        var m = MutantKillerSafetyTests.Healthy();
        m.CellMillivolts[0] = 4400;
        for (int k = 0; k <= 6; k++)
        {
            supervisor.Evaluate(m, k * 100, 0, float.NaN);
            lab.OnTick(m, supervisor, 0.5f, 0, k * 100);
        }
        var read = new EventRecord[log.Capacity];
        int n = log.ReadAll(read);
        Assert.Contains(read[..n], r => r.Kind == EventKind.TripLatched && r.Code == SolidBms.Core.Safety.SafetySupervisor.CellOverVoltageClass);
    }

    private static EventRecord[] Records(EventLog log)
    {
        var all = new EventRecord[log.Capacity];
        return all[..log.ReadAll(all)];
    }

    /// <summary>A supervisor of 4 cells, a log of 8 blocks of 32 slots and a recorder sized for <paramref name="classes"/> (default: the supervisor's).</summary>
    private static (SolidBms.Core.Safety.SafetySupervisor s, EventLog log, LabRecorder lab) Rig(int classes = -1)
    {
        var supervisor = new SolidBms.Core.Safety.SafetySupervisor(Repo.AssbProfile(), 4, 1, 100);
        var log = new EventLog(new SimFlash(8 * 1024, 1024));
        return (supervisor, log, new LabRecorder(log, null, classes < 0 ? supervisor.FaultClassCount : classes));
    }

    [Fact]
    public void ARecorderSizedForFewerClassesThanTheSupervisorHasWalksOnlyItsOwn()
    {
        var (supervisor, log, lab) = Rig(2);
        var m = MutantKillerSafetyTests.Healthy();
        for (int c = 0; c < 4; c++) m.CellMillivolts[c] = 4400; // cell and pack over-voltage (classes 0 and 12) trip
        for (int k = 0; k <= 12; k++)
        {
            supervisor.Evaluate(m, k * 100, 0, float.NaN);
            lab.OnTick(m, supervisor, 0.5f, 0, k * 100);
        }
        Assert.True(supervisor.ClassLevel(12) == SolidBms.Core.Safety.LevelMonitor.Trip);
        var trips = System.Array.FindAll(Records(log), r => r.Kind == EventKind.TripLatched);
        Assert.Equal(new ushort[] { 0 }, System.Array.ConvertAll(trips, r => r.Code));
    }

    [Fact]
    public void AFaultThatFallsFromAlarmToWarningIsLoggedWithTheLevelItFellTo()
    {
        var (supervisor, log, lab) = Rig();
        var m = MutantKillerSafetyTests.Healthy();
        long t = 0;
        void Run(float cell0Mv, int ticks)
        {
            m.CellMillivolts[0] = cell0Mv;
            for (int k = 0; k < ticks; k++, t += 100)
            {
                supervisor.Evaluate(m, t, 0, float.NaN);
                lab.OnTick(m, supervisor, 0.5f, 0, t);
            }
        }
        Run(4270, 15); // over the 4250 mV alarm, under the trip: alarm after 1 s
        Assert.Equal(SolidBms.Core.Safety.LevelMonitor.Alarm, supervisor.ClassLevel(0));
        Run(4210, 5);  // under the alarm's release (4250 - 30), over the warning's (4220 - 30)
        Assert.Equal(SolidBms.Core.Safety.LevelMonitor.Warning, supervisor.ClassLevel(0));
        var cleared = System.Array.FindAll(Records(log), r => r.Kind == EventKind.FaultCleared && (r.Code & 0xFF) == 0);
        Assert.Single(cleared);
        Assert.Equal(SolidBms.Core.Safety.LevelMonitor.Warning, cleared[0].Code >> 8);
    }

    [Fact]
    public void AWarningIsLoggedButOnlyATripTriggersTheCapture()
    {
        var supervisor = new SolidBms.Core.Safety.SafetySupervisor(Repo.AssbProfile(), 4, 1, 100);
        var capture = new CaptureBuffer(4, 8, 2);
        var log = new EventLog(new SimFlash(8 * 1024, 1024));
        var lab = new LabRecorder(log, capture, supervisor.FaultClassCount);
        var m = MutantKillerSafetyTests.Healthy();
        m.CellMillivolts[0] = 4230; // over the 4220 mV warning only
        for (int k = 0; k <= 15; k++)
        {
            supervisor.Evaluate(m, k * 100, 0, float.NaN);
            lab.OnTick(m, supervisor, 0.5f, 0, k * 100);
        }
        Assert.Contains(Records(log), r => r.Kind == EventKind.FaultRaised && r.Code == (0 | (SolidBms.Core.Safety.LevelMonitor.Warning << 8)));
        Assert.False(capture.Triggered);
    }

    [Fact]
    public void ARecordCarriesTheCurrentOnlyWhenItsReadingIsOk()
    {
        var log = new EventLog(new SimFlash(4 * 1024, 1024));
        var lab = new LabRecorder(log, null, 23);
        var m = MutantKillerSafetyTests.Healthy();
        m.PackCurrentA = -12.34f;
        lab.Append(EventKind.FaultRaised, 1, m, 0.5f, 0, 0);
        m.PackCurrentStatus = SensorStatus.ReadFailed; // the value left in the field is no reading
        lab.Append(EventKind.FaultRaised, 2, m, 0.5f, 0, 100);
        var r = Records(log);
        Assert.Equal((short)-1234, r[0].CurrentCentiA);
        Assert.Equal(EventRecord.Unknown, r[1].CurrentCentiA);
    }

    [Fact]
    public void ARefusalCountThatWaitedForItsIntervalIsWrittenByALaterTick()
    {
        var (supervisor, log, lab) = Rig();
        var m = MutantKillerSafetyTests.Healthy();
        supervisor.Evaluate(m, 0, 0, float.NaN);
        lab.Append(EventKind.UnlockRefused, 1, m, 0.5f, 0, 0);    // the first summary goes out at once
        lab.Append(EventKind.UnlockRefused, 2, m, 0.5f, 0, 1000); // the next waits for the interval
        Assert.Equal(1, lab.Refusals.Pending);
        lab.OnTick(m, supervisor, 0.5f, 0, RefusalSummary.IntervalMs - 100);
        Assert.Single(Records(log));
        lab.OnTick(m, supervisor, 0.5f, 0, RefusalSummary.IntervalMs); // no refusal since: the tick writes it
        var r = Records(log);
        Assert.Equal(2, r.Length);
        Assert.Equal(EventKind.Refusals, r[1].Kind);
        Assert.Equal(1u | (4u << 16), r[1].WideCode);
        Assert.Equal(0, lab.Refusals.Pending);
    }

    [Fact]
    public void AtStartUpEverySummaryInTheRingCountsOnceAndNoOtherRecordCounts()
    {
        // 15 summaries (one fewer than MaxHeld), the first in the ring's oldest slot, then other records up to a
        // wrapped ring: after a restart one more summary may still be written at once.
        var flash = new SimFlash(4 * 1024, 1024); // 4 blocks of 32 slots
        var log = new EventLog(flash);
        for (int i = 0; i < 3 * 32 + 1; i++)
            log.Append(new EventRecord { Kind = i < RefusalSummary.MaxHeld - 1 ? EventKind.Refusals : EventKind.FaultRaised, Code = 1 });
        Assert.True(log.TryReadRingSlot(0, out var oldest));
        Assert.Equal(EventKind.Refusals, oldest.Kind);
        var rebooted = new EventLog(SimFlash.FromImage(flash.Image, 1024));
        var lab = new LabRecorder(rebooted, null, 23);
        lab.Append(EventKind.UnlockRefused, 0, MutantKillerSafetyTests.Healthy(), 0.5f, 0, 0);
        Assert.Equal(0, lab.Refusals.Pending);
        Assert.Equal(RefusalSummary.MaxHeld, System.Array.FindAll(Records(rebooted), r => r.Kind == EventKind.Refusals).Length);
        lab.Append(EventKind.UnlockRefused, 0, MutantKillerSafetyTests.Healthy(), 0.5f, 0, 2L * RefusalSummary.IntervalMs);
        Assert.Equal(1, lab.Refusals.Pending); // MaxHeld in the ring now: the next waits
    }

    // ---- AbuseTestMode ----

    [Fact]
    public void AnAbuseRequestNeedsANameOf1To32CharactersAnExpiryUpTo4HoursAndAClassToInhibit()
    {
        var a = new AbuseTestMode();
        Assert.True(a.TryRequest(new string('t', 32), 1, 1, true, 0, out _));
        Assert.True(a.TryRequest("x", 1, AbuseTestMode.MaxExpiryMs, true, 0, out _));
        Assert.False(a.TryRequest(new string('t', 33), 1, 1000, true, 0, out string e));
        Assert.Equal("test name must be 1..32 characters", e);
        Assert.False(a.TryRequest("", 1, 1000, true, 0, out _));
        Assert.False(a.TryRequest(null, 1, 1000, true, 0, out _));
        Assert.False(a.TryRequest("x", 1, 0, true, 0, out e));
        Assert.Equal("expiry must be 1 ms .. 4 h", e);
        Assert.False(a.TryRequest("x", 1, AbuseTestMode.MaxExpiryMs + 1, true, 0, out _));
        Assert.False(a.TryRequest("x", 0, 1000, true, 0, out e));
        Assert.Equal("nothing to inhibit", e);
    }

    [Fact]
    public void AConfirmationExactlyAtTheEndOfItsWindowArmsForTheRequestedTime()
    {
        var a = new AbuseTestMode();
        Assert.True(a.TryRequest("oc", (1u << 31) | 4u | 1u, 5000, true, 1000, out _));
        Assert.True(a.TryConfirm("oc", true, 1000 + AbuseTestMode.ConfirmWindowMs, out _));
        Assert.Equal("oc", a.TestName);
        Assert.Equal(31000 + 5000L, a.ExpiresAtMs);
        Assert.Equal((1u << 31) | 4u | 1u, a.InhibitMask); // the supervisor acts on it (SafetySupervisor.SetInhibitMask)
        Assert.False(a.TryConfirm("oc", true, 31001, out _)); // the request is used up
        a.Disarm();
        Assert.False(a.Armed);
        Assert.Null(a.TestName);
        Assert.Equal(0u, a.InhibitMask);
        Assert.False(a.Update(40000)); // nothing armed: nothing expires
    }

    [Fact]
    public void ARefusedConfirmationSaysWhy()
    {
        var a = new AbuseTestMode();
        Assert.False(a.TryConfirm("oc", false, 0, out string e));
        Assert.Equal("locked: unlock first", e);
        Assert.False(a.TryConfirm("oc", true, 0, out e));
        Assert.Equal("no pending request (request first, confirm within 30 s)", e);
        Assert.True(a.TryRequest("oc", 1, 5000, true, 0, out e));
        Assert.Null(e);
        Assert.False(a.TryConfirm("oc", true, AbuseTestMode.ConfirmWindowMs + 1, out e));
        Assert.Equal("no pending request (request first, confirm within 30 s)", e);
    }

    // ---- RefusalSummary ----

    [Fact]
    public void ASummaryCodeCountsToItsCeilingAndNamesEachKindOnce()
    {
        var s = new RefusalSummary();
        s.Count(0);
        s.Count(7);
        s.Count(7);
        s.Count(8); // no such kind: counted, not named
        Assert.Equal(4, s.Pending);
        Assert.Equal(4u | (0x81u << 16), s.Code);
        for (int k = 4; k < 65535; k++) s.Count(1);
        Assert.Equal(65535u | (0x83u << 16), s.Code);
        s.Count(1);
        Assert.Equal(65536, s.Pending);
        Assert.Equal(65535u | (0x83u << 16), s.Code); // saturated
    }

    [Fact]
    public void ThePendingCountStopsAtItsCeilingInsteadOfWrapping()
    {
        var s = new RefusalSummary();
        s.Count(2);
        // 2^31 refusals would take minutes to count one by one: the count is set just under its ceiling.
        typeof(RefusalSummary).GetProperty(nameof(RefusalSummary.Pending))!.SetValue(s, int.MaxValue - 1);
        s.Count(2);
        Assert.Equal(int.MaxValue, s.Pending);
        s.Count(3);
        Assert.Equal(int.MaxValue, s.Pending);
        Assert.Equal(65535u | (0x0Cu << 16), s.Code);
        Assert.True(s.Due(0, 1, 100));
    }

    [Fact]
    public void ASummaryIsDueOnceAMinuteAndOnlyWhileFewerThanMaxHeldCanBeInTheRing()
    {
        var s = new RefusalSummary();
        Assert.False(s.Due(0, 1, 100)); // nothing counted
        s.Count(1);
        Assert.True(s.Due(0, 1, 100));
        s.Written(1, 0);
        Assert.Equal(0, s.Pending);
        Assert.Equal(0u, s.Code);
        s.Count(1);
        Assert.False(s.Due(RefusalSummary.IntervalMs - 1, 2, 100));
        Assert.True(s.Due(RefusalSummary.IntervalMs, 2, 100));
        for (uint k = 2; k <= RefusalSummary.MaxHeld; k++) s.Written(k, k * (long)RefusalSummary.IntervalMs);
        s.Count(1);
        long later = 100L * RefusalSummary.IntervalMs;
        // MaxHeld summaries, the oldest with sequence 1: due only once a whole ring of records has followed it.
        Assert.False(s.Due(later, 101, 100));
        Assert.True(s.Due(later, 102, 100));
        s.Written(102, later);
        s.Count(1);
        // Now the oldest held is sequence 2.
        Assert.False(s.Due(later * 2, 102, 100));
        Assert.True(s.Due(later * 2, 103, 100));
    }

    [Fact]
    public void ASummaryRememberedWhenFullReplacesTheOldestOnlyIfNewer()
    {
        var s = new RefusalSummary();
        for (uint k = 0; k < RefusalSummary.MaxHeld; k++) s.Remember(50 + k); // 50..65
        s.Remember(10); // older than all held: changes nothing
        s.Count(1);
        Assert.False(s.Due(0, 150, 100));
        Assert.True(s.Due(0, 151, 100)); // the oldest is still 50
        s.Remember(200); // replaces 50: the oldest is 51
        Assert.False(s.Due(0, 151, 100));
        Assert.True(s.Due(0, 152, 100));
    }
}
