using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using SolidBms.Core.Config;
using SolidBms.Core.Hal;
using SolidBms.Core.Loop;
using SolidBms.Firmware;
using SolidBms.Simulator.Hardware;
using SolidBms.Simulator.Physics;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Simulator.Run;

/// <summary>
/// Runs the firmware's own control loop against the simulated pack, tick by tick: the scenario demands a
/// current, the rig lets it flow only as the firmware's outputs allow, the pack responds, the rig presents
/// the result as ADC counts, the simulated clock advances one tick and the firmware ticks.
/// </summary>
public sealed class ScenarioRunner
{
    private readonly Scenario _s;
    private readonly List<ScenarioEvent> _pending;
    private readonly List<(int Stack, double KpaPerS, double EndS)> _ramps = new();
    private readonly List<(double EndS, Action Undo)> _timedUndo = new();
    private readonly List<(double CPerS, double EndS)> _ambientRamps = new();
    private readonly string[] _faultNames = new string[64];
    private readonly Dictionary<ScenarioEvent, uint> _abuseMasks = new();
    private int _segmentIndex;
    private double _segmentStartS;
    private long _tick;

    private readonly BoardFiles _files;

    /// <summary>Why each refused profile-load event was refused.</summary>
    public List<string> ProfileErrors { get; } = new();

    /// <param name="telemetryPort">The firmware's line-protocol port (null: a sink that counts bytes).</param>
    /// <param name="modbusPort">The firmware's Modbus RTU port (null: none).</param>
    public ScenarioRunner(Scenario scenario, BoardFiles files, ISerialPort telemetryPort = null, ISerialPort modbusPort = null)
    {
        _s = scenario;
        _files = files;
        Setup = SimulationSetup.Load(scenario, files);
        var rng = new Random(scenario.Seed);
        var cell = Setup.TrueCell;
        var reference = scenario.Cell.Model == CellModels.Reference ? new Physics.ReferenceCell.SpmCellParameters() : null;
        Pack = new PackModel(cell, scenario.Cells, Setup.Board.StackCount, scenario.InitialSoc, scenario.AmbientC,
            scenario.StackPressureKpa,
            new CellSpread(scenario.Cell.CapacitySpread, scenario.Cell.ResistanceSpread, scenario.Cell.SocSpread),
            rng, scenario.Cell.CapacityAh ?? (reference?.CapacityAh ?? cell.Model.CapacityAh), reference);
        foreach (var c in Pack.Cells) c.ResistanceScale *= scenario.Cell.ResistanceScale;
        Clock = new SimClock();
        Rig = new SimAnalogRig(Setup.Board, scenario.SensorNoise, new Random(unchecked(scenario.Seed * 7919 + 17)), Clock);
        Rig.Hardware.TelemetryPort = telemetryPort ?? (TelemetryPort = new SimSerialPort(null));
        Rig.Hardware.ModbusPort = modbusPort;
        Controller = BmsComposition.Build(Setup.Board, Setup.Profile, Setup.FirmwareCell, Rig.Hardware);
        Flash = new SimFlash(64 * 1024, 4096);
        Controller.AttachLab(new Core.Lab.EventLog(Flash), new Core.Lab.CaptureBuffer(scenario.Cells, 600, 400));
        SocFlash = new SimFlash(8 * 1024, 4096); // as the ESP32's (Firmware/Esp32/Program.cs)
        Controller.AttachSocMemory(new Core.Estimation.SocMemory(SocFlash, Setup.Board.CellCount, Setup.FirmwareCell.CapacityAh));
        if (scenario.EstimatorInitialSoc.HasValue) Controller.Estimator.TrySetInitialSoc((float)scenario.EstimatorInitialSoc.Value);
        _pending = new List<ScenarioEvent>(scenario.Events);
        _pending.Sort((a, b) => a.AtS.CompareTo(b.AtS));
        for (int i = 0; i < _pending.Count; i++) ValidateAgainstBoard(_pending[i], i);
        foreach (var e in _pending) if (e.Kind == "abuse-arm") _abuseMasks[e] = AbuseMask(e, $"events[{_s.Events.IndexOf(e)}]");
        Rig.UpdateInputs(Pack, 0);
    }

