using SolidBms.Core.Measurement;

namespace SolidBms.Simulator.Replay;

/// <summary>
/// The firmware's measurement front end fed from a log: each tick reads the newest logged row at or before the tick's
/// time while that row is fresh. The rule (docs/estimation.md, "Replaying recorded data"): a row whose next row
/// follows in less than <see cref="QualifyMs"/> (the profile's sensor fault qualification time) is held until that
/// next row, since the supervisor would ride through a sensor silent for less, so a logger's jitter or a short hiccup
/// is neither a stale reading nor a fault. Before a step of QualifyMs or longer, and at the last row, a row is fresh
/// for <see cref="HoldMs"/> only; after that every reading is Stale, as a front end whose converter stopped updating,
/// and the supervisor qualifies it as a sensor fault. A field the log left empty is a failed read of that one sensor.
/// </summary>
public sealed class RecordedPackSensors : IPackSensors
{
    private readonly ReplayLog _log;
    private readonly long[] _rowMs;
    private int _row = -1;

    private readonly float _assumedPressureKpa, _assumedTemperatureC;

    /// <param name="holdMs">How long a row stands for the present when no next row follows within <paramref name="qualifyMs"/>.</param>
    /// <param name="qualifyMs">The sensor fault qualification time: a shorter step holds the row until the next one.</param>
    /// <param name="assumedPressureKpa">Pressure of every stack for a log without pressure columns (NaN: the log's own).</param>
    /// <param name="assumedTemperatureC">Temperature of every cell for a log without temperature columns (NaN: the log's own).</param>
    public RecordedPackSensors(ReplayLog log, long holdMs, long qualifyMs, float assumedPressureKpa, float assumedTemperatureC)
    {
        _log = log;
        _assumedPressureKpa = assumedPressureKpa;
        _assumedTemperatureC = assumedTemperatureC;
        HoldMs = holdMs;
        QualifyMs = qualifyMs;
        _rowMs = new long[log.Count];
        for (int i = 0; i < _rowMs.Length; i++) _rowMs[i] = (long)System.Math.Round(log.TimeS[i] * 1000);
    }

    /// <summary>How long a logged row stands for the present before a long step, ms.</summary>
    public long HoldMs { get; }

    /// <summary>A step to the next row shorter than this (the sensor fault qualification time) holds the row until it, ms.</summary>
    public long QualifyMs { get; }

    /// <summary>Index of the row read at the last acquisition (-1: none), and whether it was fresh.</summary>
    public int Row => _row;
    public bool Fresh { get; private set; }

    /// <summary>Log time, ms, of a firmware clock reading: the clock starts at the first row.</summary>
    public long LogMs(long nowMs) => _rowMs[0] + nowMs;

    /// <summary>Whether row <paramref name="i"/> stands until the next row: that row follows in less than <see cref="QualifyMs"/>.</summary>
    public bool HeldToNext(int i) => i + 1 < _rowMs.Length && _rowMs[i + 1] - _rowMs[i] < QualifyMs;

    /// <summary>Steps longer than <see cref="HoldMs"/> that <see cref="HeldToNext"/> bridges (gaps that would otherwise be Stale), and the longest, s.</summary>
    public int GapsHeld(out double longestS)
    {
        int n = 0;
        long longest = 0;
        for (int i = 0; i + 1 < _rowMs.Length; i++)
        {
            long step = _rowMs[i + 1] - _rowMs[i];
            if (step > HoldMs && HeldToNext(i)) { n++; longest = System.Math.Max(longest, step); }
        }
        longestS = longest / 1000.0;
        return n;
    }

    public void Acquire(PackMeasurement m, long nowMs)
    {
        long at = LogMs(nowMs);
        while (_row + 1 < _rowMs.Length && _rowMs[_row + 1] <= at) _row++;
        Fresh = _row >= 0 && (at - _rowMs[_row] <= HoldMs || HeldToNext(_row));
        if (!Fresh)
        {
            for (int i = 0; i < m.CellCount; i++) { m.CellVoltageStatus[i] = SensorStatus.Stale; m.CellTemperatureStatus[i] = SensorStatus.Stale; }
            for (int s = 0; s < m.StackCount; s++) m.StackPressureStatus[s] = SensorStatus.Stale;
            m.PackCurrentStatus = SensorStatus.Stale;
            return; // values stay NaN (the controller invalidated them)
        }
        var mv = _log.CellMillivolts[_row];
        var tc = _log.TemperatureC[_row];
        for (int i = 0; i < m.CellCount; i++)
        {
            Put(mv[i], out m.CellMillivolts[i], out m.CellVoltageStatus[i]);
            Put(float.IsNaN(_assumedTemperatureC) ? tc[i] : _assumedTemperatureC, out m.CellTemperatureC[i], out m.CellTemperatureStatus[i]);
        }
        var kpa = _log.PressureKpa[_row];
        for (int s = 0; s < m.StackCount; s++)
            Put(float.IsNaN(_assumedPressureKpa) ? kpa[s] : _assumedPressureKpa, out m.StackPressureKpa[s], out m.StackPressureStatus[s]);
        Put(_log.CurrentA[_row], out m.PackCurrentA, out m.PackCurrentStatus);
    }

    private static void Put(float value, out float into, out SensorStatus status)
    {
        into = value;
        status = float.IsNaN(value) ? SensorStatus.ReadFailed : SensorStatus.Ok;
    }
}
