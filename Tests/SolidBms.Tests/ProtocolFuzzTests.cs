using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using SolidBms.Core.Protocol;
using SolidBms.Core.Util;
using Xunit.Abstractions;
using M = SolidBms.Core.Protocol.ModbusRegisterMap;

namespace SolidBms.Tests;

/// <summary>
/// Seeded random fuzzing of both parsers, 200,000 inputs each (half with the port locked, half unlocked):
/// no exception escapes, and an input that is refused (an error response, a Modbus exception or no reply)
/// leaves the device state exactly as it was. Unlock attempts are the one refused input allowed to change
/// something (the failure counter), so their invariant is checked on everything else.
/// </summary>
public class ProtocolFuzzTests
{
    public const int Inputs = 200_000;
    private readonly ITestOutputHelper _out;

    public ProtocolFuzzTests(ITestOutputHelper output) => _out = output;

    /// <summary>Every setting, trip and authorisation state, folded into a comparable value (cheap enough per input).</summary>
    private static string State(ProtocolRig rig, bool withAuthCounters = true)
    {
        var ep = rig.Endpoint;
        var sb = new StringBuilder();
        for (int f = 0; f < ep.Fields.Count; f++) sb.Append(ep.Fields.Get(rig.Runner.Controller.Supervisor, f)).Append(',');
        long now = rig.NowMs;
        sb.Append(FaultBits.Trips(rig.Runner.Controller.Supervisor)).Append(ep.LineSession.IsUnlocked(now)).Append(ep.ModbusSession.IsUnlocked(now))
          .Append(ep.CaptureActive).Append(rig.Runner.Controller.Abuse.Armed).Append(ep.TelemetryPeriodMs).Append(ep.UnixSeconds(now));
        if (withAuthCounters) sb.Append(ep.Auth.Failures).Append(ep.Auth.LockoutCount);
        return sb.ToString();
    }

    private static readonly string[] Templates =
    {
        "STATUS", "VERSION", "GET cellOverVoltage.trip", "SET cellOverVoltage.trip 4280", "SET stackPressureLow.warning 600",
        "SET current.maxChargeA 0.8", "UNLOCK " + ProtocolRig.Key, "UNLOCK guess", "LOCK", "CLEAR", "TIME 1764000000",
        "CAPTURE START 200", "CAPTURE STOP", "LOG", "SET cellImbalance.enabled false",
        "ABUSE REQUEST overcharge 1 600", "ABUSE CONFIRM overcharge", "ABUSE DISARM", "SET loopLate.trip 400",
    };

    private static byte[] LineInput(Random rng)
    {
        int kind = rng.Next(5);
        string t = Templates[rng.Next(Templates.Length)];
        byte[] b;
        switch (kind)
        {
            case 0: // raw bytes, any value except line ends
                b = new byte[rng.Next(0, 160)];
                rng.NextBytes(b);
                for (int i = 0; i < b.Length; i++) if (b[i] == '\r' || b[i] == '\n') b[i] = (byte)'x';
                break;
            case 1: // printable noise
                b = Enumerable.Range(0, rng.Next(1, 140)).Select(_ => (byte)rng.Next(0x20, 0x7F)).ToArray();
                break;
            case 2: // a checksummed command with one to three bytes changed
            {
                var raw = Encoding.ASCII.GetBytes(t);
                string framed = t + "*" + Crc16.Compute(raw, 0, raw.Length).ToString("X4");
                b = Encoding.ASCII.GetBytes(framed);
                int flips = rng.Next(1, 4);
                for (int k = 0; k < flips; k++)
                {
                    int i = rng.Next(b.Length);
                    byte nb;
                    do nb = (byte)rng.Next(0x20, 0x7F); while (nb == b[i] || nb == '*');
                    b[i] = nb;
                }
                break;
            }
            case 3: // a real verb with garbage arguments
            {
                string verb = t.Split(' ')[0];
                var args = Enumerable.Range(0, rng.Next(0, 5)).Select(_ => new string(Enumerable.Range(0, rng.Next(1, 12)).Select(_ => (char)rng.Next(0x21, 0x7F)).ToArray()));
                b = Encoding.ASCII.GetBytes(verb + " " + string.Join(" ", args));
                break;
            }
            default: // templates as they are (valid input keeps the state machine moving)
                b = Encoding.ASCII.GetBytes(t);
                break;
        }
        return b.Concat(new byte[] { (byte)'\r', (byte)'\n' }).ToArray();
    }