    public SimulationSetup Setup { get; }
    public PackModel Pack { get; }
    public SimAnalogRig Rig { get; }
    public SimClock Clock { get; }
    public SimSerialPort TelemetryPort { get; }
    /// <summary>The rig's event-log flash (64 KiB in 4 KiB blocks).</summary>
    public SimFlash Flash { get; }
    /// <summary>The rig's SOC-memory flash (the estimator's state across resets, 8 KiB in 4 KiB blocks).</summary>
    public SimFlash SocFlash { get; }
    public BmsController Controller { get; }
    public double TimeS => _tick * _s.TickMs / 1000.0;

    /// <summary>
    /// Whether the I2C chips convert in the runner's step, before the firmware's tick (true), or at the firmware's first
    /// transaction of the tick (false, as before): the same results while the firmware ticks (see
    /// <see cref="SolidBms.Simulator.Chips.SimI2cRig.ConvertAhead"/>).
    /// </summary>
    public bool ConvertChipsAhead { get; set; } = true;

    /// <summary>The pack's true SOC after the last step: worked out once a tick, for the summary and the CSV row alike.</summary>
    public double TrueSoc
    {
        get
        {
            if (_trueSocTick != _tick) { _trueSoc = Pack.TrueSoc(); _trueSocTick = _tick; }
            return _trueSoc;
        }
    }

    private double _trueSoc;
    private long _trueSocTick = -1;
    public double DemandA { get; private set; }
    public double CurrentA { get; private set; }
    public bool Finished => _segmentIndex >= _s.Segments.Count;
    public long TotalTicks => (long)Math.Ceiling(_s.DurationS * 1000.0 / _s.TickMs - 1e-9);

    /// <summary>When true, the firmware is not ticked (a stalled loop), but physics and the watchdog go on.</summary>
    public bool StallFirmware { get; set; }

    public Scenario Scenario => _s;

    /// <summary>Called after every step (tests and the fault bench watch the run through it).</summary>
    public Action<ScenarioRunner> AfterStep { get; set; }

    /// <summary>Advances the whole simulation by one tick.</summary>
    public void Step()
    {
        double dt = _s.TickMs / 1000.0;
        double t = TimeS;
        while (!Finished && t >= _segmentStartS + _s.Segments[_segmentIndex].DurationS - 1e-9)
        {
            _segmentStartS += _s.Segments[_segmentIndex].DurationS;
            _segmentIndex++;
        }
        var seg = Finished ? null : _s.Segments[_segmentIndex];
        DemandA = seg == null ? 0 : seg.Kind switch
        {
            SegmentKind.Constant => seg.CurrentA,
            SegmentKind.Rest => 0,
            _ => seg.Table.CurrentAt(t - _segmentStartS),
        };
        if (seg?.AmbientC is double amb) Pack.AmbientC = amb;
        ApplyEvents(t, dt);

        if (Rig.Watchdog.CheckExpired()) Rig.ResetOutputs();
        double demand = DemandA;
        if (demand < 0 && _s.ChargerFollowsLimit && !_s.EnableLinesIgnored && !StallFirmware)
            demand = Math.Max(demand, -Controller.ChargeLimitA); // the charger follows the limit the BMS last reported
        CurrentA = Rig.GateCurrent(demand, _s.EnableLinesIgnored);
        Rig.ApplyBleed(Pack); // balancing: the bleed switches the firmware set
        Pack.Step(CurrentA, dt);
        Rig.UpdateInputs(Pack, CurrentA, dt);
        Clock.Advance(_s.TickMs);
        if (ConvertChipsAhead) Rig.I2c?.ConvertAhead(Clock.NowMilliseconds); // the chips' conversions for this tick, before the firmware reads
        if (!StallFirmware) Controller.Tick();
        _tick++;
    }

