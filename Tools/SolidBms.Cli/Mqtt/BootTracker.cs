using System;

namespace SolidBms.Cli.Mqtt;

/// <summary>
/// Names each run of a rig's firmware. The device restarts `seq` at 0 after a reset, so (rig, seq) alone is not a
/// unique key: (rig, boot, seq) is. A new boot starts on the first frame and whenever `seq` or `t_ms` goes backwards.
/// The id is the publisher's start time (unix ms, base 36) and a counter, so two publisher runs never share one.
/// </summary>
public sealed class BootTracker
{
    private readonly string _publisherStart;
    private int _counter;
    private long _lastSeq = -1, _lastTimeMs = -1;

    public BootTracker(long publisherStartUnixMs) => _publisherStart = Base36(publisherStartUnixMs);

    /// <summary>The current boot id (null before the first frame).</summary>
    public string Boot { get; private set; }

    /// <summary>Takes a frame's seq and t_ms; true when it starts a new boot (the first frame included).</summary>
    public bool Observe(long seq, long timeMs)
    {
        bool restarted = Boot == null || seq < _lastSeq || timeMs < _lastTimeMs;
        _lastSeq = seq;
        _lastTimeMs = timeMs;
        if (!restarted) return false;
        Boot = _publisherStart + "-" + (++_counter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return true;
    }

    public static string Base36(long value)
    {
        if (value < 0) throw new ArgumentOutOfRangeException(nameof(value));
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var c = new char[13];
        int i = c.Length;
        do { c[--i] = digits[(int)(value % 36)]; value /= 36; } while (value > 0);
        return new string(c, i, c.Length - i);
    }
}
