using System;
using SolidBms.Core.Actuation;
using SolidBms.Core.Loop;
using SolidBms.Core.Safety;

namespace SolidBms.Simulator.Run;

/// <summary>
/// Watches one fault through a run, independently of the supervisor's own timers: when the condition
/// began (the start of the continuous run of the measured quantity beyond the trip threshold, or of the
/// invalid sensor, or of the precharge / opening), when the fault was reported, when the rig's
/// outputs were really safe, and when the current that really flows stopped.
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
            : fault == BmsController.SecondDisconnectFault ? 0 // acts on the weld verdict's own tick
            : fault == BmsController.FuseBlownFault && board.SecondMeans != null ? board.SecondMeans.FuseQualifyMs
            : fault == Watchdog ? board.WatchdogTimeoutMs
            : throw new ArgumentException($"no monitor reports '{fault}'");
        TickMs = board.TickMs;
    }

    public int QualifyMs { get; }
    public int TickMs { get; }
    public double? OnsetS { get; private set; }
    public double? DetectedS { get; private set; }
    public double? SafeS { get; private set; }
    /// <summary>First time at or after the report when no current flowed (the rig's real current, not a reading).</summary>
    public double? StoppedS { get; private set; }
    public double? DetectionLatencyMs => DetectedS - OnsetS is double d ? Math.Round(d * 1000) : null;
    public double? TimeToSafeMs => SafeS - DetectedS is double d ? Math.Round(d * 1000) : null;
    public double? TimeToStopMs => StoppedS - DetectedS is double d ? Math.Round(d * 1000) : null;

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
        if (DetectedS != null && StoppedS == null && r.CurrentA == 0) StoppedS = t;
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
        var contactor = r.Controller.Outputs.Contactor;
        if (_fault == BmsController.PrechargeFailedFault) return contactor.State == ContactorState.Precharge;
        if (_fault == BmsController.SecondDisconnectFault) return contactor.WeldDetected;
        if (_fault == BmsController.FuseBlownFault) return FuseHazard(r);
        return contactor.State == ContactorState.Opening; // weld check runs while opening
    }

    /// <summary>The fuse's condition: the second means was commanded, current still flows, and the voltage trip of its direction is latched.</summary>
    private static bool FuseHazard(ScenarioRunner r)
    {
        var second = r.Controller.SecondLine;
        if (second == null || !second.Engaged || r.CurrentA == 0) return false;
        var sup = r.Controller.Supervisor;
        return r.CurrentA < 0
            ? sup.ClassTripLatched(SafetySupervisor.CellOverVoltageClass) || sup.ClassTripLatched(SafetySupervisor.PackOverVoltageClass)
            : sup.ClassTripLatched(SafetySupervisor.CellUnderVoltageClass) || sup.ClassTripLatched(SafetySupervisor.PackUnderVoltageClass);
    }
}
