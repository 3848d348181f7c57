using System.Linq;
using SolidBms.Core.Config;
using SolidBms.Core.Lab;
using SolidBms.Core.Protocol;
using M = SolidBms.Core.Protocol.ModbusRegisterMap;

namespace SolidBms.Tests;

/// <summary>Issue 11: what a key holder may do over a port, and that a refusal changes nothing.</summary>
public class SafetyAuthorityTests
{
    private static ProtocolRig Unlocked()
    {
        var rig = new ProtocolRig();
        Assert.Contains(",OK,UNLOCK,", rig.One("UNLOCK " + ProtocolRig.Key));
        return rig;
    }

    private static int Reg(ProtocolRig rig, string field) =>
        M.HoLimitBase + (rig.Endpoint.Fields.Find(System.Text.Encoding.ASCII.GetBytes(field), 0, field.Length) / ProfileFields.PerLimit) * M.HoLimitStride
        + rig.Endpoint.Fields.Find(System.Text.Encoding.ASCII.GetBytes(field), 0, field.Length) % ProfileFields.PerLimit;

    // ---- finding 1: no protection class can be switched off, no trip moved past the cell's ratings ----

    [Theory]
    [InlineData("SET cellOverVoltage.enabled false", "cellOverVoltage.enabled: a protection class cannot be switched off")]
    [InlineData("SET shortCircuit.enabled false", "shortCircuit.enabled: a protection class cannot be switched off")]
    [InlineData("SET loopLate.enabled false", "loopLate.enabled: a protection class cannot be switched off")]
    [InlineData("SET cellOverVoltage.trip 5500", "cellOverVoltage.trip: 5500 mV is beyond 4300 mV (the cell file's absolute rating)")]
    [InlineData("SET shortCircuit.trip 11", "shortCircuit.trip: 11 A is beyond 10 A (the cell file's absolute rating)")]
    [InlineData("SET stackPressureLow.trip 200", "stackPressureLow.trip: 200 kPa is beyond 300 kPa")]
    [InlineData("SET loopLate.trip 600", "loopLate.trip: 600 ms is beyond 500 ms (the start-up profile's value: the cell file gives no rating)")]
    [InlineData("SET shortCircuit.tripQualifyMs 600000", "shortCircuit.tripQualifyMs: 600000 is looser than the start-up profile's 0")]
    [InlineData("SET sensors.faultQualifyMs 60000", "sensors.faultQualifyMs: 60000 is looser than the start-up profile's 500")]
    public void LineSetCannotSwitchOffOrLoosenPastTheRatings(string command, string reason)
    {
        var rig = Unlocked();
        string before = rig.Snapshot();
        string r = rig.One(command);
        Assert.Contains(",ERR,SET,E08," + reason, r);
        Assert.Equal(before, rig.Snapshot());
    }

    [Fact]
    public void ModbusWritesGoThroughTheSameAuthority()
    {
        var rig = new ProtocolRig();
        rig.WriteKey(ProtocolRig.Key);
        string before = rig.Snapshot();
        var reply = rig.Request(ProtocolRig.Frame(1, 6, Reg(rig, "cellOverVoltage.enabled") >> 8, Reg(rig, "cellOverVoltage.enabled") & 0xFF, 0, 0));
        Assert.Equal(new byte[] { 1, 0x86, M.ExIllegalValue }, reply[..3]);
        reply = rig.WriteMultiple(Reg(rig, "cellOverVoltage.warning"), 4220, 4250, 5500);
        Assert.Equal(new byte[] { 1, 0x90, M.ExIllegalValue }, reply[..3]);
        Assert.Equal(before, rig.Snapshot());
        Assert.Contains("cellOverVoltage.trip: 5500 mV is beyond", rig.Endpoint.LastRefusal);
    }

