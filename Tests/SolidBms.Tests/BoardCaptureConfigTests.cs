using SolidBms.Core.Config;
using SolidBms.Core.Lab;

namespace SolidBms.Tests;

/// <summary>The board file's [lab] section: the device's capture ring (issue 20, item 3: the managed heap).</summary>
public class BoardCaptureConfigTests
{
    private static string SimBoardWith(string labLines) =>
        Repo.Read("board/boards/sim-analog-16.board").Replace("captureSamples = 150\ncapturePreTriggerSamples = 100", labLines);

    [Fact]
    public void SixteenCellBoardsKeepAShorterRingOthersTheDefault()
    {
        var sim = Repo.SimBoard();
        Assert.Equal((150, 100), (sim.CaptureSamples, sim.CapturePreTriggerSamples));
        var bq = BoardConfig.Load(Repo.Read("board/boards/bq76952-16s.board"), "bq76952-16s.board");
        Assert.Equal((150, 100), (bq.CaptureSamples, bq.CapturePreTriggerSamples));
        var d = BoardConfig.Load(Repo.Read("board/boards/devkitc-analog-2.board"), "devkitc-analog-2.board");
        Assert.Equal((BoardConfig.DefaultCaptureSamples, 200), (d.CaptureSamples, d.CapturePreTriggerSamples));
    }

    [Fact]
    public void PreTriggerDefaultsToTwoThirdsAndSizesTheBuffer()
    {
        var b = BoardConfig.Load(SimBoardWith("captureSamples = 90"), "b.board");
        Assert.Equal((90, 60), (b.CaptureSamples, b.CapturePreTriggerSamples));
        var c = new CaptureBuffer(b.CellCount, b.CaptureSamples, b.CapturePreTriggerSamples);
        Assert.Equal(90, c.Capacity);
        Assert.Equal(60, c.PreTriggerSamples);
    }

    [Theory]
    [InlineData("captureSamples = 5", "lab.captureSamples")]
    [InlineData("captureSamples = 100\ncapturePreTriggerSamples = 100", "lab.capturePreTriggerSamples")]
    [InlineData("captureSamples = 100\ncapturePreTriggerSamples = -1", "lab.capturePreTriggerSamples")]
    [InlineData("captureSamples = 150\ncaptureSeconds = 10", "lab.captureSeconds: unknown key")]
    public void BadRingIsRefusedWithItsKey(string lines, string message)
    {
        var e = Assert.Throws<ConfigException>(() => BoardConfig.Load(SimBoardWith(lines), "b.board"));
        Assert.Contains(message, e.Message);
    }
}
