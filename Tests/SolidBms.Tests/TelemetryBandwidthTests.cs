using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SolidBms.Core.Hal;
using SolidBms.Core.Protocol;
using SolidBms.Simulator.Run;
using SolidBms.Simulator.Scenarios;
using Xunit.Abstractions;

namespace SolidBms.Tests;

/// <summary>
/// The bandwidth sum of docs/protocol.md, from real frames: 16-cell telemetry at 10 Hz over 115200 baud
/// 8N1 (10 bits per byte on the wire, 11520 bytes/s) must leave at least 2x headroom. The board sends once a second;
/// 10 Hz is what `CAPTURE START` asks for on this board (every tick), the most the line must carry.
/// </summary>
public class TelemetryBandwidthTests
{
    private const double WireBytesPerS = 115200 / 10.0;
    private readonly ITestOutputHelper _out;

    public TelemetryBandwidthTests(ITestOutputHelper output) => _out = output;

    private sealed class FrameSizes : ISerialPort
    {
        public readonly List<int> Lengths = new();
        public int Read(byte[] buffer, int offset, int count) => 0;
        public int Write(byte[] buffer, int offset, int count) { Lengths.Add(count); return count; }
    }

    private (double Mean, int Max, int Frames) Measure(string json, int ticks)
    {
        var port = new FrameSizes();
        var r = new ScenarioRunner(Repo.Scenario(json), Repo.Files, port);
        Assert.Equal(1000, r.Setup.Board.TelemetryPeriodMs); // the board's own rate: 1 Hz
        Assert.Equal(100, r.Setup.Board.TickMs);
        // CAPTURE START at the tick (10 Hz), as a rig logging at full rate sends it; to the endpoint, so no reply line is counted.
        Assert.Equal(WriteLog.ResultAccepted, r.Controller.Protocol.Capture(true, r.Setup.Board.TickMs, WriteLog.SourceLine, 0));
        for (int i = 0; i < ticks; i++) r.Step();
        Assert.Equal(ticks, port.Lengths.Count); // a frame every tick, none dropped
        return (port.Lengths.Average(), port.Lengths.Max(), port.Lengths.Count);
    }

    [Fact]
    public void SixteenCellFramesAtTenHertzLeaveTwiceTheBandwidth()
    {
        var dst = Measure("""{ "name": "bw", "cells": 16, "segments": [ { "durationS": 60, "rest": true }, { "durationS": 1800, "cycle": "dst", "peakA": 1.6 } ] }""", 18600);
        var faults = Measure("""
            { "name": "bwf", "cells": 16, "segments": [ { "durationS": 120, "currentA": 1.4 } ],
              "events": [ { "atS": 10, "kind": "pressure-step", "deltaKpa": -700 }, { "atS": 20, "kind": "thermistor-open", "cell": 3 },
                          { "atS": 30, "kind": "sensor-dropout", "sensor": "cell-voltage", "index": 5 } ] }
            """, 1200);
        foreach (var (name, m) in new[] { ("DST drive, no faults", dst), ("three injected faults", faults) })
        {
            double bytesPerS = m.Max * 10.0;
            _out.WriteLine($"{name}: {m.Frames} frames, mean {m.Mean:0.0} B, max {m.Max} B; at 10 Hz {bytesPerS:0} B/s = {bytesPerS * 10:0} bit/s " +
                           $"of 115200 -> headroom {WireBytesPerS / bytesPerS:0.00}x");
        }
        Assert.True(WireBytesPerS / (dst.Max * 10.0) >= 2, $"max frame {dst.Max} B leaves less than 2x headroom");
        Assert.True(WireBytesPerS / (faults.Max * 10.0) >= 2, $"max frame with faults {faults.Max} B leaves less than 2x headroom");
    }
}
