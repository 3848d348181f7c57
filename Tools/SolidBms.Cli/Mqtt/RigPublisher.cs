using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using SolidBms.Cli.Serial;

namespace SolidBms.Cli.Mqtt;

/// <summary>
/// One rig from line protocol to broker: takes the lines the rig sends (serial port or simulator), publishes its frames
/// (<see cref="RigPublication"/>) through its own connection (<see cref="RigMqttClient"/>), keeps its availability and
/// its Home Assistant discovery up to date.
/// </summary>
public sealed class RigPublisher : IAsyncDisposable
{
    private HaDiscovery.DeviceInfo _device;

    public RigPublisher(string rig, MqttUrl url, long publisherStartUnixMs, HaDiscovery.DeviceInfo device, TextWriter log)
    {
        Publication = new RigPublication(rig, publisherStartUnixMs, () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        _device = device;
        Client = new RigMqttClient(url, Publication, Discovery, log);
    }

    public string Rig => Publication.Rig;
    public RigPublication Publication { get; }
    public RigMqttClient Client { get; }
    /// <summary>Valid telemetry frames taken, and telemetry lines refused (bad CRC, other version, malformed).</summary>
    public long Frames { get; private set; }
    public long BadFrames { get; private set; }

    /// <summary>What the discovery's device block says; a change republishes the discovery.</summary>
    public HaDiscovery.DeviceInfo Device
    {
        get { lock (this) return _device; }
        set
        {
            lock (this) _device = value;
            Client.RequestDiscovery();
        }
    }

    /// <summary>Takes one line from the rig; true when it was a valid telemetry frame (published).</summary>
    public bool OnLine(string line)
    {
        if (line.StartsWith("$SBR,", StringComparison.Ordinal))
        {
            if (VersionResponse(line) is HaDiscovery.DeviceInfo d) Device = d;
            return false;
        }
        if (!line.StartsWith("$SBT", StringComparison.Ordinal)) return false;
        var s = TelemetrySample.TryParse(line);
        if (s == null) { BadFrames++; return false; }
        Frames++;
        var messages = Publication.Frame(s);
        if (Publication.LayoutChanged) Client.RequestDiscovery();
        Client.Enqueue(messages);
        Client.SetAvailability(true);
        return true;
    }

    /// <summary>The rig gave no valid frame for the availability timeout (serial link dead, device off).</summary>
    public void LinkDead() => Client.SetAvailability(false);

    /// <summary>The board and firmware of a `VERSION` response (docs/protocol.md), or null for any other line.</summary>
    public static HaDiscovery.DeviceInfo VersionResponse(string line)
    {
        if (!line.StartsWith("$SBR,", StringComparison.Ordinal) || !TelemetrySample.ChecksumOk(line)) return null;
        var f = line[1..line.LastIndexOf('*')].Split(',');
        if (f.Length < 4 || f[2] != "OK" || f[3] != "VERSION") return null;
        string fw = null, board = null;
        foreach (var kv in f[4..])
        {
            if (kv.StartsWith("fw=", StringComparison.Ordinal)) fw = kv[3..];
            else if (kv.StartsWith("board=", StringComparison.Ordinal)) board = kv[6..];
        }
        return new HaDiscovery.DeviceInfo(board, fw);
    }

    private List<MqttOutgoing> Discovery()
    {
        var s = Publication.Last;
        return s == null ? null : HaDiscovery.Configs(Rig, s.CellMv.Length, s.TempDeciC.Length, s.PressureKpa.Length, Device);
    }

    public Task StopAsync(TimeSpan drainTimeout) => Client.StopAsync(drainTimeout);

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