    [Fact]
    public void LineParserSurvivesRandomInputAndRefusedInputChangesNothing()
    {
        var rig = new ProtocolRig(cells: 4);
        var rng = new Random(20261125);
        var ep = rig.Endpoint;
        long now = rig.NowMs;
        int errors = 0, accepted = 0, silent = 0, unlockAttempts = 0;
        for (int n = 0; n < Inputs; n++)
        {
            if (n == Inputs / 2) { rig.Line.Send("UNLOCK " + ProtocolRig.Key + "\r\n"); ep.Service(now); }
            var input = LineInput(rng);
            string before = State(rig), beforeNoAuth = State(rig, false);
            long logBefore = ep.Log.Total;
            rig.Line.TakeBytes();
            rig.Line.Send(input);
            ep.Service(now);
            var replies = ProtocolRig.Lines(rig.Line.TakeText()).Where(l => l.StartsWith("$SBR")).ToList();
            if (replies.Count == 0) { silent++; Assert.Equal(before, State(rig)); continue; }
            bool ok = replies.Any(r => r.Contains(",OK,"));
            if (ok) { accepted++; continue; }
            errors++;
            string r0 = replies[0];
            bool unlock = r0.Contains(",E07,") || r0.Contains(",E06,");
            if (unlock) unlockAttempts++;
            Assert.True(unlock ? beforeNoAuth == State(rig, false) : before == State(rig),
                $"refused input changed state: {Encoding.ASCII.GetString(input).TrimEnd()} -> {r0}");
            // Malformed, unknown and bad-checksum input never reaches the audit log.
            if (r0.Contains(",E01,") || r0.Contains(",E02,") || r0.Contains(",E03,") || r0.Contains(",E04,") || r0.Contains(",E09,"))
                Assert.Equal(logBefore, ep.Log.Total);
        }
        _out.WriteLine($"line fuzz: {Inputs} inputs: {errors} refused with an error, {accepted} accepted, {silent} without reply, {unlockAttempts} failed unlocks");
        Assert.True(errors > Inputs / 2 && accepted > 1000, $"fuzz mix is off: {errors} errors, {accepted} accepted");
    }

    private static byte[] ModbusInput(Random rng, out bool unlockOrBroadcastWrite)
    {
        unlockOrBroadcastWrite = false;
        int kind = rng.Next(4);
        if (kind == 0)
        {
            var b = new byte[rng.Next(1, 40)];
            rng.NextBytes(b);
            return b;
        }
        int addr = rng.Next(10) == 0 ? rng.Next(256) : 1;
        int fc = rng.Next(6) switch { 0 => 3, 1 => 4, 2 => 6, 3 => 16, _ => rng.Next(256) };
        int[] starts = { rng.Next(400), M.HoKeyBase, M.HoCommand, M.HoUnixHigh, rng.Next(M.HoLimitBase, M.HoSettingsBase + ProfileFields.ExtraCount), rng.Next(65536) };
        int start = starts[rng.Next(starts.Length)];
        var pdu = new List<int> { addr, fc, start >> 8, start & 0xFF };
        if (fc == 6) { int v = rng.Next(65536); pdu.Add(v >> 8); pdu.Add(v & 0xFF); }
        else if (fc == 16)
        {
            int count = rng.Next(0, 20);
            pdu.Add(0); pdu.Add(rng.Next(8) == 0 ? rng.Next(256) : count);
            pdu.Add(rng.Next(8) == 0 ? rng.Next(256) : count * 2);
            for (int i = 0; i < count * 2; i++) pdu.Add(rng.Next(256));
        }
        else { int c = rng.Next(8) == 0 ? rng.Next(65536) : rng.Next(1, 130); pdu.Add(c >> 8); pdu.Add(c & 0xFF); }
        var frame = ProtocolRig.Frame(pdu.ToArray());
        if (kind == 1) frame[rng.Next(frame.Length)] ^= (byte)(1 << rng.Next(8)); // corrupted in transit
        bool write = fc == 6 || fc == 16;
        unlockOrBroadcastWrite = write && (addr == 0 || (start >= M.HoKeyBase && start < M.HoKeyBase + M.HoKeyCount));
        return frame;
    }

    [Fact]
    public void ModbusParserSurvivesRandomFramesAndRefusedFramesChangeNothing()
    {
        var rig = new ProtocolRig(cells: 4);
        var rng = new Random(4242);
        var ep = rig.Endpoint;
        long now = rig.NowMs;
        int exceptions = 0, normal = 0, silent = 0;
        var codes = new int[5];
        for (int n = 0; n < Inputs; n++)
        {
            if (n == Inputs / 2) { rig.WriteKey(ProtocolRig.Key); now = rig.NowMs; }
            var frame = ModbusInput(rng, out bool exempt);
            string before = State(rig), beforeNoAuth = State(rig, false);
            rig.Modbus.TakeBytes();
            rig.Modbus.Send(frame);
            ep.Service(now);
            ep.Service(now); // a poll with nothing new: the silence that ends a fragment
            var reply = rig.Modbus.TakeBytes();
            bool refused = reply.Length == 0 || (reply.Length == 5 && (reply[1] & 0x80) != 0);
            if (reply.Length == 0) silent++;
            else if (refused) { exceptions++; codes[Math.Min((int)reply[2], 4)]++; }
            else normal++;
            if (reply.Length > 0) ProtocolRig.AssertCrc(reply);
            if (refused) Assert.True(exempt ? beforeNoAuth == State(rig, false) || frame[0] == 0 : before == State(rig),
                $"refused frame changed state: {Convert.ToHexString(frame)}");
        }
        _out.WriteLine($"modbus fuzz: {Inputs} frames: {silent} without reply (bad CRC, other address, fragment), {exceptions} exceptions " +
                       $"(01: {codes[1]}, 02: {codes[2]}, 03: {codes[3]}, 04: {codes[4]}), {normal} normal replies");
        Assert.True(silent > 10000 && exceptions > 10000 && normal > 10000, "fuzz mix is off");
    }
}
