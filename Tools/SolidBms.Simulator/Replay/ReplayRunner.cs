using System;
using System.IO;
using SolidBms.Firmware;
using SolidBms.Core.Config;
using SolidBms.Core.Loop;
using SolidBms.Simulator.Hardware;
using SolidBms.Simulator.Run;

namespace SolidBms.Simulator.Replay;

/// <summary>
/// Runs a recorded log through the firmware's whole loop (<see cref="BmsController"/>: measurement, estimation,
/// safety, actuation decisions, lab recorder) with an injected clock, one tick per board tick from the log's first
/// row to its last. Nothing is simulated: the recorded current kept flowing whatever the replayed controller
/// decided, so after a trip the weld check sees that current (the log was recorded behind its own contactor).
/// </summary>
public sealed class ReplayRunner
{
    private readonly ReplayLog _log;
    private readonly SimClock _clock = new();

    /// <param name="assumedPressureKpa">
    /// For a log without p1..pM columns: the pressure every stack is taken to read (the firmware has no "no pressure
    /// sensor" mode: unknown pressure derates to zero). Ignored when the log has pressures; NaN refuses such a log.
    /// </param>
    /// <param name="assumedTemperatureC">
    /// For a log without t1..tN columns: the temperature every cell is taken to read (NaN refuses such a log). A log
    /// with temperatures and an assumed one is refused: one of the two would be silently dropped.
    /// </param>
    public ReplayRunner(ReplayLog log, BoardConfig board, LimitProfile profile, CellModel cell, float assumedPressureKpa = float.NaN, float assumedTemperatureC = float.NaN)
    {
        _log = log;
        if (log.Stacks == 0 && float.IsNaN(assumedPressureKpa))
            throw new ReplayLogException($"{log.Name}:1: no stack pressure columns p1..pM: the firmware derates unknown pressure to zero current; give the pressure to assume (--pressure-kpa)");
        if (!log.HasTemperatures && float.IsNaN(assumedTemperatureC))
            throw new ReplayLogException($"{log.Name}:1: no cell temperature columns t1..t{log.Cells}: give the temperature every cell is taken to read (--temperature-c)");
        if (log.HasTemperatures && !float.IsNaN(assumedTemperatureC))
            throw new ReplayLogException($"{log.Name}:1: the log has temperature columns t1..t{log.Cells}; --temperature-c is only for a log without them");
        log.CheckTimeUnit(cell.CapacityAh);
        if (log.Cells > board.CellCount)
            throw new ReplayLogException($"{log.Name}:1: {log.Cells} cells in the log, board '{board.Name}' wires {board.CellCount}");
        board = SimulationSetup.WithCells(board, log.Cells);
        board.PressureAdcChannels = new int[Math.Max(1, log.Stacks)]; // the log's stacks (the channel numbers are not used: no ADC is read)
        board.LinkAdcChannel = -1; // no link voltage in a log: precharge runs on its fixed time
        board.SecondMeans = null; // nothing to disconnect in a log (and the recorded current flows whatever is told)
        Board = board;
        // Before a step as long as the sensor fault qualification time (an outage) a row stands for its usual spacing
        // and a half (a row late by jitter is not a gap), and at least a tick; shorter steps hold it to the next row.
        long holdMs = Math.Max(board.TickMs, (long)Math.Round(1500 * log.MedianStepS));
        Sensors = new RecordedPackSensors(log, holdMs, profile.SensorFaultQualifyMs, log.Stacks == 0 ? assumedPressureKpa : float.NaN, assumedTemperatureC);
        var hw = new BmsHardware
        {
            MainContactor = new SimDigitalOutput(), Precharge = new SimDigitalOutput(), ChargeEnable = new SimDigitalOutput(),
            DischargeEnable = new SimDigitalOutput(), Alarm = new SimDigitalOutput(), Watchdog = new SimWatchdog(_clock), Clock = _clock,
        };
        Controller = BmsComposition.Build(board, profile, cell, hw, Sensors);
    }

    public BoardConfig Board { get; }
    public RecordedPackSensors Sensors { get; }
    public BmsController Controller { get; }

    /// <summary>Log time of the last tick, s.</summary>
    public double TimeS => Sensors.LogMs(_clock.NowMilliseconds) / 1000.0;

    public long TotalTicks => (long)Math.Floor((_log.TimeS[^1] - _log.TimeS[0]) * 1000 / Board.TickMs) + 1;

    /// <summary>Ticks through the whole log, writing a row every <paramref name="every"/> ticks; returns the number of ticks.</summary>
    public long Run(Stream csv, int every)
    {
        var recorder = csv == null ? null : new ReplayCsvRecorder(csv, _log.Cells);
        recorder?.WriteHeader();
        long total = TotalTicks;
        for (long i = 0; i < total; i++)
        {
            if (i > 0) _clock.Advance(Board.TickMs);
            Controller.Tick();
            AfterTick?.Invoke(this);
            if (recorder != null && (i % every == 0 || i == total - 1)) recorder.WriteRow(this);
        }
        recorder?.Flush();
        return total;
    }

    /// <summary>Called after every tick (tests observe the controller here).</summary>
    public Action<ReplayRunner> AfterTick { get; set; }
}