    /// <param name="pace">Called before each tick with its index (the host CLI's real-time pacing; never firmware).</param>
    public RunSummary Run(Stream csv, int every, Action<double> progress = null, Action<long> pace = null)
    {
        var summary = new RunSummary { Scenario = _s.Name, Cells = _s.Cells };
        var recorder = csv == null ? null : new CsvRecorder(csv, _s.Cells);
        recorder?.WriteHeader();
        recorder?.Flush(); // the header on disk before the first tick: a killed run still leaves a readable file
        long total = TotalTicks;
        long progressStep = Math.Max(1, total / 10);
        var wall = Stopwatch.StartNew();
        using (var rows = recorder == null ? null : new CsvPipeline(recorder, _s.Cells)) // the rows written on the second core
        {
            bool ended = false;
            long publishedMs = 0;
            try
            {
                for (long i = 0; i < total; i++)
                {
                    pace?.Invoke(i);
                    Step();
                    Observe(summary);
                    AfterStep?.Invoke(this);
                    if (rows != null && (i % every == 0 || i == total - 1)) rows.Add(this);
                    if (rows != null && wall.ElapsedMilliseconds >= publishedMs + 1000) { rows.Publish(); publishedMs = wall.ElapsedMilliseconds; }
                    if (progress != null && (i + 1) % progressStep == 0) progress((double)(i + 1) / total);
                }
                ended = true;
            }
            finally
            {
                // Also on a stop: the rows of the ticks run are written before the caller flushes. A write error is thrown
                // only after a run that ended; on a stop or a failure the exception under way is the one the caller sees.
                rows?.Complete(throwOnFailure: ended);
            }
        }
        recorder?.Flush();
        wall.Stop();
        summary.Ticks = total;
        summary.SimulatedSeconds = TimeS;
        summary.WallSeconds = wall.Elapsed.TotalSeconds;
        summary.FinalState = BmsStateNames.Of(Controller.State);
        summary.FinalSocTrue = TrueSoc;
        summary.FinalSocEstimated = Controller.Estimator.PackSoc;
        summary.LoopOverruns = Controller.Timer.OverrunCount;
        summary.WatchdogResets = Rig.Watchdog.Expiries;
        I2cHealthText.AddTo(summary, Controller.Sensors); // per-chip I2C counters
        return summary;
    }

    private void Observe(RunSummary summary)
    {
        foreach (var c in Pack.Cells)
        {
            if (c.TerminalMillivolts > summary.MaxCellMillivolts) summary.MaxCellMillivolts = c.TerminalMillivolts;
            if (c.TerminalMillivolts < summary.MinCellMillivolts) summary.MinCellMillivolts = c.TerminalMillivolts;
            if (c.TemperatureC > summary.MaxTemperatureC) summary.MaxTemperatureC = c.TemperatureC;
        }
        float est = Controller.Estimator.PackSoc;
        if (!float.IsNaN(est)) summary.MaxAbsSocError = Math.Max(summary.MaxAbsSocError, Math.Abs(est - TrueSoc));
        int n = Controller.CopyFaultNames(_faultNames);
        for (int i = 0; i < n; i++) summary.FaultsSeen.TryAdd(_faultNames[i], TimeS);
    }

    private void ApplyEvents(double t, double dt)
    {
        while (_pending.Count > 0 && _pending[0].AtS <= t + 1e-9)
        {
            Apply(_pending[0], t);
            _pending.RemoveAt(0);
        }
        for (int i = _ramps.Count - 1; i >= 0; i--)
        {
            var r = _ramps[i];
            if (t >= r.EndS) { _ramps.RemoveAt(i); continue; }
            ForStacks(r.Stack, st => st.InjectedKpa += r.KpaPerS * dt);
        }
        for (int i = _ambientRamps.Count - 1; i >= 0; i--)
        {
            if (t >= _ambientRamps[i].EndS) { _ambientRamps.RemoveAt(i); continue; }
            Pack.AmbientC += _ambientRamps[i].CPerS * dt;
        }
        for (int i = _timedUndo.Count - 1; i >= 0; i--)
        {
            if (t < _timedUndo[i].EndS) continue;
            _timedUndo[i].Undo();
            _timedUndo.RemoveAt(i);
        }
    }