    [Fact]
    public void TighteningAndLooseningWithinTheRatingsStayPossible()
    {
        var rig = Unlocked();
        Assert.Contains(",OK,SET,cellOverVoltage.trip=4280,mV", rig.One("SET cellOverVoltage.trip 4280"));   // tighten
        Assert.Contains(",OK,SET,cellOverVoltage.trip=4300,mV", rig.One("SET cellOverVoltage.trip 4300"));   // back to the rating
        Assert.Contains(",ERR,SET,E08,", rig.One("SET cellOverVoltage.trip 4301"));                          // one past it
        Assert.Contains(",OK,SET,shortCircuit.tripQualifyMs=0,ms", rig.One("SET shortCircuit.tripQualifyMs 0"));
        Assert.Contains(",OK,SET,cellImbalance.qualifyMs=5000,ms", rig.One("SET cellImbalance.qualifyMs 5000")); // shorter
        Assert.Contains(",OK,SET,cellImbalance.qualifyMs=10000,ms", rig.One("SET cellImbalance.qualifyMs 10000")); // restored
        Assert.Contains(",OK,SET,chargeOverCurrent.warning=1,A", rig.One("SET chargeOverCurrent.warning 1"));
        Assert.Contains(",OK,SET,cellImbalance.hysteresis=5,mV", rig.One("SET cellImbalance.hysteresis 5"));
    }

    [Fact]
    public void ASetKeepsTheDeratingTables()
    {
        // Found with issue 11: the profile text a port write builds had no [derating], so any SET (even a
        // tightening one) silently switched state-of-power derating off (charge at full rate below 0 C).
        var rig = Unlocked();
        var before = rig.Runner.Controller.Supervisor.Profile.Derating;
        Assert.True(before.Present);
        Assert.Contains(",OK,SET,", rig.One("SET cellOverVoltage.warning 4200"));
        var after = rig.Runner.Controller.Supervisor.Profile.Derating;
        Assert.True(after.Present);
        Assert.Equal(before.TemperaturesC, after.TemperaturesC);
        Assert.Equal(before.ChargeByTemperature, after.ChargeByTemperature);
        Assert.Equal(before.DischargeByTemperature, after.DischargeByTemperature);
        Assert.Equal(before.SocPoints, after.SocPoints);
        Assert.Equal(before.ChargeBySoc, after.ChargeBySoc);
        Assert.Equal(before.DischargeBySoc, after.DischargeBySoc);
        Assert.Equal(before.PressuresKpa, after.PressuresKpa);
        Assert.Equal(before.ChargeByPressure, after.ChargeByPressure);
        Assert.Equal(before.DischargeByPressure, after.DischargeByPressure);
        Assert.Equal(before.HorizonS, after.HorizonS);
    }

    [Fact]
    public void ProfilesFromTheBoardsOwnFilesKeepTheirFullRange()
    {
        var rig = new ProtocolRig();
        string text = Repo.Read("board/profiles/assb-sulfide-li-metal.profile").Replace("trip = 4300", "trip = 4400")
            .Replace("[r0Growth]", "[r0Growth]\nenabled = false");
        Assert.True(rig.Runner.Controller.TryApplyProfile(text, "rig.profile", out string error), error);
        Assert.Equal(4400f, rig.Runner.Controller.Supervisor.Profile.CellOverVoltage.Trip);
        // Over a port the file's values are the baseline: restoring them is allowed, going further is not.
        rig.One("UNLOCK " + ProtocolRig.Key);
        Assert.Contains(",OK,SET,cellOverVoltage.trip=4350,mV", rig.One("SET cellOverVoltage.trip 4350"));
        Assert.Contains(",OK,SET,cellOverVoltage.trip=4400,mV", rig.One("SET cellOverVoltage.trip 4400"));
        Assert.Contains(",ERR,SET,E08,cellOverVoltage.trip: 4410 mV is beyond 4400 mV", rig.One("SET cellOverVoltage.trip 4410"));
        Assert.Contains(",OK,SET,r0Growth.enabled=true,bool", rig.One("SET r0Growth.enabled true")); // switching on is tightening
        Assert.Contains(",ERR,SET,E08,r0Growth.enabled", rig.One("SET r0Growth.enabled false"));
    }

