using System;
using SolidBms.Core.Actuation;
using SolidBms.Core.Loop;
using SolidBms.Core.Safety;

namespace SolidBms.Simulator.Run;

/// <summary>
/// Watches one fault through a run, independently of the supervisor's own timers: when the condition
/// began (the start of the continuous run of the measured quantity beyond the trip threshold, or of the
/// invalid sensor, or of the precharge / opening), when the fault was reported, and when the rig's
/// outputs were really safe.
/// </summary>
public sealed class FaultTimingProbe
{
    public const string Watchdog = "watchdog";

    private readonly string _fault;
    private readonly LevelMonitor _limit;
    private readonly SensorFaultMonitor _sensor;
    private readonly string[] _names = new string[64];

    public FaultTimingProbe(ScenarioRunner r, string fault)
    {
        _fault = fault;
        foreach (var m in r.Controller.Supervisor.Monitors)
            if (m.TripName == fault || m.AlarmName == fault || m.WarningName == fault) _limit = m;
        foreach (var s in r.Controller.Supervisor.SensorMonitors)
            if (s.TripName == fault) _sensor = s;
        var board = r.Setup.Board;
        QualifyMs = _limit != null ? LevelQualifyMs(_limit, fault)
            : _sensor != null ? r.Setup.Profile.SensorFaultQualifyMs
            : fault == BmsController.PrechargeFailedFault ? board.PrechargeTimeoutMs
            : fault == BmsController.ContactorWeldedFault ? board.WeldCheckMs
            : fault == Watchdog ? board.WatchdogTimeoutMs
            : throw new ArgumentException($"no monitor reports '{fault}'");
        TickMs = board.TickMs;
    }

    public int QualifyMs { get; }
    public int TickMs { get; }
    public double? OnsetS { get; private set; }
    public double? DetectedS { get; private set; }
    public double? SafeS { get; private set; }
    public double? DetectionLatencyMs => DetectedS - OnsetS is double d ? Math.Round(d * 1000) : null;
    public double? TimeToSafeMs => SafeS - DetectedS is double d ? Math.Round(d * 1000) : null;

    private static int LevelQualifyMs(LevelMonitor m, string fault) =>
        fault == m.TripName ? m.Limit.TripQualifyMs : m.Limit.QualifyMs;

    private int Level => _fault.EndsWith(":warning") ? 1 : _fault.EndsWith(":alarm") ? 2 : 3;

    public void Observe(ScenarioRunner r)
    {
        double t = r.TimeS;
        if (DetectedS == null)
        {
            bool reported = IsReported(r);
            bool condition = ConditionNow(r);
            if (condition && OnsetS == null) OnsetS = t;
            else if (!condition && !reported) OnsetS = null; // the state that began it may end with the report
            if (reported) DetectedS = t;
        }
        // Safe means the switches really are open, not that the firmware said so (a welded contactor is the exception it reports).
        bool safe = !r.Rig.MainPhysicallyClosed && !r.Rig.ChargeEnable.State && !r.Rig.DischargeEnable.State && !r.Rig.Precharge.State;
        if (DetectedS != null && SafeS == null && safe) SafeS = Math.Max(t, DetectedS.Value);
    }

    private bool IsReported(ScenarioRunner r)
    {
        if (_fault == Watchdog) return r.Rig.Watchdog.Expiries > 0;
        int n = r.Controller.CopyFaultNames(_names);
        for (int i = 0; i < n; i++) if (_names[i] == _fault) return true;
        return false;
    }

    private bool ConditionNow(ScenarioRunner r)
    {
        if (_limit != null)
        {
            float v = _limit.LastValue;
            return _limit.Limit.Enabled && !float.IsNaN(v) && _limit.Limit.Exceeds(v, _limit.Limit.Threshold(Level));
        }
        if (_sensor != null) return _sensor.Bad;
        if (_fault == Watchdog) return r.StallFirmware;
        var state = r.Controller.Outputs.Contactor.State;
        if (_fault == BmsController.PrechargeFailedFault) return state == ContactorState.Precharge;
        return state == ContactorState.Opening; // weld check runs while opening
    }
}