    private void Apply(ScenarioEvent e, double t)
    {
        var b = Setup.Board;
        switch (e.Kind)
        {
            case "cell-short":
                Pack.Cells[e.Cell - 1].InternalShortOhm = e.Ohm;
                break;
            case "thermistor-open":
            case "thermistor-short":
                int cell = e.Cell - 1;
                Rig.ThermistorFault[cell] = e.Kind == "thermistor-open" ? ThermistorFault.Open : ThermistorFault.Short;
                if (e.DurationS is double d) _timedUndo.Add((t + d, () => Rig.ThermistorFault[cell] = ThermistorFault.None));
                break;
            case "sensor-dropout":
                var ch = Rig.Channels[DropoutChannel(e)];
                ch.Dropout = true;
                if (e.DurationS is double dd) _timedUndo.Add((t + dd, () => ch.Dropout = false));
                break;
            case "pressure-step":
                ForStacks(e.Stack, st => st.InjectedKpa += e.DeltaKpa);
                break;
            case "pressure-ramp":
                _ramps.Add((e.Stack ?? 0, e.KpaPerS, t + e.DurationS!.Value));
                break;
            case "ambient-step":
                Pack.AmbientC = e.AmbientC;
                break;
            case "loop-stall":
                StallFirmware = true;
                _timedUndo.Add((t + e.DurationS!.Value, () => StallFirmware = false));
                break;
            case "abuse-arm":
                // Checked when the runner was built (AbuseMask): a refusal here would be a firmware rule the check missed.
                if (!Controller.RequestAbuseTest(e.Test, _abuseMasks[e], (int)(e.DurationS!.Value * 1000), true, out string err)
                    || !Controller.ConfirmAbuseTest(e.Test, true, out err))
                    throw new InvalidOperationException($"events[{_s.Events.IndexOf(e)}]: abuse-arm refused when it fired, though it was checked at load: {err}");
                break;
            case "resistance-step":
                Pack.Cells[e.Cell - 1].ResistanceScale *= e.Scale; // interface delamination: R0 and the RC resistances grow
                break;
            case "ambient-ramp":
                _ambientRamps.Add((e.CPerMin / 60.0, t + e.DurationS!.Value));
                break;
            case "current-offset":
                Rig.Noise = Rig.Noise with { CurrentOffsetA = e.OffsetA }; // the sensor's zero drifts
                break;
            case "contactor-weld":
                Rig.MainWelded = true;
                break;
            case "disconnect-fail":
                Rig.SecondMeansFailed = true;
                break;
            case "link-short":
                Rig.LinkShorted = true;
                break;
            case "profile-load":
                string path = _files.ProfilePath(e.Profile);
                string text = System.IO.File.Exists(path) ? System.IO.File.ReadAllText(path) : "";
                if (!Controller.TryApplyProfile(text, System.IO.Path.GetFileName(path), out string error)) ProfileErrors.Add(error);
                break;
            case "i2c-nack":
            case "i2c-stuck":
            case "i2c-crc":
            case "i2c-dropout":
            case "adc-rail":
                var undo = I2cAndRailFaults.Apply(Rig, e, DropoutChannel);
                if (e.DurationS is double fd) _timedUndo.Add((t + fd, undo));
                break;
        }
    }