    [Fact]
    public void CellRatingsAreValidatedAndOptional()
    {
        string cell = Repo.Read("board/cells/assb-lpscl-nmc811-li.cell");
        var e = Assert.Throws<ConfigException>(() => CellModel.Load(KeyValueDocument.Parse(cell.Replace("minCellMillivolts = 2900", "minCellMillivolts = 4400"), "c.cell")));
        Assert.Contains("ratings.minCellMillivolts: must be below maxCellMillivolts", e.Message);
        e = Assert.Throws<ConfigException>(() => CellModel.Load(KeyValueDocument.Parse(cell.Replace("maxPulseCurrentA = 10", "maxPulseCurrentA = 2"), "c.cell")));
        Assert.Contains("ratings.maxPulseCurrentA", e.Message);
        // An old cell file without [ratings] loads: every trip is then bound by the start-up profile's value.
        var old = CellModel.Load(KeyValueDocument.Parse(cell[..cell.IndexOf("[ratings]")], "old.cell"));
        Assert.True(float.IsNaN(old.Ratings.MaxCellMillivolts));
        var p = LimitProfile.Load(Repo.Read("board/profiles/assb-sulfide-li-metal.profile"), "p");
        var looser = LimitProfile.Load(Repo.Read("board/profiles/assb-sulfide-li-metal.profile").Replace("trip = 4300", "trip = 4301"), "p");
        Assert.Contains("the start-up profile's value", SettingAuthority.Check(p, p, looser, old.Ratings));
        Assert.Null(SettingAuthority.Check(looser, p, looser, old.Ratings)); // restoring the start-up value
    }

    // ---- finding 2 and 7: the placeholder key unlocks nothing; keys the line port cannot carry are refused ----

    private static ProtocolRig PlaceholderRig() => new(scenarioJson: """{ "name": "ph", "board": "bq76952-16s", "cells": 16, "segments": [ { "durationS": 3600, "rest": true } ] }""");

    [Fact]
    public void ThePlaceholderKeyUnlocksNothingAndSaysSo()
    {
        var rig = PlaceholderRig();
        Assert.Equal(DeviceAuth.PlaceholderKey, rig.Runner.Setup.Board.DeviceKey);
        string before = rig.Snapshot();
        string r = rig.One("UNLOCK " + DeviceAuth.PlaceholderKey);
        Assert.Contains(",ERR,UNLOCK,E05,device key is the shipped placeholder", r);
        Assert.Contains("[security] deviceKey", r);
        Assert.Contains(",ERR,SET,E05,device key is the shipped placeholder", rig.One("SET cellOverVoltage.trip 4280"));
        Assert.Contains(",ERR,CLEAR,E05,device key is the shipped placeholder", rig.One("CLEAR"));
        Assert.Contains(",deviceKey=placeholder", rig.One("STATUS"));
        Assert.Contains(",deviceKey=placeholder", rig.One("VERSION"));
        Assert.Equal(StatusBits.PlaceholderKey, rig.Endpoint.Status(rig.NowMs) & StatusBits.PlaceholderKey);
        Assert.Equal(StatusBits.PlaceholderKey, rig.ReadInput(M.InStatus, 1)[0] & StatusBits.PlaceholderKey);
        Assert.Equal(new byte[] { 1, 0x90, M.ExIllegalFunction }, rig.WriteKey(DeviceAuth.PlaceholderKey)[..3]);
        Assert.Equal(new byte[] { 1, 0x90, M.ExIllegalFunction }, rig.WriteMultiple(M.HoLimitBase + 3, 4280)[..3]);
        Assert.Equal(0, rig.Endpoint.Auth.Failures); // trying it is no failure toward the lockout: it simply never works
        Assert.Equal(before, rig.Snapshot());
        Assert.Contains(",deviceKey=set", new ProtocolRig().One("STATUS"));
    }

