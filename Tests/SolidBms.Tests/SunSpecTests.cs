using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using SolidBms.Core.Actuation;
using SolidBms.Core.Protocol;
using SolidBms.Simulator.Run;
using M = SolidBms.Core.Protocol.ModbusRegisterMap;
using S = SolidBms.Core.Protocol.SunSpecMap;

namespace SolidBms.Tests;

/// <summary>The SunSpec chain at holding register 40000 (issue 22; docs/modbus-register-map.md, "SunSpec").</summary>
public class SunSpecTests
{
    /// <summary>The whole chain as a client reads it: 125-register requests from 40000 up to the end marker.</summary>
    public static (int[] Regs, int Requests) ReadChain(ProtocolRig rig, int length)
    {
        var regs = new List<int>();
        int requests = 0;
        while (regs.Count < length)
        {
            regs.AddRange(rig.ReadHolding(S.Base + regs.Count, Math.Min(ModbusRtuSlave.MaxReadCount, length - regs.Count)));
            requests++;
        }
        return (regs.ToArray(), requests);
    }

    /// <summary>Walks the chain as a SunSpec scanner does: marker, then ID/L pairs to 0xFFFF. Model id -> register offset of its ID.</summary>
    public static List<(int Id, int L, int Offset)> Walk(int[] r)
    {
        Assert.Equal(0x5375, r[0]); // "Su"
        Assert.Equal(0x6E53, r[1]); // "nS"
        var models = new List<(int, int, int)>();
        int o = 2;
        while (r[o] != 0xFFFF)
        {
            models.Add((r[o], r[o + 1], o));
            o += 2 + r[o + 1];
        }
        Assert.Equal(0, r[o + 1]);
        Assert.Equal(r.Length, o + 2); // the end marker closes the served range
        return models;
    }

    private static double Sf(int raw) => Math.Pow(10, (short)raw);

    /// <summary>The point named <paramref name="name"/> of model <paramref name="id"/>.</summary>
    public static int Point(S map, int id, string name) =>
        Enumerable.Range(0, map.PointCount).First(p => map.PointModel(p) < map.ModelCount && map.ModelId(map.PointModel(p)) == id && map.PointName(p) == name);

