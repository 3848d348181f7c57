using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using SolidBms.Cli;
using SolidBms.Core.Lab;
using SolidBms.Simulator.Hardware;

namespace SolidBms.Tests;

/// <summary>
/// Issue 21 finding 9: eventlog decodes a truncated image up to the cut and says where and why (it refused the whole
/// file: not a whole number of blocks), and reading a large image out of ring order is O(n log n) (16 MB: 39 s before).
/// </summary>
public sealed class EventLogDamageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("evdamage").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>A 64 KiB image (16 blocks of 4 KiB) with <paramref name="records"/> records written by the firmware's log.</summary>
    private static byte[] Image(int records)
    {
        var flash = new SimFlash(64 * 1024, 4096);
        var log = new EventLog(flash);
        log.Append(new EventRecord { Kind = EventKind.Reset, Code = 1, MaxCellMillivolts = EventRecord.Unknown });
        for (int i = 1; i < records; i++)
            log.Append(new EventRecord { Kind = EventKind.FaultRaised, Code = (ushort)(i % 19 | 1 << 8), TimeMs = i * 100L, MinCellMillivolts = 3700, MaxCellMillivolts = 3800 });
        return flash.Image;
    }

    [Theory]
    [InlineData(40_000)] // on a slot boundary, inside block 9
    [InlineData(40_010)] // 10 bytes into a slot
    [InlineData(1_000)]  // inside the first block
    public void ATruncatedImageDecodesUpToTheCut(int keep)
    {
        var image = Image(712); // 712 records fill 22,784 bytes
        string path = Path.Combine(_dir, "cut.bin"), csv = Path.Combine(_dir, "cut.csv");
        File.WriteAllBytes(path, image[..keep]);
        var o = new StringWriter();
        var e = new StringWriter();
        int exit = CliApp.Run(new[] { "eventlog", path, "--csv", csv }, o, e);
        Assert.True(exit == 0, e.ToString());
        int expected = Math.Min(712, keep / EventRecord.Size); // every whole slot before the cut
        var rows = File.ReadAllLines(csv);
        Assert.Equal(expected + 1, rows.Length);
        Assert.StartsWith("1,0.000,reset,", rows[1]);
        Assert.StartsWith(expected + ",", rows[^1]);
        Assert.Contains($"truncated: the image ends at byte {keep}, {keep % 4096} bytes into block {keep / 4096} (4096-byte blocks)", e.ToString());
        Assert.Contains($"decoded up to byte {keep / 32 * 32}", e.ToString());
        if (keep % 32 != 0) Assert.Contains($"the {keep % 32} bytes of a cut slot left out", e.ToString());
        Assert.Contains($"eventlog: {expected} records", e.ToString());
    }

    [Fact]
    public void ALargeImageOutOfRingOrderReadsInLinearithmicTime()
    {
        // 256 copies of a 64 KiB image (a 16 MB flash dump assembled from copies): 182,272 records whose sequence
        // numbers restart every 64 KiB, the worst case of the old insertion sort (39 s); a heapsort takes well under a second.
        var one = Image(712);
        var big = new byte[256 * one.Length];
        for (int k = 0; k < 256; k++) Buffer.BlockCopy(one, 0, big, k * one.Length, one.Length);
        var log = new EventLog(SimFlash.FromImage(big, 4096));
        var records = new EventRecord[log.SlotCount];
        var sw = Stopwatch.StartNew();
        int n = log.ReadAll(records);
        sw.Stop();
        Assert.Equal(256 * 712, n);
        for (int i = 1; i < n; i++) Assert.True(records[i - 1].Sequence <= records[i].Sequence);
        Assert.Equal(712u, records[n - 1].Sequence);
        Assert.True(sw.Elapsed.TotalSeconds < 10, $"ReadAll of 16 MB took {sw.Elapsed.TotalSeconds:0.0} s");
    }
}
