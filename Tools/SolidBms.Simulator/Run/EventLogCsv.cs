using System.Globalization;
using System.IO;
using SolidBms.Core.Config;
using SolidBms.Core.Hal;
using SolidBms.Core.Lab;
using SolidBms.Core.Loop;

namespace SolidBms.Simulator.Run;

/// <summary>Decodes an event-log flash image (or a live log) into CSV for people and spreadsheets.</summary>
public static class EventLogCsv
{
    public const string Header = "seq,time_s,event,code,detail,cell_v_min,cell_v_max,temp_max_c,current_a,pressure_kpa,soc,state";

    /// <summary>Fault-class names in <see cref="Core.Safety.SafetySupervisor"/> numbering, for the detail column.</summary>
    public static string[] FaultClassNames { get; set; } = System.Array.Empty<string>();

    public static int Write(EventLog log, TextWriter o)
    {
        var records = new EventRecord[log.Capacity];
        return Write(records, log.ReadAll(records), o);
    }

    /// <summary>The first <paramref name="n"/> records, already read and sorted (<see cref="EventLog.ReadAll"/>).</summary>
    public static int Write(EventRecord[] records, int n, TextWriter o)
    {
        o.WriteLine(Header);
        var ci = CultureInfo.InvariantCulture;
        for (int i = 0; i < n; i++)
        {
            var r = records[i];
            o.WriteLine(string.Join(",",
                r.Sequence.ToString(ci),
                (r.TimeMs / 1000.0).ToString("0.000", ci),
                KindName(r.Kind),
                r.WideCode.ToString(ci),
                Detail(r),
                Number(r.MinCellMillivolts, 0.001, "0.000"), Number(r.MaxCellMillivolts, 0.001, "0.000"), Number(r.MaxTemperatureDeciC, 0.1, "0.00"),
                Number(r.CurrentCentiA, 0.01, "0.00"), Number(r.PressureKpa, 1, "0"), Number(r.SocPermille, 0.001, "0.000"),
                r.State < BmsStateNames.Count ? BmsStateNames.OfCode(r.State) : r.State.ToString(ci)));
        }
        return n;
    }

    public static string KindName(EventKind k) => k switch
    {
        EventKind.Reset => "reset",
        EventKind.FaultRaised => "fault-raised",
        EventKind.FaultCleared => "fault-cleared",
        EventKind.TripLatched => "trip",
        EventKind.TripsCleared => "trips-cleared",
        EventKind.ConfigChanged => "config-changed",
        EventKind.ConfigRejected => "config-rejected",
        EventKind.Unlocked => "unlocked",
        EventKind.UnlockRefused => "refused",
        EventKind.SettingWritten => "setting-written",
        EventKind.AbuseArmed => "abuse-armed",
        EventKind.AbuseDisarmed => "abuse-disarmed",
        EventKind.CaptureTriggered => "capture-triggered",
        EventKind.ClearRefused => "clear-refused",
        EventKind.SensorBusRecovered => "sensor-bus-recovered",
        EventKind.CaptureReleased => "capture-released",
        EventKind.Refusals => "refusals",
        EventKind.SecondDisconnect => "second-disconnect",
        EventKind.FuseBlown => "fuse-blown",
        EventKind.SocRestore => "soc-restore",
        EventKind.OperatorDisconnect => "operator-disconnect",
        _ => "kind-" + (int)k,
    };

    /// <summary>SocRestore codes (SocMemory.Restored ... DisagreesWithVoltage).</summary>
    private static readonly string[] SocRestoreNames = { "restored", "not used: another cell file", "not used: out of range", "not used: disagrees with the voltages" };

    private static string Detail(EventRecord r)
    {
        switch (r.Kind)
        {
            case EventKind.Reset:
                return ((ResetCause)r.Code).ToString().ToLowerInvariant();
            case EventKind.TripLatched:
                return ClassName(r.Code);
            case EventKind.FaultRaised:
            case EventKind.FaultCleared:
                string level = (r.Code >> 8) switch { 0 => "none", 1 => "warning", 2 => "alarm", _ => "trip" };
                return ClassName(r.Code & 0xFF) + ":" + level;
            case EventKind.CaptureTriggered:
                return r.Code switch { CaptureBuffer.TriggerTrip => "trip", CaptureBuffer.TriggerManual => "manual", _ => "trip replaced manual" };
            case EventKind.CaptureReleased:
                return r.Code == 1 ? "held window" : "in progress";
            case EventKind.SecondDisconnect:
                return SecondMeansSettings.MeansName(r.Code >> 8) + ((r.Code & 0xFF) == 1 ? " commanded open" : " current stopped");
            case EventKind.FuseBlown:
                return SecondMeansSettings.MeansName(r.Code);
            case EventKind.OperatorDisconnect:
                return r.Code == 1 ? "hold set" : "hold ended";
            case EventKind.SocRestore:
                return r.Code < SocRestoreNames.Length ? SocRestoreNames[r.Code] : "";
            case EventKind.AbuseArmed:
                var names = new System.Collections.Generic.List<string>();
                for (int c = 0; c < 24; c++) if ((r.WideCode & (1u << c)) != 0) names.Add(ClassName(c));
                return "inhibit " + string.Join("|", names);
            case EventKind.UnlockRefused:
                return r.Code < RefusalNames.Length ? RefusalNames[r.Code] : "";
            case EventKind.Refusals:
                var kinds = new System.Collections.Generic.List<string>();
                for (int k = 0; k < RefusalNames.Length; k++) if ((r.CodeHigh & (1 << k)) != 0) kinds.Add(RefusalNames[k]);
                return r.Code + (r.Code == ushort.MaxValue ? " or more " : " ") + string.Join("|", kinds);
            default:
                return "";
        }
    }

    /// <summary>UnlockRefused codes, and the kind bits of a refusals summary.</summary>
    private static readonly string[] RefusalNames = { "bad key", "abuse request", "abuse confirmation", "locked out", "placeholder key" };

    private static string ClassName(int c) => c < FaultClassNames.Length ? FaultClassNames[c] : "class-" + c;

    /// <summary>A stored int16 reading in its unit; unknown (0x7FFF) is an empty field, never a number.</summary>
    public static string Number(short v, double scale, string format) =>
        v == EventRecord.Unknown ? "" : (v * scale).ToString(format, CultureInfo.InvariantCulture);
}
