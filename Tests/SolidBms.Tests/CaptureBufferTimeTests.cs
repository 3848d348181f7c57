using SolidBms.Core.Lab;
using SolidBms.Core.Measurement;

namespace SolidBms.Tests;

/// <summary>
/// The capture keeps each sample's time in 32 bits and tells it from the newest sample's full time: times beyond
/// 32 bits of milliseconds (49 days of uptime), across the wrap of the low half, and a stalled clock come back exact.
/// </summary>
public class CaptureBufferTimeTests
{
    [Theory]
    [InlineData(5_000_000_000L)]
    [InlineData(0x1_0000_0000L - 1_000L)] // the low half wraps inside the window
    [InlineData(0x7FFF_FFFFL - 500L)]     // the int's sign turns inside the window
    public void Sample_times_come_back_whole(long startMs)
    {
        var capture = new CaptureBuffer(2, 50, 30);
        var m = new PackMeasurement(2, 1);
        var expected = new long[120];
        long now = startMs;
        for (int i = 0; i < expected.Length; i++)
        {
            now += i % 17 == 0 ? 0 : 100; // now and then a clock that did not move
            expected[i] = now;
            m.TimestampMs = now;
            capture.Record(m, 0, 25f, 1000f);
        }
        Assert.Equal(50, capture.Count);
        for (int k = 0; k < capture.Count; k++) Assert.Equal(expected[expected.Length - 50 + k], capture.TimeMsAt(k));
    }
}
