using System;
using System.IO;
using SolidBms.Simulator.Run;

namespace SolidBms.Tests;

/// <summary>
/// The run CSV written on a second thread (<see cref="CsvPipeline"/>) against the same run written row by row on the
/// runner's own thread: the same bytes, with the every-N rule and the last row, across several blocks; and a write
/// that fails reaches the runner as an error instead of hanging it or losing it.
/// </summary>
public class CsvPipelineTests
{
    private const string Json = """
        { "name": "csv-pipe", "board": "sim-analog-16", "cells": 5, "initialSoc": 0.7, "seed": 11,
          "segments": [ { "durationS": 150, "cycle": "dst", "peakA": 1.6 }, { "durationS": 40.3, "currentA": -0.8 } ] }
        """;

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void WritesTheSameBytesAsTheRunnersOwnThread(int every)
    {
        var piped = new MemoryStream();
        var r = new ScenarioRunner(Repo.Scenario(Json), Repo.Files);
        RunWithin(() => r.Run(piped, every));

        var direct = new MemoryStream();
        var d = new ScenarioRunner(Repo.Scenario(Json), Repo.Files);
        var recorder = new CsvRecorder(direct, 5);
        recorder.WriteHeader();
        long total = d.TotalTicks;
        for (long i = 0; i < total; i++)
        {
            d.Step();
            if (i % every == 0 || i == total - 1) recorder.WriteRow(d);
        }

        Assert.True(total > 3 * 512, "the run must span several of the pipeline's blocks");
        byte[] a = piped.ToArray(), b = direct.ToArray();
        Assert.True(b.Length > 10_000);
        Assert.Equal(b.Length, a.Length);
        Assert.True(a.AsSpan().SequenceEqual(b), "the piped CSV differs from the direct one");
        int lines = 0;
        foreach (byte x in a) if (x == '\n') lines++;
        Assert.Equal(1 + ((total - 1) / every + 1) + ((total - 1) % every != 0 ? 1 : 0), lines); // header, every N-th tick, the last
    }

    [Fact]
    public void AFailedWriteStopsTheRunWithTheReason()
    {
        var r = new ScenarioRunner(Repo.Scenario(Json), Repo.Files);
        var e = Assert.Throws<IOException>(() => RunWithin(() => r.Run(new FailingStream(200_000), 1)));
        Assert.Contains("disk full (test)", e.Message);
    }

    [Fact]
    public void ARunThatFailsAfterAFailedWriteReportsItsOwnError()
    {
        // The writer fails on the first block (handed over with the 512th row, at 51.2 s); the run itself fails on the next
        // tick (a stop, a firmware exception), before it would meet the write error: that failure is the one seen.
        var r = new ScenarioRunner(Repo.Scenario(Json), Repo.Files);
        r.AfterStep = x => { if (x.TimeS >= 51.25) throw new InvalidOperationException("the run's own failure (test)"); };
        var e = Assert.Throws<InvalidOperationException>(() => RunWithin(() => r.Run(new FailingStream(3_000), 1)));
        Assert.Contains("the run's own failure", e.Message);
    }

    /// <summary>Runs the action on another thread and fails the test if it does not end within a minute (a deadlock).</summary>
    private static void RunWithin(Action run)
    {
        var t = System.Threading.Tasks.Task.Run(run);
        bool ended = System.Threading.Tasks.Task.WhenAny(t, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(60))).Result == t;
        Assert.True(ended, "the run did not end: a deadlock in the pipeline?");
        t.GetAwaiter().GetResult(); // the run's own exception, as thrown
    }

    /// <summary>A stream that takes a number of bytes, then fails every write.</summary>
    private sealed class FailingStream : Stream
    {
        private long _room;
        public FailingStream(long room) { _room = room; }
        public override void Write(byte[] buffer, int offset, int count)
        {
            if (count > _room) throw new IOException("disk full (test)");
            _room -= count;
        }
        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