    /// <summary>
    /// The inhibit mask of an abuse-arm event, checked before the run against this controller's fault classes and the
    /// firmware's own request rules, so a bad event is refused at load with its key path (it used to throw when it fired,
    /// mid-run). The request rules (test name, expiry, an empty mask) are asked of a scratch <see cref="Core.Lab.AbuseTestMode"/>,
    /// one key at a time, so they stay written once, in the firmware; the scratch object writes no log record.
    /// </summary>
    private uint AbuseMask(ScenarioEvent e, string path)
    {
        static string Refusal(string test, uint mask, int expiryMs) =>
            new Core.Lab.AbuseTestMode().TryRequest(test, mask, expiryMs, true, 0, out string err) ? null : err;
        if (Refusal(e.Test, 1, 1) is string testError) throw new ScenarioException(path + ".test", testError);
        int expiryMs = (int)(e.DurationS!.Value * 1000);
        if (Refusal("t", 1, expiryMs) is string expiryError) throw new ScenarioException(path + ".expiryS", expiryError);
        uint inhibitable = Controller.InhibitableClasses, mask = 0;
        for (int j = 0; j < e.Inhibit.Length; j++)
        {
            string name = e.Inhibit[j], at = $"{path}.inhibit[{j}]";
            int c = FaultClassIndex(name);
            if (c < 0) throw new ScenarioException(at, $"unknown fault class '{name}' (inhibitable: {string.Join(", ", InhibitableNames(inhibitable))})");
            if (c >= 32 || (inhibitable & (1u << c)) == 0)
                throw new ScenarioException(at, $"'{name}' may not be inhibited: only limit classes, not shortCircuit or loopLate (docs/lab.md, abuse-test mode); inhibitable: {string.Join(", ", InhibitableNames(inhibitable))}");
            if ((mask & (1u << c)) != 0) throw new ScenarioException(at, $"'{name}' is listed twice");
            mask |= 1u << c;
        }
        if (Refusal("t", mask, 1) is string maskError) throw new ScenarioException(path + ".inhibit", maskError);
        return mask;
    }

    private IEnumerable<string> InhibitableNames(uint mask)
    {
        for (int c = 0; c < 32; c++) if ((mask & (1u << c)) != 0) yield return Controller.Supervisor.ClassName(c);
    }

    private int FaultClassIndex(string name)
    {
        var sup = Controller.Supervisor;
        for (int c = 0; c < sup.FaultClassCount; c++) if (sup.ClassName(c) == name) return c;
        return -1;
    }

    private void ForStacks(int? stack, Action<StackPressureModel> action)
    {
        for (int s = 0; s < Pack.Stacks.Length; s++)
            if (stack is null or 0 || stack.Value - 1 == s) action(Pack.Stacks[s]);
    }

    private int DropoutChannel(ScenarioEvent e)
    {
        var b = Setup.Board;
        return e.Sensor switch
        {
            "cell-voltage" => b.CellAdcChannels[e.Index - 1],
            "temperature" => b.ThermistorAdcChannels[e.Index - 1],
            "current" => b.CurrentAdcChannel,
            _ => b.PressureAdcChannels[e.Index - 1],
        };
    }

    private void ValidateAgainstBoard(ScenarioEvent e, int i)
    {
        int limit = e.Sensor switch
        {
            "cell-voltage" or "temperature" => _s.Cells,
            "pressure" => Setup.Board.StackCount,
            _ => 1,
        };
        I2cAndRailFaults.Validate(Rig, e, $"events[{_s.Events.IndexOf(e)}]");
        if (e.Kind == "disconnect-fail" && (Setup.Board.SecondMeans?.Disconnect ?? SecondMeansSettings.None) == SecondMeansSettings.None)
            throw new ScenarioException($"events[{_s.Events.IndexOf(e)}].kind", $"board '{Setup.Board.Name}' declares no second disconnect ([secondMeans] disconnect)");
        if ((e.Kind == "sensor-dropout" || e.Kind == "adc-rail") && e.Index > limit)
            throw new ScenarioException($"events[{_s.Events.IndexOf(e)}].index", $"{e.Sensor} has {limit} channel(s) on this board");
        if (e.Stack is int st && st > Setup.Board.StackCount)
            throw new ScenarioException($"events[{_s.Events.IndexOf(e)}].stack", $"the board has {Setup.Board.StackCount} stack(s)");
    }
}
