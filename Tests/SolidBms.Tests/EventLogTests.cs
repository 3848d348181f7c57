using SolidBms.Core.Lab;
using SolidBms.Simulator.Hardware;

namespace SolidBms.Tests;

/// <summary>The flash event log survives power cuts at every byte and rotates without losing order.</summary>
public class EventLogTests
{
    private static EventRecord Rec(EventKind kind, ushort code, long t) =>
        new() { Kind = kind, Code = code, TimeMs = t, MinCellMillivolts = 3700, MaxCellMillivolts = EventRecord.Pack(float.NaN, 1), PressureKpa = 1000 };

    [Fact]
    public void RecordsReadBackWithEveryField()
    {
        var flash = new SimFlash(4 * 1024, 1024);
        var log = new EventLog(flash);
        log.Append(Rec(EventKind.Reset, 2, 0));
        log.Append(Rec(EventKind.TripLatched, 7, 123_456_789_012));
        var read = new EventRecord[log.Capacity];
        Assert.Equal(2, log.ReadAll(read));
        Assert.Equal(EventKind.TripLatched, read[1].Kind);
        Assert.Equal((ushort)7, read[1].Code);
        Assert.Equal(123_456_789_012, read[1].TimeMs);
        Assert.Equal(EventRecord.Unknown, read[1].MaxCellMillivolts);
        Assert.Equal(2u, read[1].Sequence);
    }

    [Fact]
    public void PowerCutAtEveryByteOfAWriteLeavesEveryEarlierRecordIntact()
    {
        for (int cut = 0; cut < EventRecord.Size; cut++)
        {
            var flash = new SimFlash(4 * 1024, 1024);
            var log = new EventLog(flash);
            for (int i = 0; i < 40; i++) log.Append(Rec(EventKind.FaultRaised, (ushort)i, i * 100)); // crosses a block boundary
            flash.CutAfterBytes = cut;
            Assert.Throws<PowerCutException>(() => log.Append(Rec(EventKind.TripLatched, 999, 9999)));

            var rebooted = new EventLog(SimFlash.FromImage(flash.Image, 1024));
            var read = new EventRecord[rebooted.Capacity];
            int n = rebooted.ReadAll(read);
            Assert.Equal(40, n);
            for (int i = 0; i < 40; i++)
            {
                Assert.Equal((ushort)i, read[i].Code);
                Assert.Equal((uint)(i + 1), read[i].Sequence);
            }
            Assert.Equal(cut == 0 ? 0 : 1, rebooted.TornSlotsFound);

            // Logging goes on after the torn slot, and the new record sorts after the old ones.
            rebooted.Append(Rec(EventKind.Reset, 1, 10_000));
            n = rebooted.ReadAll(read);
            Assert.Equal(41, n);
            Assert.Equal(EventKind.Reset, read[40].Kind);
        }
    }

    [Fact]
    public void FullLogRotatesDroppingTheOldestBlockOnly()
    {
        var flash = new SimFlash(4 * 1024, 1024); // 4 blocks x 32 slots
        var log = new EventLog(flash);
        for (int i = 0; i < 200; i++) log.Append(Rec(EventKind.FaultRaised, (ushort)i, i));
        var read = new EventRecord[log.Capacity];
        int n = log.ReadAll(read);
        Assert.True(n >= 3 * 32 && n <= 128, $"{n} records kept");
        Assert.Equal((ushort)199, read[n - 1].Code);
        for (int i = 1; i < n; i++) Assert.Equal(read[i - 1].Sequence + 1, read[i].Sequence);
        var again = new EventLog(SimFlash.FromImage(flash.Image, 1024));
        Assert.Equal(201u, again.NextSequence);
    }
}
