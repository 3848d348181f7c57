using System.Diagnostics;
using System.IO;
using SolidBms.Core.Lab;

namespace SolidBms.Simulator.Run;

/// <summary>
/// `sim --capture` kept up to date during the run, not only at its end: rewritten the tick the window is triggered,
/// frozen or released, and otherwise at most once a wall second while it records. Each version is written beside the
/// file and renamed over it, so a process killed at any moment leaves the last whole version (a rename is atomic).
/// </summary>
public sealed class CaptureFile
{
    private readonly string _path;
    private readonly int _cells;
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private long _writtenMs = long.MinValue;
    private (bool Triggered, bool Frozen, long TriggerMs) _written;

    public CaptureFile(string path, int cells)
    {
        _path = path;
        _cells = cells;
    }

    /// <summary>Samples in the last version written.</summary>
    public int Samples { get; private set; }

    /// <summary>Called after every tick: writes when the window changed state, or a second after the last write while it records.</summary>
    public void Update(CaptureBuffer capture)
    {
        var state = (capture.Triggered, capture.Frozen, capture.TriggerTimeMs);
        bool changed = state != _written;
        if (!changed && (capture.Frozen || _wall.ElapsedMilliseconds < _writtenMs + 1000)) return; // a held window does not change
        Write(capture);
    }

    /// <summary>Writes the capture as it is now.</summary>
    public void Write(CaptureBuffer capture)
    {
        string temporary = _path + ".tmp";
        using (var w = new StreamWriter(temporary)) Samples = CaptureCsv.Write(capture, _cells, w);
        File.Move(temporary, _path, overwrite: true);
        _written = (capture.Triggered, capture.Frozen, capture.TriggerTimeMs);
        _writtenMs = _wall.ElapsedMilliseconds;
    }
}
