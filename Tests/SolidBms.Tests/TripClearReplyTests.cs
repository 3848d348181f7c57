using System.Globalization;
using System.Linq;
using SolidBms.Core.Protocol;

namespace SolidBms.Tests;

/// <summary>
/// A clear takes effect in the replies of the tick it is made in: the ports are served after the tick's evaluation, so a
/// trip flag left from that evaluation would make a STATUS or the telemetry frame after an accepted CLEAR still say
/// "tripped" while listing no trip (issue 24, item 3; the supervisor's own flag: MutantKillerSafetyTests).
/// </summary>
public class TripClearReplyTests
{
    [Fact]
    public void AStatusAfterAnAcceptedClearInTheSameTickReportsNoTrip()
    {
        // A thermistor open for 5 s latches sensorTemperature; at 15 s it has long been good again.
        var rig = new ProtocolRig(cells: 4, warmupTicks: 150, scenarioJson: """
            { "name": "clear-reply", "cells": 4, "segments": [ { "durationS": 60, "rest": true } ],
              "events": [ { "atS": 2, "kind": "thermistor-open", "cell": 1, "durationS": 5 } ] }
            """);
        Assert.Equal(StatusBits.TripLatched, rig.Endpoint.Status(rig.NowMs) & StatusBits.TripLatched);
        Assert.Contains(",OK,UNLOCK", rig.One("UNLOCK " + ProtocolRig.Key));
        var replies = rig.Command("CLEAR\r\nSTATUS"); // both served in one tick, after its evaluation
        Assert.Equal(2, replies.Count);
        Assert.Contains(",OK,CLEAR", replies[0]);
        Assert.Contains(",trips=00000000,", replies[1]);
        Assert.Equal(0, StatusWord(replies[1]) & StatusBits.TripLatched);
        Assert.Equal(0, rig.Endpoint.Status(rig.NowMs) & StatusBits.TripLatched);
    }

    private static int StatusWord(string statusReply)
    {
        string field = statusReply.Split(',').First(f => f.StartsWith("status="));
        return int.Parse(field["status=".Length..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