    /// <summary>The first register of that point in a chain read from 40000.</summary>
    private static int Reg(S map, int[] r, int id, string name) => r[map.PointRegister(Point(map, id, name)) - S.Base];

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(16)]
    public void TheChainIsMarkerCommonBatteryModuleAndEndInAtMostFourRequests(int cells)
    {
        var rig = new ProtocolRig(cells);
        var map = rig.Endpoint.Modbus.Map.SunSpec;
        Assert.Equal(2 + 68 + 64 + 44 + 4 * cells + 2, map.Length);
        var (r, requests) = ReadChain(rig, map.Length);
        Assert.True(requests <= 4, $"{requests} requests");
        var models = Walk(r);
        Assert.Equal(new[] { 1, 802, 805 }, models.Select(m => m.Id));
        Assert.Equal(new[] { 66, 62, 42 + 4 * cells }, models.Select(m => m.L));

        // Model 805: the cell count and every cell's voltage and temperature at their scale factors.
        var c = rig.Runner.Controller;
        var m = c.Measurement;
        int b = models[2].Offset + 2;
        Assert.Equal(b, map.PointRegister(Point(map, 805, "StrIdx")) - S.Base);
        Assert.Equal(cells, Reg(map, r, 805, "NCell"));
        double cellSf = Sf(Reg(map, r, 805, "CellV_SF")), tmpSf = Sf(Reg(map, r, 805, "Tmp_SF"));
        Assert.Equal(0.001, cellSf, 9);
        Assert.Equal(0.1, tmpSf, 9);
        Assert.Equal(0.01, Sf(Reg(map, r, 805, "V_SF")), 9);
        for (int i = 0; i < cells; i++)
        {
            Assert.Equal(m.CellMillivolts[i] / 1000.0, r[b + 42 + 4 * i] * cellSf, 0.0006);
            Assert.Equal(m.CellTemperatureC[i], (short)r[b + 43 + 4 * i] * tmpSf, 0.06);
            Assert.Equal(0xFFFF, r[b + 44 + 4 * i]); // CellSt not implemented: 0xFFFFFFFF
            Assert.Equal(0xFFFF, r[b + 45 + 4 * i]);
        }
        int maxCell = Reg(map, r, 805, "CellVMaxCell"), minCell = Reg(map, r, 805, "CellVMinCell");
        Assert.Equal(m.MaxCellMillivolts(), m.CellMillivolts[maxCell - 1]);
        Assert.Equal(m.MinCellMillivolts(), m.CellMillivolts[minCell - 1]);
        Assert.Equal(m.CellMillivolts.Average() / 1000.0, Reg(map, r, 805, "CellVAvg") * cellSf, 0.0006);
        Assert.Equal(m.MaxTemperatureC(), (short)Reg(map, r, 805, "CellTmpMax") * tmpSf, 0.06);
        Assert.Equal(m.CellTemperatureC[Reg(map, r, 805, "CellTmpMinCell") - 1], m.MinTemperatureC());

        // (Further requests tick on: the values above are the last read's tick.) Past the end marker: no register.
        var past = rig.Request(ProtocolRig.Frame(1, 3, (S.Base + map.Length) >> 8, (S.Base + map.Length) & 0xFF, 0, 1));
        Assert.Equal(new byte[] { 1, 0x83, M.ExIllegalAddress }, past[..3]);
        // The present map is unchanged at its addresses.
        Assert.Equal(M.MapVersion, rig.ReadHolding(M.HoMapVersion, 1)[0]);

    }

    [Fact]
    public void BatteryBaseValuesAgreeWithTheMeasurementWithinOneScaleStep()
    {
        var rig = new ProtocolRig(16);
        var map = rig.Endpoint.Modbus.Map.SunSpec;
        var (r, _) = ReadChain(rig, map.Length);
        var c = rig.Runner.Controller;
        var m = c.Measurement;
        int b = Walk(r)[1].Offset + 2; // model 802's first point (AHRtg)
        int At(string name) => Point(map, 802, name);
        int Reg(string name) => r[map.PointRegister(At(name)) - S.Base];
        Assert.Equal(map.PointRegister(At("AHRtg")) - S.Base, b);
        double vSf = Sf(Reg("V_SF")), aSf = Sf(Reg("A_SF")), socSf = Sf(Reg("SoC_SF"));
        Assert.Equal(c.Estimator.PackSoc * 100.0, Reg("SoC") * socSf, socSf / 2 + 1e-6);
        Assert.Equal(m.PackMillivolts() / 1000.0, Reg("V") * vSf, vSf / 2 + 1e-6);
        Assert.Equal(m.PackCurrentA, (short)Reg("A") * aSf, aSf / 2 + 1e-6);
        Assert.Equal(c.Cell.CapacityAh, Reg("AHRtg") * Sf(Reg("AHRtg_SF")), 0.051);
        Assert.Equal(c.ChargeLimitA, Reg("AChaMax") * Sf(Reg("AMax_SF")), 0.051);
        Assert.Equal(m.MaxCellMillivolts() / 1000.0, Reg("CellVMax") * Sf(Reg("CellV_SF")), 0.0006);
        Assert.Equal(0, Reg("LocRemCtl"));     // REMOTE: SetOp is obeyed (with the key)
        Assert.Equal(1, Reg("SetOp"));         // no disconnect held
        Assert.Equal(100 - c.Estimator.PackSoc * 100.0, Reg("DoD") * Sf(Reg("DoD_SF")), 0.051);
        Assert.Equal(rig.NowMs / 1000 % 65536, Reg("Hb"));
        Assert.Equal(4, Reg("Typ"));           // LITHIUM_ION
        Assert.Equal(c.Outputs.Contactor.State == ContactorState.Closed ? 3 : 1, Reg("State"));
        Assert.Equal((0, 0), (Reg("Evt1"), r[map.PointRegister(At("Evt1")) - S.Base + 1]));
        Assert.Equal(0xFFFF, Reg("SoCMax"));   // uint16 not implemented
        Assert.Equal(0x8000, Reg("ReqW"));     // int16 not implemented
        Assert.Equal(0x8000, Reg("DisChaRte_SF")); // sunssf not implemented
        // Model 1: the strings, NUL-padded big-endian pairs.
        string Str(int reg, int n) => new string(Enumerable.Range(0, 2 * n).Select(i => (char)(i % 2 == 0 ? r[reg + i / 2] >> 8 : r[reg + i / 2] & 0xFF)).ToArray()).TrimEnd('\0');
        Assert.Equal("SolidBms", Str(4, 16));
        Assert.Equal(c.Board.Name, Str(20, 16));
        Assert.Equal(LineProtocol.FirmwareVersion, Str(44, 8));
        Assert.Equal(c.Board.ModbusAddress, r[68]); // DA
    }

    [Fact]
    public void Evt1CarriesTheSupervisorsFaultClassesAndAlmRstObeysTheKeyAndThePersistingCondition()
    {
        // The stack pressure falls: the low-pressure trip latches and persists (as SafetyAuthorityTests).
        var rig = new ProtocolRig(warmupTicks: 900, scenarioJson: """
            { "name": "sunspec-trip", "cells": 4, "segments": [ { "durationS": 3600, "rest": true } ],
              "events": [ { "atS": 1, "kind": "pressure-ramp", "kpaPerS": -20, "durationS": 40 } ] }
            """);
        var map = rig.Endpoint.Modbus.Map.SunSpec;
        var sup = rig.Runner.Controller.Supervisor;
        uint trips = FaultBits.Trips(sup);
        Assert.NotEqual(0u, trips & 0x100u); // stackPressureLow
        int P(string name) => Point(map, 802, name);
        int evt1 = map.PointRegister(P("Evt1")), vnd1 = map.PointRegister(P("EvtVnd1"));
        var e = rig.ReadHolding(evt1, 2);
        Assert.NotEqual(0, ((e[0] << 16) | e[1]) & (1 << 25)); // OTHER_ALARM: a pressure trip has no bit of its own
        var v = rig.ReadHolding(vnd1, 2);
        Assert.Equal(trips, (uint)((v[0] << 16) | v[1]));
        Assert.Equal(99, rig.ReadHolding(map.PointRegister(P("State")), 1)[0]); // FAULT

        int almRst = map.PointRegister(P("AlmRst")), setOp = map.PointRegister(P("SetOp"));
        var log = rig.Endpoint.Log;
        string before = rig.Snapshot();
        long logged = log.Total;
        Assert.Equal(new byte[] { 1, 0x86, M.ExIllegalFunction }, rig.Request(ProtocolRig.Frame(1, 6, almRst >> 8, almRst & 0xFF, 0, 1))[..3]);
        Assert.Equal(logged + 1, log.Total);
        Assert.Equal(WriteLog.ResultNotAuthorised, log.Result(log.Slot(log.Total - 1)));
        Assert.Equal(before, rig.Snapshot());

        rig.WriteKey(ProtocolRig.Key);
        Assert.Equal(new byte[] { 1, 0x86, M.ExDeviceFailure }, rig.Request(ProtocolRig.Frame(1, 6, almRst >> 8, almRst & 0xFF, 0, 1))[..3]);
        Assert.Equal(WriteLog.ResultRefused, log.Result(log.Slot(log.Total - 1)));
        Assert.Equal(trips, FaultBits.Trips(sup)); // the condition persists: nothing cleared

        // SetOp CONNECT: a request only (accepted, logged): the latched trip still holds the contactor open.
        Assert.NotEqual(ContactorState.Closed, rig.Runner.Controller.Outputs.Contactor.State);
        Assert.Equal(6, rig.Request(ProtocolRig.Frame(1, 6, setOp >> 8, setOp & 0xFF, 0, 1))[1]);
        Assert.Equal((WriteLog.ActionConnect, WriteLog.ResultAccepted), (log.Action(log.Slot(log.Total - 1)), log.Result(log.Slot(log.Total - 1))));
        for (int i = 0; i < 50; i++)
        {
            rig.Step();
            Assert.False(rig.Runner.Controller.Outputs.MainClosed);
        }
        Assert.Equal(trips, FaultBits.Trips(sup));
        // A read-only point is no write target at all.
        int soc = map.PointRegister(P("SoC"));
        Assert.Equal(new byte[] { 1, 0x86, M.ExIllegalAddress }, rig.Request(ProtocolRig.Frame(1, 6, soc >> 8, soc & 0xFF, 0, 1))[..3]);
    }

    /// <summary>
    /// SetOp (802) under the key and the loop: DISCONNECT opens the contactor at once and holds it open, CONNECT ends
    /// the hold and the loop closes it again; locked writes and other values change nothing; every request is logged.
    /// </summary>
    [Fact]
    public void SetOpDisconnectOpensTheContactorAndConnectOnlyEndsTheHold()
    {
        var rig = new ProtocolRig(warmupTicks: 100, scenarioJson: """
            { "name": "sunspec-setop", "cells": 4, "segments": [ { "durationS": 3600, "currentA": 1.0 } ] }
            """);
        var c = rig.Runner.Controller;
        var map = rig.Endpoint.Modbus.Map.SunSpec;
        int P(string name) => map.PointRegister(Point(map, 802, name));
        int setOp = P("SetOp"), state = P("State");
        byte[] Write(int value) => rig.Request(ProtocolRig.Frame(1, 6, setOp >> 8, setOp & 0xFF, value >> 8, value & 0xFF));
        var log = rig.Endpoint.Log;
        (int, int, int) Last() { int s = log.Slot(log.Total - 1); return (log.Action(s), log.FirstRegister(s), log.Result(s)); }
        Assert.True(c.Outputs.MainClosed);
        Assert.True(rig.Runner.CurrentA > 0.9); // discharging
        Assert.Equal(3, rig.ReadHolding(state, 1)[0]); // CONNECTED

        // Locked: exception 01, logged with the register, the contactor untouched.
        Assert.Equal(new byte[] { 1, 0x86, M.ExIllegalFunction }, Write(2)[..3]);
        Assert.Equal((WriteLog.ActionSet, setOp, WriteLog.ResultNotAuthorised), Last());
        rig.Step(5);
        Assert.True(c.Outputs.MainClosed);

        rig.WriteKey(ProtocolRig.Key);
        // A value that is no operation: 03, logged, nothing moves.
        Assert.Equal(new byte[] { 1, 0x86, M.ExIllegalValue }, Write(3)[..3]);
        Assert.Equal((WriteLog.ActionSet, setOp, WriteLog.ResultRefused), Last());
        Assert.True(c.Outputs.MainClosed);

        // DISCONNECT: open in the tick that served it, the current stops, and it stays open.
        var reply = Write(2);
        Assert.Equal(Frame6(setOp, 2), reply[..6]);
        Assert.False(c.Outputs.MainClosed);
        Assert.Equal((WriteLog.ActionDisconnect, setOp, WriteLog.ResultAccepted), Last());
        for (int i = 0; i < 100; i++)
        {
            rig.Step();
            Assert.False(c.Outputs.MainClosed);
            Assert.Equal(0.0, rig.Runner.CurrentA);
        }
        Assert.Equal(ContactorState.Open, c.Outputs.Contactor.State); // the weld check passed: no current after the open
        Assert.Equal(2, rig.ReadHolding(setOp, 1)[0]);
        Assert.Equal(1, rig.ReadHolding(state, 1)[0]); // DISCONNECTED
        Assert.Equal(1, rig.ReadHolding(P("ChaSt"), 1)[0]); // OFF
        Assert.False(c.AnyTrip);

        // CONNECT: the hold ends; the loop closes the contactor again (through the precharge) and the load draws.
        Assert.Equal(Frame6(setOp, 1), Write(1)[..6]);
        Assert.Equal((WriteLog.ActionConnect, setOp, WriteLog.ResultAccepted), Last());
        for (int i = 0; i < 100 && !c.Outputs.MainClosed; i++) rig.Step();
        Assert.True(c.Outputs.MainClosed);
        rig.Step(2);
        Assert.True(rig.Runner.CurrentA > 0.9);
        Assert.Equal(1, rig.ReadHolding(setOp, 1)[0]);
        Assert.Equal(3, rig.ReadHolding(state, 1)[0]);
        Assert.Equal(3, rig.ReadHolding(P("ChaSt"), 1)[0]); // DISCHARGING
        // The write log as LOG shows it: one line per request, with the register.
        var lines = rig.Command("LOG");
        Assert.Contains(lines, l => l.Contains($",modbus,set,-,regs={setOp}-{setOp},not-authorised"));
        Assert.Contains(lines, l => l.Contains($",modbus,set,-,regs={setOp}-{setOp},refused"));
        Assert.Contains(lines, l => l.Contains($",modbus,disconnect,-,regs={setOp}-{setOp},accepted"));
        Assert.Contains(lines, l => l.Contains($",modbus,connect,-,regs={setOp}-{setOp},accepted"));
        // The hold's changes are evidence in the flash event log too: set once, ended once (the refused requests changed nothing).
        var records = new SolidBms.Core.Lab.EventRecord[c.Lab.Log.Capacity];
        var holds = records[..c.Lab.Log.ReadAll(records)].Where(x => x.Kind == SolidBms.Core.Lab.EventKind.OperatorDisconnect).Select(x => (int)x.Code).ToArray();
        Assert.Equal(new[] { 1, 0 }, holds);
    }

    /// <summary>The echo of a successful function 06 write.</summary>
    private static byte[] Frame6(int register, int value) => new byte[] { 1, 6, (byte)(register >> 8), (byte)register, (byte)(value >> 8), (byte)value };

    /// <summary>A disconnect held across a sensor fault and its clear: the operator's hold and the supervisor's each keep the contactor open.</summary>
    [Fact]
    public void ConnectNeverClosesAContactorTheSupervisorHoldsOpen()
    {
        // A thermistor goes open for 5 s: sensorTemperature latches (as fault-thermistor-open), its condition then gone.
        var rig = new ProtocolRig(warmupTicks: 100, scenarioJson: """
            { "name": "sunspec-setop-trip", "cells": 4, "segments": [ { "durationS": 3600, "currentA": 1.0 } ],
              "events": [ { "atS": 12, "kind": "thermistor-open", "cell": 3, "durationS": 5 } ] }
            """);
        var c = rig.Runner.Controller;
        var map = rig.Endpoint.Modbus.Map.SunSpec;
        int setOp = map.PointRegister(Point(map, 802, "SetOp")), almRst = map.PointRegister(Point(map, 802, "AlmRst"));
        byte[] Write(int register, int value) => rig.Request(ProtocolRig.Frame(1, 6, register >> 8, register & 0xFF, 0, value));
        rig.WriteKey(ProtocolRig.Key);
        Assert.True(c.Outputs.MainClosed);
        Assert.Equal(6, Write(setOp, 2)[1]); // DISCONNECT
        rig.Step(100);                        // t = 20 s: the thermistor has failed and recovered
        Assert.True(c.AnyTrip);
        Assert.Equal(6, Write(setOp, 1)[1]);  // CONNECT: accepted as a request, the trip holds the contactor open
        rig.Step(50);
        Assert.False(c.Outputs.MainClosed);
        Assert.Equal(6, Write(setOp, 2)[1]);  // DISCONNECT again, then clear the trip: the operator's hold still keeps it open
        rig.WriteKey(ProtocolRig.Key);
        Assert.Equal(6, Write(almRst, 1)[1]);
        rig.Step(); // the supervisor's summary of its latches is refreshed by its next evaluation
        Assert.False(c.AnyTrip);
        rig.Step(50);
        Assert.False(c.Outputs.MainClosed);
        Assert.Equal(6, Write(setOp, 1)[1]);  // both holds gone: the loop closes it
        for (int i = 0; i < 100 && !c.Outputs.MainClosed; i++) rig.Step();
        Assert.True(c.Outputs.MainClosed);
    }

    [Fact]
    public void AlmRstClearsATripWhoseConditionHasGone()
    {
        // A pressure rate trip alone: latched, its condition gone once the ramp stops.
        var rig = new ProtocolRig(warmupTicks: 900, scenarioJson: """
            { "name": "sunspec-clear", "cells": 4, "segments": [ { "durationS": 3600, "rest": true } ],
              "events": [ { "atS": 1, "kind": "pressure-ramp", "kpaPerS": -20, "durationS": 10 } ] }
            """);
        var sup = rig.Runner.Controller.Supervisor;
        Assert.NotEqual(0u, FaultBits.Trips(sup));
        Assert.True(sup.CanClearTrips());
        var map = rig.Endpoint.Modbus.Map.SunSpec;
        int almRst = map.PointRegister(Enumerable.Range(0, map.PointCount).First(p => map.PointName(p) == "AlmRst"));
        rig.WriteKey(ProtocolRig.Key);
        var reply = rig.Request(ProtocolRig.Frame(1, 6, almRst >> 8, almRst & 0xFF, 0, 1));
        Assert.Equal(6, reply[1]);
        Assert.Equal(0u, FaultBits.Trips(sup));
    }

    /// <summary>SN comes from the board file's optional serial number, checked on load (it must fit SN's 32 characters).</summary>
    [Fact]
    public void TheSerialNumberComesFromTheBoardFileAndIsCheckedOnLoad()
    {
        string text = Repo.Read("board/boards/sim-analog-16.board");
        Assert.Null(SolidBms.Core.Config.BoardConfig.Load(text, "b").SerialNumber);
        string With(string sn) => text.Replace("[telemetry]", "serialNumber = " + sn + "\n[telemetry]");
        // Appended after the [board] section's keys: the first section header after them is [telemetry].
        Assert.Equal("SB-0042", SolidBms.Core.Config.BoardConfig.Load(With("SB-0042"), "b").SerialNumber);
        foreach (var bad in new[] { "SB 0042", new string('9', 33), "SB-\u00e9" })
        {
            var e = Assert.Throws<SolidBms.Core.Config.ConfigException>(() => SolidBms.Core.Config.BoardConfig.Load(With(bad), "b"));
            Assert.Contains("serialNumber", e.Message);
        }
    }

    /// <summary>A port with fixed buffers: what the test port costs (its queue and stream grow) is not charged to the tick.</summary>
    private sealed class FixedPort : SolidBms.Core.Hal.ISerialPort
    {
        private readonly byte[] _in = new byte[256];
        private int _inLength, _inRead;
        public int Written;

        public void Load(byte[] frame) { Array.Copy(frame, _in, frame.Length); _inLength = frame.Length; _inRead = 0; Written = 0; }

        public int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(count, _inLength - _inRead);
            Array.Copy(_in, _inRead, buffer, offset, n);
            _inRead += n;
            return n;
        }

        public int Write(byte[] buffer, int offset, int count) { Written += count; return count; }
    }

    [Fact]
    public void ServingTheChainAllocatesNothingInTheTick()
    {
        var line = new FixedPort();
        var modbus = new FixedPort();
        var r = new ScenarioRunner(Repo.Scenario("""{ "name": "sunspec-alloc", "cells": 16, "segments": [ { "durationS": 3600, "rest": true } ] }"""),
            Repo.Files, line, modbus);
        var map = r.Controller.Protocol.Modbus.Map.SunSpec;
        int n = (map.Length + 124) / 125;
        var frames = Enumerable.Range(0, n).Select(i => ProtocolRig.Frame(1, 3, (S.Base + 125 * i) >> 8, (S.Base + 125 * i) & 0xFF, 0,
            Math.Min(125, map.Length - 125 * i))).ToArray();
        for (int i = 0; i < 100; i++) { modbus.Load(frames[i % n]); r.Step(); } // start-up, JIT
        r.StallFirmware = true;
        long allocated = 0;
        for (int i = 0; i < 300; i++)
        {
            r.Step();
            modbus.Load(frames[i % n]);
            long before = GC.GetAllocatedBytesForCurrentThread();
            r.Rig.Watchdog.Feed();
            r.Controller.Tick();
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(5 + 2 * Math.Min(125, map.Length - 125 * (i % n)), modbus.Written); // it was served
        }
        Assert.Equal(0, allocated);
    }
}

