using System.Globalization;
using System.IO;
using SolidBms.Core.Lab;
using SolidBms.Core.Loop;

namespace SolidBms.Simulator.Run;

/// <summary>Writes the high-rate capture (held window, or the most recent samples) as CSV.</summary>
public static class CaptureCsv
{
    public static int Write(CaptureBuffer cap, int cells, TextWriter o)
    {
        var ci = CultureInfo.InvariantCulture;
        var header = "time_s,t_from_trigger_s,current_a,temp_max_c,pressure_kpa,state";
        for (int c = 1; c <= cells; c++) header += ",v" + c;
        o.WriteLine(header);
        for (int k = 0; k < cap.Count; k++)
        {
            long t = cap.TimeMsAt(k);
            var line = string.Join(",",
                (t / 1000.0).ToString("0.000", ci),
                cap.TriggerTimeMs < 0 ? "" : ((t - cap.TriggerTimeMs) / 1000.0).ToString("0.000", ci),
                EventLogCsv.Number(cap.CurrentCentiAAt(k), 0.01, "0.00"), EventLogCsv.Number(cap.MaxTemperatureDeciCAt(k), 0.1, "0.0"), EventLogCsv.Number(cap.PressureKpaAt(k), 1, "0"),
                BmsStateNames.OfCode(cap.StateAt(k)));
            for (int c = 0; c < cells; c++) line += "," + EventLogCsv.Number(cap.CellMillivoltsAt(k, c), 0.001, "0.000");
            o.WriteLine(line);
        }
        return cap.Count;
    }
}
