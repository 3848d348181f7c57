using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using SolidBms.Core.Hal;
using SolidBms.Core.Protocol;
using SolidBms.Core.Util;
using SolidBms.Simulator.Run;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Tests;

/// <summary>A serial port the test types into and reads from.</summary>
public sealed class TestPort : ISerialPort
{
    private readonly Queue<byte> _in = new();
    private readonly MemoryStream _out = new();

    public void Send(byte[] bytes) { foreach (var b in bytes) _in.Enqueue(b); }
    public void Send(string text) => Send(Encoding.ASCII.GetBytes(text));
    public int Pending => _in.Count;

    public int Read(byte[] buffer, int offset, int count)
    {
        int n = 0;
        while (n < count && _in.Count > 0) buffer[offset + n++] = _in.Dequeue();
        return n;
    }

    public int Write(byte[] buffer, int offset, int count)
    {
        _out.Write(buffer, offset, count);
        return count;
    }

    public byte[] TakeBytes()
    {
        var b = _out.ToArray();
        _out.SetLength(0);
        return b;
    }

    public string TakeText() => Encoding.ASCII.GetString(TakeBytes());
}

/// <summary>The firmware running against the simulated 16-cell pack at rest, with both ports on test ports.</summary>
public sealed class ProtocolRig
{
    public const string Key = "sim-analog-16-bench"; // the simulation board's key (hardware boards carry the placeholder, which unlocks nothing)

    public ProtocolRig(int cells = 16, int warmupTicks = 30, string scenarioJson = null)
    {
        var json = scenarioJson ?? $$"""{ "name": "proto", "cells": {{cells}}, "segments": [ { "durationS": 36000, "rest": true } ] }""";
        Runner = new ScenarioRunner(Repo.Scenario(json), Repo.Files, Line, Modbus);
        for (int i = 0; i < warmupTicks; i++) Runner.Step();
        Line.TakeBytes();
    }

    public TestPort Line { get; } = new();
    public TestPort Modbus { get; } = new();
    public ScenarioRunner Runner { get; }
    public ProtocolEndpoint Endpoint => Runner.Controller.Protocol;
    public long NowMs => Runner.Clock.NowMilliseconds;

    public void Step(int n = 1) { for (int i = 0; i < n; i++) Runner.Step(); }

    /// <summary>Sends one command line and returns the response lines ($SBR) of the next tick.</summary>
    public List<string> Command(string line)
    {
        Line.TakeBytes();
        Line.Send(line + "\r\n");
        Step();
        return Lines(Line.TakeText()).Where(l => l.StartsWith("$SBR")).ToList();
    }

    public string One(string line)
    {
        var r = Command(line);
        Assert.Single(r);
        return r[0];
    }

    public static List<string> Lines(string text) => text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).ToList();

    /// <summary>The CRC of a line is valid and its version field is the protocol version.</summary>
    public static void AssertFramed(string line)
    {
        Assert.StartsWith("$", line);
        int star = line.LastIndexOf('*');
        Assert.True(star > 0 && star == line.Length - 5, line);
        var body = Encoding.ASCII.GetBytes(line[1..star]);
        Assert.Equal(Crc16.Compute(body, 0, body.Length).ToString("X4"), line[(star + 1)..]);
        Assert.Equal(LineProtocol.Version.ToString(), line.Split(',')[1]);
    }

    /// <summary>Appends the CRC to an address + PDU.</summary>
    public static byte[] Frame(params int[] bytes)
    {
        var f = bytes.Select(b => (byte)b).ToList();
        int crc = Crc16.Compute(f.ToArray(), 0, f.Count);
        f.Add((byte)(crc & 0xFF));
        f.Add((byte)(crc >> 8));
        return f.ToArray();
    }

    /// <summary>Sends a Modbus frame, runs one tick, returns the reply (empty when none).</summary>
    public byte[] Request(byte[] frame)
    {
        Modbus.TakeBytes();
        Modbus.Send(frame);
        Step();
        return Modbus.TakeBytes();
    }

    public static int[] Registers(byte[] reply)
    {
        int n = reply[2] / 2;
        var r = new int[n];
        for (int i = 0; i < n; i++) r[i] = (reply[3 + 2 * i] << 8) | reply[4 + 2 * i];
        return r;
    }

    public int[] ReadInput(int start, int count)
    {
        var reply = Request(Frame(1, 4, start >> 8, start & 0xFF, count >> 8, count & 0xFF));
        AssertCrc(reply);
        Assert.Equal(4, reply[1]);
        return Registers(reply);
    }

    public int[] ReadHolding(int start, int count)
    {
        var reply = Request(Frame(1, 3, start >> 8, start & 0xFF, count >> 8, count & 0xFF));
        AssertCrc(reply);
        Assert.Equal(3, reply[1]);
        return Registers(reply);
    }

    public byte[] WriteMultiple(int start, params int[] values)
    {
        var b = new List<int> { 1, 16, start >> 8, start & 0xFF, 0, values.Length, values.Length * 2 };
        foreach (var v in values) { b.Add((v >> 8) & 0xFF); b.Add(v & 0xFF); }
        return Request(Frame(b.ToArray()));
    }

    public byte[] WriteKey(string key)
    {
        var bytes = Encoding.ASCII.GetBytes(key);
        var regs = new int[(bytes.Length + 1) / 2];
        for (int i = 0; i < bytes.Length; i++) regs[i / 2] |= i % 2 == 0 ? bytes[i] << 8 : bytes[i];
        return WriteMultiple(ModbusRegisterMap.HoKeyBase, regs);
    }

    public static void AssertCrc(byte[] reply)
    {
        Assert.True(reply.Length >= 5, "no reply");
        int crc = Crc16.Compute(reply, 0, reply.Length - 2);
        Assert.Equal(crc & 0xFF, reply[^2]);
        Assert.Equal(crc >> 8, reply[^1]);
    }

    /// <summary>Everything a command could change, as text: the profile, trips, authorisation, capture, clock.</summary>
    public string Snapshot()
    {
        var ep = Endpoint;
        var w = new AsciiWriter(8192);
        ep.Fields.WriteText(Runner.Controller.Supervisor.Profile, null, null, w);
        long now = NowMs;
        return string.Join("|", w.ToText(), FaultBits.Trips(Runner.Controller.Supervisor), ep.Auth.Failures, ep.Auth.LockoutCount,
            ep.LineSession.IsUnlocked(now), ep.ModbusSession.IsUnlocked(now), ep.CaptureActive, ep.TelemetryPeriodMs, ep.UnixSeconds(now));
    }
}
