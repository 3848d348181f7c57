using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace SolidBms.Cli.Collect;

/// <summary>What the collector has seen since it started: the counts summary it prints periodically and on exit.</summary>
public sealed class CollectCounts
{
    private long _received, _availability, _packs, _cells, _faults, _events, _duplicates, _batches, _connects, _writeFailures;
    private readonly Dictionary<string, long> _bad = new();
    private readonly object _lock = new();

    public long Received => Interlocked.Read(ref _received);
    public long StoredSamples => Interlocked.Read(ref _packs);
    public long StoredCells => Interlocked.Read(ref _cells);
    public long StoredFaults => Interlocked.Read(ref _faults);
    public long StoredEvents => Interlocked.Read(ref _events);
    public long Stored => StoredSamples + StoredCells + StoredFaults + StoredEvents;
    /// <summary>Messages whose key was already stored (a redelivery after a restart, or a duplicate): skipped.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long Batches => Interlocked.Read(ref _batches);
    public long Connects => Interlocked.Read(ref _connects);
    public long WriteFailures => Interlocked.Read(ref _writeFailures);
    public long Bad { get { lock (_lock) return _bad.Values.Sum(); } }
    public long BadOf(string category) { lock (_lock) return _bad.GetValueOrDefault(category); }

    public void OnReceived() => Interlocked.Increment(ref _received);
    public void OnAvailability() => Interlocked.Increment(ref _availability);
    public void OnConnected() => Interlocked.Increment(ref _connects);
    public void OnWriteFailed() => Interlocked.Increment(ref _writeFailures);

    /// <summary>Counts a dropped message; returns how many of its category so far (the log is limited by it).</summary>
    public long OnBad(string category)
    {
        lock (_lock) return _bad[category] = _bad.GetValueOrDefault(category) + 1;
    }

    public void OnBatch(FleetBatch batch, BatchResult added)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _packs, added.Packs);
        Interlocked.Add(ref _cells, added.Cells);
        Interlocked.Add(ref _faults, added.Faults);
        Interlocked.Add(ref _events, added.Events);
        Interlocked.Add(ref _duplicates, batch.Count - added.Total);
    }

    public string Summary()
    {
        string bad;
        lock (_lock) bad = _bad.Count == 0 ? "" : " (" + string.Join(", ", _bad.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}")) + ")";
        return string.Format(CultureInfo.InvariantCulture,
            "collect: received {0}, stored {1} (samples {2}, cells {3}, faults {4}, events {5}), duplicates skipped {6}, bad {7}{8}, availability {9}, batches {10}, connects {11}, write failures {12}",
            Received, Stored, StoredSamples, StoredCells, StoredFaults, StoredEvents, Duplicates, Bad, bad,
            Interlocked.Read(ref _availability), Batches, Connects, WriteFailures);
    }
}
