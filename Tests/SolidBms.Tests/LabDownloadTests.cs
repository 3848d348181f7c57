using System.Linq;
using SolidBms.Core.Lab;
using SolidBms.Core.Protocol;

namespace SolidBms.Tests;

/// <summary>The event log and the held capture download over the line protocol, a few lines per tick.</summary>
public class LabDownloadTests
{
    [Fact]
    public void EventsStreamTheFlashLogWithValidLinesAndAnEndLine()
    {
        var rig = new ProtocolRig(cells: 4);
        rig.One("UNLOCK " + ProtocolRig.Key);
        rig.One("CLEAR");
        var records = new EventRecord[rig.Runner.Controller.Lab.Log.Capacity];
        int expected = rig.Runner.Controller.Lab.Log.ReadAll(records);
        Assert.True(expected >= 3); // reset, unlock, trips cleared

        Assert.Contains(",OK,EVENTS,start,slots=", rig.One("EVENTS"));
        Assert.Contains(",ERR,EVENTS,E08,", rig.Command("EVENTS").Last()); // one download at a time (2048 slots take 32 ticks)
        var lines = new System.Collections.Generic.List<string>();
        for (int t = 0; t < 50 && !lines.Any(l => l.Contains(",EVENTS,end,")); t++)
        {
            rig.Step();
            lines.AddRange(ProtocolRig.Lines(rig.Line.TakeText()).Where(l => l.StartsWith("$SBR")));
        }
        var ev = lines.Where(l => l.Contains(",OK,EV,")).ToList();
        Assert.Equal(expected, ev.Count);
        Assert.Contains(lines, l => l.Contains(",OK,EVENTS,end,lines=" + expected));
        Assert.All(lines, ProtocolRig.AssertFramed);
        var first = ev[0].Split('*')[0].Split(',');
        Assert.Equal("1", first[4]);                               // sequence 1
        Assert.Equal(((int)EventKind.Reset).ToString(), first[6]); // the start-up record
    }

    [Fact]
    public void CaptureDumpSendsTheHeldWindowAtMostSixLinesPerTick()
    {
        var rig = new ProtocolRig(cells: 4);
        rig.One("UNLOCK " + ProtocolRig.Key); // a manual trigger needs the unlock (issue 11)
        Assert.Contains(",OK,CAPTURE,triggered", rig.One("CAPTURE TRIGGER"));
        rig.Step(250);
        var cap = rig.Runner.Controller.Lab.Capture;
        Assert.True(cap.Frozen);
        rig.Line.TakeBytes();
        Assert.Contains(",OK,CAPTURE,start,samples=" + cap.Count, rig.One("CAPTURE DUMP"));
        int maxPerTick = 0, total = 0;
        for (int t = 0; t < 200; t++)
        {
            rig.Step();
            int n = ProtocolRig.Lines(rig.Line.TakeText()).Count(l => l.Contains(",OK,CAP,"));
            maxPerTick = System.Math.Max(maxPerTick, n);
            total += n;
        }
        Assert.Equal(cap.Count, total);
        Assert.Equal(LabDownload.LinesPerTick, maxPerTick);
        Assert.True(cap.Frozen, "downloading does not release the capture");
    }
}