/// <summary>A fact that needs the sunspec/models mirror (fetched, never committed): skipped with the reason when absent.</summary>
public sealed class SunSpecModelsFactAttribute : FactAttribute
{
    public const string Mirror = "/work/.mirror/sunspec+models/repo";

    public SunSpecModelsFactAttribute()
    {
        if (!Directory.Exists(Mirror) || !File.Exists("/usr/bin/git"))
            Skip = $"no mirror of sunspec/models at {Mirror} (public repository, Apache-2.0; fetched data, not kept in this repository)";
    }

    public static JsonElement Model(int id)
    {
        var psi = new ProcessStartInfo("git", $"--git-dir={Mirror} show HEAD:json/model_{id}.json") { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        string text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return JsonDocument.Parse(text).RootElement;
    }
}

public class SunSpecModelTests
{
    /// <summary>The served chain against SunSpec's own model definitions, point by point.</summary>
    [SunSpecModelsFact]
    public void TheServedChainMatchesSunSpecsModelDefinitions()
    {
        foreach (int cells in new[] { 1, 16 })
        {
            var rig = new ProtocolRig(cells, warmupTicks: 5);
            var map = rig.Endpoint.Modbus.Map.SunSpec;
            var (r, _) = SunSpecTests.ReadChain(rig, map.Length);
            Assert.Equal(3, map.ModelCount);
            int checkedPoints = 0;
            for (int m = 0; m < map.ModelCount; m++)
            {
                int id = map.ModelId(m);
                var group = SunSpecModelsFactAttribute.Model(id).GetProperty("group");
                var served = Enumerable.Range(0, map.PointCount).Where(p => map.PointModel(p) == m).ToList();
                if (m == 0) served = served.Where(p => map.PointName(p) != "SunS").ToList();
                var expected = new List<JsonElement>();
                foreach (var p in group.GetProperty("points").EnumerateArray()) expected.Add(p);
                if (group.TryGetProperty("groups", out var groups))
                    foreach (var g in groups.EnumerateArray())
                    {
                        // 805's cell group: count 0 = repeated to the model's end, here NCell times.
                        Assert.Equal(0, g.GetProperty("count").ValueKind == JsonValueKind.Number ? g.GetProperty("count").GetInt32() : -1);
                        for (int i = 0; i < cells; i++) foreach (var p in g.GetProperty("points").EnumerateArray()) expected.Add(p);
                    }
                Assert.Equal(expected.Count, served.Count);
                int offset = map.ModelRegister(m);
                int length = 0;
                for (int i = 0; i < expected.Count; i++)
                {
                    var e = expected[i];
                    int p = served[i];
                    string name = e.GetProperty("name").GetString();
                    string where = $"model {id} point {i} {name} ({cells} cells)";
                    Assert.True(name == map.PointName(p), where + ": served " + map.PointName(p));
                    Assert.True(e.GetProperty("type").GetString() == map.PointType(p), where + ": type " + map.PointType(p));
                    Assert.True(e.GetProperty("size").GetInt32() == map.PointSize(p), where + ": size");
                    Assert.True(offset == map.PointRegister(p), where + ": register " + map.PointRegister(p));
                    string sf = e.TryGetProperty("sf", out var s) ? s.GetString() : null;
                    Assert.True(sf == map.PointScaleFactor(p), where + ": sf " + map.PointScaleFactor(p));
                    bool rw = e.TryGetProperty("access", out var a) && a.GetString() == "RW";
                    Assert.True(rw == map.PointWritable(p), where + ": access");
                    if (name == "ID") Assert.Equal(id, r[offset - S.Base]);
                    if (i >= 2) length += map.PointSize(p);
                    offset += map.PointSize(p);
                    checkedPoints++;
                }
                Assert.Equal(length, r[map.ModelRegister(m) - S.Base + 1]); // L
            }
            Assert.Equal(9 + 58 + 28 + 3 * cells, checkedPoints);
        }
    }
}
