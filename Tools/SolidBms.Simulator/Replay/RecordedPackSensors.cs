using SolidBms.Core.Measurement;

namespace SolidBms.Simulator.Replay;

/// <summary>
/// The firmware's measurement front end fed from a log: each tick takes the newest logged row at or before the
/// tick's time while it is fresh (no older than <see cref="HoldMs"/>); in a gap every reading is Stale, as a
/// front end whose converter stopped updating, and the supervisor qualifies it as a sensor fault. A field the
/// log left empty is a failed read of that one sensor.
/// </summary>
public sealed class RecordedPackSensors : IPackSensors
{
    private readonly ReplayLog _log;
    private readonly long _startMs;
    private int _row = -1;

    private readonly float _assumedPressureKpa;

    /// <param name="assumedPressureKpa">Pressure of every stack for a log without pressure columns (NaN: the log's own).</param>
    public RecordedPackSensors(ReplayLog log, long holdMs, float assumedPressureKpa)
    {
        _log = log;
        _assumedPressureKpa = assumedPressureKpa;
        HoldMs = holdMs;
        _startMs = (long)System.Math.Round(log.TimeS[0] * 1000);
    }

    /// <summary>How long a logged row stands for the present, ms.</summary>
    public long HoldMs { get; }

    /// <summary>Index of the row read at the last acquisition (-1: none), and whether it was fresh.</summary>
    public int Row => _row;
    public bool Fresh { get; private set; }

    /// <summary>Log time (ms since the log's first row) of a firmware clock reading: the clock starts at the first row.</summary>
    public long LogMs(long nowMs) => _startMs + nowMs;

    public void Acquire(PackMeasurement m, long nowMs)
    {
        long at = LogMs(nowMs);
        while (_row + 1 < _log.Count && (long)System.Math.Round(_log.TimeS[_row + 1] * 1000) <= at) _row++;
        Fresh = _row >= 0 && at - (long)System.Math.Round(_log.TimeS[_row] * 1000) <= HoldMs;
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
            Put(tc[i], out m.CellTemperatureC[i], out m.CellTemperatureStatus[i]);
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