    [Fact]
    public void SimWarnsWhenTheBoardCarriesThePlaceholderKey()
    {
        string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "solidbms-ph-" + System.Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        try
        {
            string Run(string board)
            {
                string path = System.IO.Path.Combine(dir, board + ".json");
                System.IO.File.WriteAllText(path, $$"""{ "name": "ph", "board": "{{board}}", "cells": 16, "segments": [ { "durationS": 2, "rest": true } ] }""");
                var err = new System.IO.StringWriter();
                Assert.Equal(0, SolidBms.Cli.CliApp.Run(new[] { "sim", "--scenario", path, "--quiet" }, new System.IO.StringWriter(), err));
                return err.ToString();
            }
            Assert.Contains("sim: warning: board bq76952-16s carries the placeholder device key: every write over the ports is refused until [security] deviceKey is set", Run("bq76952-16s"));
            Assert.DoesNotContain("placeholder", Run("sim-analog-16"));
        }
        finally { System.IO.Directory.Delete(dir, true); }
    }

    // ---- finding 3: CLEAR is all or nothing ----

    [Fact]
    public void ARefusedClearClearsNoLatchedTrip()
    {
        // Pressure falls at 20 kPa/s for 40 s: the rate trip latches and releases when the fall stops; the low
        // pressure trip latches and persists. Before the fix a refused CLEAR cleared the rate trip (0x500 -> 0x100).
        var rig = new ProtocolRig(warmupTicks: 900, scenarioJson: """
            { "name": "clear", "cells": 4, "segments": [ { "durationS": 3600, "rest": true } ],
              "events": [ { "atS": 1, "kind": "pressure-ramp", "kpaPerS": -20, "durationS": 40 } ] }
            """);
        uint trips = FaultBits.Trips(rig.Runner.Controller.Supervisor);
        Assert.Equal(0x500u, trips & 0x500u); // stackPressureLow (8) and stackPressureRate (10)
        rig.One("UNLOCK " + ProtocolRig.Key);
        rig.WriteKey(ProtocolRig.Key);
        string before = rig.Snapshot();
        Assert.Contains(",ERR,CLEAR,E08,", rig.One("CLEAR"));
        Assert.Equal(trips, FaultBits.Trips(rig.Runner.Controller.Supervisor));
        Assert.Equal(before, rig.Snapshot());
        Assert.Equal(new byte[] { 1, 0x86, M.ExDeviceFailure }, rig.Request(ProtocolRig.Frame(1, 6, 0, M.HoCommand, 0, M.CommandClearTrips))[..3]);
        Assert.Equal(trips, FaultBits.Trips(rig.Runner.Controller.Supervisor));
    }

    // ---- finding 4: the lab capture cannot be blinded ----

    [Fact]
    public void AManualCaptureNeedsTheUnlockAndARealTripReplacesIt()
    {
        var rig = new ProtocolRig(cells: 4, scenarioJson: """
            { "name": "cap", "cells": 4, "segments": [ { "durationS": 3600, "rest": true } ],
              "events": [ { "atS": 60, "kind": "pressure-step", "deltaKpa": -800 } ] }
            """);
        var capture = rig.Runner.Controller.Lab.Capture;
        Assert.Contains(",ERR,CAPTURE,E05,not authorised", rig.One("CAPTURE TRIGGER"));
        Assert.Equal(new byte[] { 1, 0x86, M.ExIllegalFunction }, rig.Request(ProtocolRig.Frame(1, 6, 0, M.HoCommand, 0, M.CommandLabCaptureTrigger))[..3]);
        Assert.False(capture.Triggered);
        rig.One("UNLOCK " + ProtocolRig.Key);
        Assert.Contains(",OK,CAPTURE,triggered", rig.One("CAPTURE TRIGGER"));
        rig.Step(300);
        Assert.True(capture.Frozen);
        Assert.Equal(CaptureBuffer.TriggerManual, capture.TriggerCause);
        // The pressure trip at 60 s replaces the held manual window; a later trip does not replace the trip's window.
        rig.Step(900);
        Assert.True(FaultBits.Trips(rig.Runner.Controller.Supervisor) != 0);
        Assert.Equal(CaptureBuffer.TriggerTripReplacedManual, capture.TriggerCause);
        Assert.InRange(capture.TriggerTimeMs, 60000, 65000);
        Assert.True(capture.Frozen);
        Assert.Contains("around a trip (it replaced a manual window) at 6", SolidBms.Cli.SimCommand.CaptureWindow(capture));
        // A trip's window is released only once downloaded (issue 21, EvidenceTests).
        Assert.Contains(",OK,CAPTURE,start,", rig.One("CAPTURE DUMP"));
        for (int i = 0; i < 1000 && !ProtocolRig.Lines(rig.Line.TakeText()).Any(l => l.Contains(",OK,CAPTURE,end,")); i++) rig.Step();
        Assert.Contains(",OK,CAPTURE,released", rig.One("CAPTURE RELEASE"));
        var records = new EventRecord[512];
        int n = rig.Runner.Controller.Lab.Log.ReadAll(records);
        var kinds = records.Take(n).Select(r => (r.Kind, r.Code)).ToList();
        Assert.Contains((EventKind.CaptureTriggered, CaptureBuffer.TriggerManual), kinds);
        Assert.Contains((EventKind.CaptureTriggered, CaptureBuffer.TriggerTripReplacedManual), kinds);
        Assert.Contains((EventKind.CaptureReleased, (ushort)1), kinds);
    }

