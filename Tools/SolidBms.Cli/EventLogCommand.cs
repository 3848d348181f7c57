using System.IO;
using SolidBms.Core.Lab;
using SolidBms.Simulator;
using SolidBms.Simulator.Hardware;
using SolidBms.Simulator.Run;

namespace SolidBms.Cli;

/// <summary>
/// `eventlog IMAGE [--block-size N] [--csv OUT]`: decodes an event-log flash image to CSV; with --db DB --rig NAME the
/// events the fleet collector stored (docs/fleet.md) in the same columns.
/// </summary>
public static class EventLogCommand
{
    public static int Run(CliArgs a, TextWriter o, TextWriter err)
    {
        var fleet = Collect.FleetSelection.FromArgs(a, "eventlog");
        if (fleet != null) return FromFleet(a, fleet, o, err);
        if (a.Positional.Count != 1) throw new UsageException("eventlog needs the flash image path (or --db DB --rig NAME)");
        string image = a.Positional[0];
        int block = a.Int("block-size", 4096, 256, 1 << 20);
        string csv = a.Get("csv");
        a.RejectUnknown();
        OutputPath.CheckFile(csv, "--csv");
        OutputPath.CheckDistinct(image, "the image", csv, "--csv");
        if (!File.Exists(image)) { err.WriteLine($"error: no such file: {image}"); return 2; }
        byte[] bytes = File.ReadAllBytes(image);
        if (bytes.Length == 0) { err.WriteLine($"error: {image}: empty file"); return 2; }
        string truncated = null;
        if (bytes.Length % block != 0)
        {
            // A copy cut short (a download or a kill stopped it): the whole slots before the cut are records like any
            // others. The cut slot and the missing rest of the flash are filled as erased, which the reader skips.
            int whole = bytes.Length / EventRecord.Size * EventRecord.Size;
            var padded = new byte[(bytes.Length / block + 1) * block];
            System.Array.Fill(padded, (byte)0xFF);
            System.Array.Copy(bytes, padded, whole);
            truncated = $"{image}: truncated: the image ends at byte {bytes.Length}, {bytes.Length % block} bytes into block {bytes.Length / block} ({block}-byte blocks); "
                + $"decoded up to byte {whole}, the last whole slot" + (whole < bytes.Length ? $" (the {bytes.Length - whole} bytes of a cut slot left out)" : "")
                + "; what the flash held after that is not in the file";
            bytes = padded;
        }
        EventLogCsv.FaultClassNames = FaultClassNamesOfDefaultProfile();
        var log = new EventLog(SimFlash.FromImage(bytes, block));
        var records = new EventRecord[log.SlotCount];
        int held = log.ReadAll(records);
        // A power cut tears at most the slot being written: more torn slots than records is not an event log.
        if (log.TornSlotsFound > 0 && log.TornSlotsFound > held)
        { err.WriteLine($"error: {image}: not an event-log image ({log.TornSlotsFound} slots are neither erased nor valid records, {held} records)"); return 2; }
        using var writer = csv == null ? null : new StreamWriter(csv);
        int n = EventLogCsv.Write(records, held, writer ?? o);
        if (truncated != null) err.WriteLine("eventlog: " + truncated);
        err.WriteLine($"eventlog: {n} records{(log.TornSlotsFound > 0 ? $", {log.TornSlotsFound} torn slot(s) skipped" : "")}");
        return 0;
    }

    /// <summary>`eventlog --db DB --rig NAME [--from T --to T] [--csv OUT]`: the events the collector stored, in the same CSV.</summary>
    private static int FromFleet(CliArgs a, Collect.FleetSelection fleet, TextWriter o, TextWriter err)
    {
        string csv = a.Get("csv");
        a.RejectUnknown();
        if (a.Positional.Count != 0) throw new UsageException("eventlog reads either a flash image or --db, not both");
        OutputPath.CheckFile(csv, "--csv");
        using var store = Collect.FleetStore.Open(fleet.Db);
        using var writer = csv == null ? null : new StreamWriter(csv);
        int n = Collect.FleetEvents.Write(store, fleet, writer ?? o);
        err.WriteLine($"eventlog: {n} events of {fleet}");
        return 0;
    }

    /// <summary>Fault-class names in the supervisor's own numbering (the one the log's codes use).</summary>
    public static string[] FaultClassNamesOfDefaultProfile()
    {
        var files = BoardFiles.Locate();
        var profile = Core.Config.LimitProfile.Load(File.ReadAllText(files.ProfilePath("assb-sulfide-li-metal")), "profile");
        var supervisor = new Core.Safety.SafetySupervisor(profile, 1, 1, 100);
        var names = new string[supervisor.FaultClassCount];
        for (int c = 0; c < names.Length; c++) names[c] = supervisor.ClassName(c);
        return names;
    }
}
