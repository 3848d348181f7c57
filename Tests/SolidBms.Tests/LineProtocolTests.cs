using System;
using System.Linq;
using System.Text;
using SolidBms.Core.Protocol;
using SolidBms.Core.Util;

namespace SolidBms.Tests;

/// <summary>The line protocol (docs/protocol.md): telemetry frames, commands, errors, authorisation.</summary>
public class LineProtocolTests
{
    internal static string WithCrc(string command)
    {
        var b = Encoding.ASCII.GetBytes(command);
        return command + "*" + Crc16.Compute(b, 0, b.Length).ToString("X4");
    }

    [Fact]
    public void Crc16ModbusCheckValue()
    {
        var b = Encoding.ASCII.GetBytes("123456789");
        Assert.Equal(0x4B37, Crc16.Compute(b, 0, b.Length));
    }

    [Fact]
    public void Crc16EightBytesAStepEqualsTheBitwiseDefinitionAtEveryLengthAndOffset()
    {
        var rng = new Random(3);
        var data = new byte[80];
        rng.NextBytes(data);
        for (int offset = 0; offset < 4; offset++)
            for (int count = 0; count <= 70; count++)
            {
                int crc = 0xFFFF; // CRC-16/MODBUS bit by bit: reflected 0xA001, initial 0xFFFF
                for (int i = offset; i < offset + count; i++)
                {
                    crc ^= data[i];
                    for (int bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1;
                }
                Assert.Equal(crc, Crc16.Compute(data, offset, count));
            }
    }

    [Fact]
    public void TelemetryFrameCarriesEveryCellAndMatchesTheMeasurement()
    {
        var rig = new ProtocolRig();
        rig.Step();
        var frames = ProtocolRig.Lines(rig.Line.TakeText()).Where(l => l.StartsWith("$SBT")).ToList();
        Assert.Single(frames); // 100 ms period on the sim board: one per tick
        string f = frames[0];
        ProtocolRig.AssertFramed(f);
        var fields = f[..f.LastIndexOf('*')].Split(',');
        var m = rig.Runner.Controller.Measurement;
        Assert.Equal(m.TimestampMs.ToString(), fields[3]);
        Assert.Equal("idle", fields[5]);
        int v = Array.IndexOf(fields, "V");
        Assert.Equal("16", fields[v + 1]);
        for (int i = 0; i < 16; i++) Assert.Equal(Math.Round(m.CellMillivolts[i], MidpointRounding.AwayFromZero).ToString(), fields[v + 2 + i]);
        int t = Array.IndexOf(fields, "T");
        Assert.Equal(v + 18, t);
        for (int i = 0; i < 16; i++) Assert.Equal(Math.Round(m.CellTemperatureC[i] * 10.0, MidpointRounding.AwayFromZero).ToString(), fields[t + 2 + i]);
        int p = Array.IndexOf(fields, "P");
        Assert.Equal("1", fields[p + 1]);
        Assert.Equal("F", fields[p + 3]);
        Assert.Equal("0", fields[p + 4]);
        Assert.Equal("X", fields[p + 5]);
        Assert.Equal("inhibited", fields[p + 6]);
        Assert.True(f.Length < 300, $"16-cell frame is {f.Length} bytes");
    }

    [Fact]
    public void VersionAndStatusAnswerWithFramedLines()
    {
        var rig = new ProtocolRig();
        string v = rig.One("VERSION");
        ProtocolRig.AssertFramed(v);
        Assert.Contains(",OK,VERSION,", v);
        Assert.Contains($",protocol={LineProtocol.Version},modbusMap={ModbusRegisterMap.MapVersion},board=sim-analog-16,cells=16,stacks=1", v);
        string s = rig.One("status"); // verbs are case-insensitive
        ProtocolRig.AssertFramed(s);
        Assert.Contains(",OK,STATUS,state=idle,", s);
        Assert.Contains(",lock=locked,", s);
    }

    [Fact]
    public void GoodChecksumIsAcceptedAndBadChecksumIsRefusedWithoutEffect()
    {
        var rig = new ProtocolRig();
        Assert.Contains(",OK,GET,cellOverVoltage.trip=4300,mV", rig.One(WithCrc("GET cellOverVoltage.trip")));
        string before = rig.Snapshot();
        string good = WithCrc("UNLOCK " + ProtocolRig.Key);
        string bad = good[..^1] + (good[^1] == '0' ? '1' : '0');
        string r = rig.One(bad);
        ProtocolRig.AssertFramed(r);
        Assert.Contains(",ERR,?,E03,", r);
        Assert.Equal(before, rig.Snapshot());
        Assert.Equal(0, rig.Endpoint.Log.Total); // never understood, so never logged
    }

    [Fact]
    public void OverlongLineIsRefusedWholeAndTheNextLineWorks()
    {
        var rig = new ProtocolRig();
        string before = rig.Snapshot();
        var r = rig.Command("SET cellOverVoltage.trip 4250 " + new string('x', 200));
        Assert.Single(r);
        Assert.Contains(",ERR,?,E04,", r[0]);
        Assert.Equal(before, rig.Snapshot());
        Assert.Contains(",OK,VERSION,", rig.One("VERSION"));
    }

    [Theory]
    [InlineData("FLASH", "E01")]
    [InlineData("GET", "E02")]
    [InlineData("GET a b", "E02")]
    [InlineData("GET nosuch.key", "E09")]
    [InlineData("SET cellOverVoltage.trip abc", "E02")]
    [InlineData("CAPTURE SIDEWAYS", "E02")]
    [InlineData("TIME 12.5", "E02")]
    [InlineData("STATUS now", "E02")]
    [InlineData("A B C D E F", "E02")]
    [InlineData("ABUSE REQUEST t zz 60", "E02")]
    [InlineData("ABUSE ARM", "E02")]
    [InlineData("GET\u0001x", "E02")]
    public void MalformedOrUnknownInputGetsAnErrorAndChangesNothing(string line, string code)
    {
        var rig = new ProtocolRig();
        string before = rig.Snapshot();
        string r = rig.One(line);
        ProtocolRig.AssertFramed(r);
        Assert.Contains($",ERR,", r);
        Assert.Contains($",{code},", r);
        Assert.Equal(before, rig.Snapshot());
        Assert.Equal(0, rig.Endpoint.Log.Total);
    }

    [Fact]
    public void LockedWriteIsRefusedLoggedAndChangesNothing()
    {
        var rig = new ProtocolRig();
        string before = rig.Snapshot();
        Assert.Contains(",ERR,SET,E05,", rig.One("SET cellOverVoltage.trip 4280"));
        Assert.Contains(",ERR,CLEAR,E05,", rig.One("CLEAR"));
        Assert.Contains(",ERR,TIME,E05,", rig.One("TIME 1764000000"));
        Assert.Equal(before, rig.Snapshot());
        Assert.Equal(4300f, rig.Runner.Controller.Supervisor.Profile.CellOverVoltage.Trip);
        Assert.Equal(3, rig.Endpoint.Log.Total); // refused attempts are in the audit trail
        var log = rig.Command("LOG");
        Assert.Contains(log, l => l.Contains(",line,set,cellOverVoltage.trip=4280,not-authorised"));
    }

    [Fact]
    public void UnlockThenWriteIsAcceptedLoggedAndInForce()
    {
        var rig = new ProtocolRig();
        Assert.Contains(",OK,UNLOCK,", rig.One("UNLOCK " + ProtocolRig.Key));
        string r = rig.One("SET cellOverVoltage.trip 4280");
        ProtocolRig.AssertFramed(r);
        Assert.Contains(",OK,SET,cellOverVoltage.trip=4280,mV", r);
        Assert.Equal(4280f, rig.Runner.Controller.Supervisor.Profile.CellOverVoltage.Trip);
        Assert.Contains(",OK,SET,chargeOverCurrent.hysteresis=0.07,A", rig.One("SET chargeOverCurrent.hysteresis 0.07"));
        // Switching a protection off is refused over a port (issue 11); the class stays on.
        Assert.Contains(",ERR,SET,E08,cellImbalance.enabled: a protection class cannot be switched off", rig.One("SET cellImbalance.enabled false"));
        Assert.True(rig.Runner.Controller.Supervisor.Profile.CellImbalance.Enabled);
        Assert.Contains(",OK,TIME,unix=1764000000", rig.One("TIME 1764000000"));
        rig.Step();
        var log = rig.Command("LOG");
        Assert.Contains(log, l => l.Contains(",line,unlock,-,accepted"));
        Assert.Contains(log, l => l.Contains(",line,set,cellOverVoltage.trip=4280,accepted"));
        Assert.Contains(",OK,LOCK", rig.One("LOCK"));
        Assert.Contains(",ERR,SET,E05,", rig.One("SET cellOverVoltage.trip 4290"));
        Assert.Equal(4280f, rig.Runner.Controller.Supervisor.Profile.CellOverVoltage.Trip);
    }

    [Fact]
    public void InvalidProfileValueIsRefusedWithTheReasonAndTheProfileStays()
    {
        var rig = new ProtocolRig();
        rig.One("UNLOCK " + ProtocolRig.Key);
        string before = rig.Snapshot();
        string r = rig.One("SET cellOverVoltage.trip 4100"); // below its alarm level
        Assert.Contains(",ERR,SET,E08,", r);
        Assert.Contains("levels must be ordered", r);
        r = rig.One("SET cellOverVoltage.qualifyMs 10.5");
        Assert.Contains(",ERR,SET,E08,", r);
        Assert.Equal(before, rig.Snapshot());
    }

    [Fact]
    public void LockoutAfterRepeatedFailuresRefusesEvenTheRightKeyUntilItExpires()
    {
        var rig = new ProtocolRig();
        for (int i = 1; i <= DeviceAuth.MaxFailures; i++)
            Assert.Contains(",ERR,UNLOCK,E07,", rig.One("UNLOCK wrong-key-" + i));
        string r = rig.One("UNLOCK " + ProtocolRig.Key);
        Assert.Contains(",ERR,UNLOCK,E06,", r);
        Assert.Contains(",lock=lockout,", rig.One("STATUS"));
        Assert.Contains(",ERR,SET,E05,", rig.One("SET cellOverVoltage.trip 4280"));
        rig.Step(DeviceAuth.LockoutMs / 100); // the lockout runs on the injected clock
        Assert.Contains(",OK,UNLOCK,", rig.One("UNLOCK " + ProtocolRig.Key));
        Assert.Contains(",OK,SET,", rig.One("SET cellOverVoltage.trip 4280"));
    }

    [Fact]
    public void UnlockOnTheLinePortDoesNotUnlockModbus()
    {
        var rig = new ProtocolRig();
        rig.One("UNLOCK " + ProtocolRig.Key);
        var reply = rig.Request(ProtocolRig.Frame(1, 6, 0, 103, 0x10, 0xB8)); // cellOverVoltage.trip = 4280
        Assert.Equal(new byte[] { 1, 0x86, 1 }, reply[..3]);
    }

    [Fact]
    public void ConstantTimeCompareIsExact()
    {
        var key = Encoding.ASCII.GetBytes("abcdefgh");
        Assert.True(DeviceAuth.ConstantTimeEquals(key, Encoding.ASCII.GetBytes("abcdefgh"), 0, 8));
        Assert.False(DeviceAuth.ConstantTimeEquals(key, Encoding.ASCII.GetBytes("abcdefgX"), 0, 8));
        Assert.False(DeviceAuth.ConstantTimeEquals(key, Encoding.ASCII.GetBytes("abcdefg"), 0, 7));
        Assert.False(DeviceAuth.ConstantTimeEquals(key, Encoding.ASCII.GetBytes("abcdefgh\0"), 0, 9));
        Assert.True(DeviceAuth.ConstantTimeEquals(key, Encoding.ASCII.GetBytes("xxabcdefgh"), 2, 8));
    }

    [Fact]
    public void CaptureSendsEveryTickUntilStopped()
    {
        var rig = new ProtocolRig();
        int FramesIn(int ticks)
        {
            rig.Line.TakeBytes();
            rig.Step(ticks);
            return ProtocolRig.Lines(rig.Line.TakeText()).Count(l => l.StartsWith("$SBT"));
        }
        Assert.Equal(2, FramesIn(20)); // the board's own 1 Hz
        Assert.Contains(",OK,CAPTURE,on,periodMs=100*", rig.One("CAPTURE START")); // every tick
        Assert.Equal(20, FramesIn(20));
        Assert.Contains(",OK,CAPTURE,on,periodMs=500*", rig.One("CAPTURE START 500"));
        Assert.Equal(4, FramesIn(20));
        Assert.Contains(",OK,CAPTURE,off,periodMs=1000*", rig.One("CAPTURE STOP")); // back to the board's
        Assert.Equal(2, FramesIn(20));
        Assert.Contains(",ERR,CAPTURE,E08,", rig.One("CAPTURE START 10")); // faster than the loop
    }

    [Fact]
    public void CommandsAndModbusReadsAllocateNothingPerByte()
    {
        var rig = new ProtocolRig();
        var get = Encoding.ASCII.GetBytes("GET cellOverVoltage.trip\r\nSTATUS\r\nNOPE\r\n" + new string('z', 300) + "\n");
        var read = ProtocolRig.Frame(1, 4, 0, 0, 0, 120);
        rig.Step(5);
        rig.Runner.StallFirmware = true;
        long allocated = 0;
        for (int i = 0; i < 400; i++)
        {
            if (i == 200) allocated = 0; // the first passes JIT-compile and tier up
            rig.Step();
            rig.Line.Send(get);
            rig.Modbus.Send(read);
            long before = GC.GetAllocatedBytesForCurrentThread();
            rig.Runner.Rig.Watchdog.Feed();
            rig.Runner.Controller.Tick();
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            rig.Line.TakeBytes();
            Assert.Equal(5 + 2 * 120, rig.Modbus.TakeBytes().Length);
        }
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void AbuseTestNeedsUnlockRequestAndConfirmAndShowsInTelemetryAndModbus()
    {
        var rig = new ProtocolRig();
        string before = rig.Snapshot();
        Assert.Contains(",ERR,ABUSE,E05,", rig.One("ABUSE REQUEST overcharge 1 600"));
        Assert.Equal(before, rig.Snapshot());
        Assert.False(rig.Runner.Controller.Abuse.Armed);
        rig.One("UNLOCK " + ProtocolRig.Key);
        Assert.Contains(",OK,ABUSE,requested,", rig.One("ABUSE REQUEST overcharge 1 600"));
        Assert.Contains(",ERR,ABUSE,E08,", rig.One("ABUSE CONFIRM other-test")); // must repeat the name
        Assert.False(rig.Runner.Controller.Abuse.Armed);
        Assert.Contains(",OK,ABUSE,armed:00000001,expiresInS=600", rig.One("ABUSE CONFIRM overcharge"));
        Assert.True(rig.Runner.Controller.Abuse.Armed);
        for (int i = 0; i < 10; i++) rig.Step(); // the next frame comes within a second (the board sends at 1 Hz)
        var frame = ProtocolRig.Lines(rig.Line.TakeText()).Last(l => l.StartsWith("$SBT"));
        Assert.Contains(",X,armed:00000001,B,", frame); // the balancing group follows the abuse-test field
        Assert.Contains(",abuse=armed:00000001,abuseLeftS=", rig.One("STATUS"));
        var r = rig.ReadInput(ModbusRegisterMap.InStatus, 1);
        Assert.NotEqual(0, r[0] & StatusBits.AbuseTestArmed);
        Assert.Equal(1, rig.ReadInput(ModbusRegisterMap.InAbuseMaskLow, 1)[0]);
        rig.One("LOCK");
        Assert.Contains(",OK,ABUSE,disarmed", rig.One("ABUSE DISARM")); // disarming needs no unlock
        Assert.False(rig.Runner.Controller.Abuse.Armed);
        var log = rig.Command("LOG");
        Assert.Contains(log, l => l.Contains(",line,abuse-confirm,1,accepted"));
        Assert.Contains(log, l => l.Contains(",line,abuse-disarm,-,accepted"));
    }

    [Fact]
    public void UnlocksAndWritesReachTheFlashEventLogAndTheLabCaptureIsCommanded()
    {
        var rig = new ProtocolRig();
        rig.One("UNLOCK wrong-key-1");
        rig.One("UNLOCK " + ProtocolRig.Key);
        rig.One("SET cellOverVoltage.trip 4280");
        rig.One("SET cellOverVoltage.trip 4100"); // refused
        var records = new SolidBms.Core.Lab.EventRecord[256];
        int n = rig.Runner.Controller.Lab.Log.ReadAll(records);
        var kinds = records.Take(n).Select(r => r.Kind).ToList();
        // Refusals are summarised (issue 21): the first one at once, as a count of 1 with its kind (bit 0: a bad key).
        Assert.Contains(records.Take(n), r => r.Kind == SolidBms.Core.Lab.EventKind.Refusals && r.WideCode == (1u | 1u << 16));
        Assert.Contains(SolidBms.Core.Lab.EventKind.Unlocked, kinds);
        Assert.Contains(records.Take(n), r => r.Kind == SolidBms.Core.Lab.EventKind.SettingWritten && r.Code == 3); // cellOverVoltage.trip
        Assert.Contains(SolidBms.Core.Lab.EventKind.ConfigRejected, kinds);
        Assert.Null(rig.Runner.Controller.LastConfigError); // a refused SET is the writer's error, not a pack warning

        var capture = rig.Runner.Controller.Lab.Capture;
        Assert.Contains(",OK,CAPTURE,triggered", rig.One("CAPTURE TRIGGER"));
        Assert.True(capture.Triggered);
        Assert.Contains(",ERR,CAPTURE,E08,", rig.One("CAPTURE TRIGGER")); // one at a time
        rig.One("LOCK");
        Assert.Contains(",ERR,CAPTURE,E05,", rig.One("CAPTURE RELEASE"));
        Assert.True(capture.Triggered);
        rig.One("UNLOCK " + ProtocolRig.Key);
        Assert.Contains(",OK,CAPTURE,released", rig.One("CAPTURE RELEASE"));
        Assert.False(capture.Triggered);
    }
}