    // ---- finding 5: one log entry per request, refusals counted, LOG pages through the ring ----

    [Fact]
    public void OneLargeRefusedWriteIsOneLogEntryAndCannotWashTheLog()
    {
        var rig = Unlocked();
        rig.One("SET cellOverVoltage.trip 4280");
        rig.One("LOCK");
        long total = rig.Endpoint.Log.Total;
        var regs = new int[123];
        var reply = rig.WriteMultiple(M.HoLimitBase, regs);
        Assert.Equal(new byte[] { 1, 0x90, M.ExIllegalFunction }, reply[..3]);
        Assert.Equal(total + 1, rig.Endpoint.Log.Total);
        Assert.Equal(1, rig.Endpoint.Log.Refused);
        var log = rig.Command("LOG");
        Assert.Contains(log, l => l.Contains(",modbus,set,-,regs=100-222,not-authorised"));
        Assert.Contains(log, l => l.Contains(",line,set,cellOverVoltage.trip=4280,accepted"));
        Assert.Contains(log, l => l.Contains(",end,total=" + (total + 1) + ",oldest=0,refused=1"));
    }

    [Fact]
    public void LogPagesThroughTheWholeRing()
    {
        var rig = Unlocked();
        for (int i = 0; i < 40; i++) rig.One("TIME " + (1764000000 + i));
        long total = rig.Endpoint.Log.Total; // 41: the unlock and 40 times
        var seen = new System.Collections.Generic.List<long>();
        long from = 0;
        while (true)
        {
            var page = rig.Command("LOG " + from);
            var entries = page.Where(l => !l.Contains(",end,")).Select(l => long.Parse(l.Split(',')[4])).ToList();
            if (entries.Count == 0) break;
            seen.AddRange(entries);
            from = entries[^1] + 1;
        }
        Assert.Equal(Enumerable.Range((int)(total - WriteLog.Capacity), WriteLog.Capacity).Select(i => (long)i), seen);
        Assert.Contains(",ERR,LOG,E02,", rig.One("LOG -1"));
    }

    // ---- finding 6: locked Modbus writes answer 01 before any value check, and are logged ----

    [Fact]
    public void LockedModbusWritesAnswerNotAuthorisedBeforeTheValueAndAreLogged()
    {
        var rig = new ProtocolRig();
        long total = rig.Endpoint.Log.Total;
        // An invalid value (0xFFFF = unknown) and a reserved slot set: locked comes first.
        Assert.Equal(new byte[] { 1, 0x86, M.ExIllegalFunction }, rig.Request(ProtocolRig.Frame(1, 6, 0, M.HoLimitBase + 3, 0xFF, 0xFF))[..3]);
        Assert.Equal(new byte[] { 1, 0x90, M.ExIllegalFunction }, rig.WriteMultiple(M.HoLimitBase + 5, 1, 1, 7)[..3]);
        Assert.Equal(new byte[] { 1, 0x86, M.ExIllegalFunction }, rig.Request(ProtocolRig.Frame(1, 6, 0, M.HoUnixHigh, 0, 1))[..3]);
        Assert.Equal(total + 3, rig.Endpoint.Log.Total);
        Assert.Equal(3, rig.Endpoint.Log.Refused);
    }

    // ---- "refused means nothing changed", over every command ----

    [Fact]
    public void EveryRefusedCommandChangesNothing()
    {
        // Locked, then unlocked: every command that is refused must leave the state exactly as it was.
        string[] locked =
        {
            "SET cellOverVoltage.trip 4280", "CLEAR", "TIME 1764000000", "CAPTURE TRIGGER", "CAPTURE RELEASE",
            "ABUSE REQUEST overcharge 1 60", "ABUSE CONFIRM overcharge",
        };
        string[] unlocked =
        {
            "SET cellOverVoltage.enabled false", "SET shortCircuit.enabled false", "SET loopLate.enabled false", "SET cellOverVoltage.trip 5500",
            "SET cellOverVoltage.trip 4100", "SET cellOverVoltage.qualifyMs 10.5", "SET nosuch.key 1", "SET cellOverVoltage.trip x",
            "TIME 0", "TIME 1.5", "CAPTURE START 1", "CAPTURE BOGUS", "ABUSE REQUEST overcharge 40000 60", "ABUSE CONFIRM wrong",
            "ABUSE REQUEST x zz 1", "LOG x", "GET nosuch", "BOGUS", "STATUS extra", "CLEAR extra", "UNLOCK",
        };
        int[][] modbus =
        {
            new[] { 1, 6, 0, M.HoLimitBase + 3, 0x15, 0x7C }, // 5500 mV
            new[] { 1, 6, 0, M.HoLimitBase, 0, 0 },           // cellOverVoltage.enabled = 0
            new[] { 1, 6, 0, M.HoCommand, 0, 99 },
            new[] { 1, 6, 0, M.HoUnixHigh, 0, 1 },
            new[] { 1, 6, 0, M.HoLimitBase + 5, 0xFF, 0xFF },
            new[] { 1, 6, 0x0F, 0xFF, 0, 1 },
        };
        var rig = new ProtocolRig(cells: 4);
        Check(rig, locked, modbus);
        rig.One("UNLOCK " + ProtocolRig.Key);
        rig.WriteKey(ProtocolRig.Key);
        Check(rig, unlocked, modbus);
    }

    private static void Check(ProtocolRig rig, string[] commands, int[][] modbus)
    {
        foreach (var c in commands)
        {
            string before = State(rig);
            var r = rig.Command(c);
            Assert.True(r.Count > 0 && r.All(l => l.Contains(",ERR,")), c + " -> " + string.Join(" | ", r));
            Assert.Equal(before, State(rig));
        }
        foreach (var f in modbus)
        {
            string before = State(rig);
            var reply = rig.Request(ProtocolRig.Frame(f));
            Assert.True((reply[1] & 0x80) != 0, string.Join(",", f));
            Assert.Equal(before, State(rig));
        }
    }

    /// <summary>The snapshot plus latched trips, capture, abuse mode and the flash log's record count (counters aside).</summary>
    private static string State(ProtocolRig rig)
    {
        var c = rig.Runner.Controller;
        var cap = c.Lab.Capture;
        var records = new EventRecord[c.Lab.Log.SlotCount];
        int n = c.Lab.Log.ReadAll(records);
        var kinds = string.Join(",", records.Take(n).Where(r => r.Kind != EventKind.UnlockRefused && r.Kind != EventKind.Refusals && r.Kind != EventKind.ConfigRejected
            && r.Kind != EventKind.ClearRefused && r.Kind != EventKind.FaultRaised && r.Kind != EventKind.FaultCleared).Select(r => r.Kind));
        return string.Join("|", rig.Snapshot(), cap.Triggered, cap.Frozen, cap.TriggerTimeMs, c.Abuse.Armed, c.Abuse.InhibitMask, kinds);
    }
}
