using SolidBms.Core.Config;

namespace SolidBms.Tests;

/// <summary>Board files, limit profiles and cell files: the shipped ones load, bad ones are refused with file and line.</summary>
public class ConfigTests
{
    [Theory]
    [InlineData("board/boards/sim-analog-16.board", 16)]
    [InlineData("board/boards/devkitc-analog-2.board", 2)]
    public void ShippedBoardsLoad(string path, int cells)
    {
        var b = BoardConfig.Load(Repo.Read(path), path);
        Assert.Equal(cells, b.CellCount);
        Assert.Equal(cells, b.ThermistorAdcChannels.Length);
        Assert.True(b.StackCount >= 1);
    }

    [Theory]
    [InlineData("board/profiles/assb-sulfide-li-metal.profile")]
    [InlineData("board/profiles/liquid-nmc-graphite.profile")]
    public void ShippedProfilesLoad(string path)
    {
        var p = LimitProfile.Load(Repo.Read(path), path);
        Assert.True(p.CellOverVoltage.Trip > p.CellUnderVoltage.Trip);
        Assert.Equal(19, p.All().Length);
    }

    [Fact]
    public void AssbProfileIsStricterOnPressureAndColdChargeThanLiquid()
    {
        var assb = Repo.AssbProfile();
        var liquid = LimitProfile.Load(Repo.Read("board/profiles/liquid-nmc-graphite.profile"), "liquid");
        Assert.True(assb.StackPressureLow.Trip > liquid.StackPressureLow.Trip);
        Assert.True(assb.MaxChargeCurrentA < liquid.MaxChargeCurrentA);
    }

    private static string Edit(string text, string from, string to)
    {
        Assert.Contains(from, text);
        return text.Replace(from, to);
    }

    [Fact]
    public void BoardWithDuplicateChannelIsRefusedNamingTheLine()
    {
        string text = Edit(Repo.Read("board/boards/devkitc-analog-2.board"), "adcChannels = 4, 5", "adcChannels = 4, 0");
        var e = Assert.Throws<ConfigException>(() => BoardConfig.Load(text, "rig.board"));
        Assert.Contains("thermistors.adcChannels", e.Message);
        Assert.Contains("already used", e.Message);
        Assert.True(e.Line > 0);
        Assert.StartsWith("rig.board:" + e.Line, e.Message);
    }

    [Fact]
    public void BoardWithMissingPinIsRefused()
    {
        string text = Edit(Repo.Read("board/boards/devkitc-analog-2.board"), "alarmPin = 2", "");
        var e = Assert.Throws<ConfigException>(() => BoardConfig.Load(text, "rig.board"));
        Assert.Contains("outputs.alarmPin: is missing", e.Message);
    }

    [Fact]
    public void BoardWithZeroDividerIsRefusedNamingTheLine()
    {
        string text = Edit(Repo.Read("board/boards/devkitc-analog-2.board"), "dividerRatios = 2, 4", "dividerRatios = 2, 0");
        var e = Assert.Throws<ConfigException>(() => BoardConfig.Load(text, "rig.board"));
        Assert.Contains("cells.dividerRatios", e.Message);
        Assert.Contains("item 2", e.Message);
        Assert.True(e.Line > 0);
    }

    [Fact]
    public void SharedOutputPinIsRefused()
    {
        string text = Edit(Repo.Read("board/boards/devkitc-analog-2.board"), "alarmPin = 2", "alarmPin = 25");
        var e = Assert.Throws<ConfigException>(() => BoardConfig.Load(text, "rig.board"));
        Assert.Contains("already mainContactorPin", e.Message);
    }

    [Fact]
    public void ProfileWithUnorderedLevelsIsRefused()
    {
        string text = Edit(Repo.Read("board/profiles/assb-sulfide-li-metal.profile"), "alarm = 4250", "alarm = 4350");
        Assert.False(LimitProfile.TryLoad(text, "bad.profile", out var p, out string error));
        Assert.Null(p);
        Assert.Contains("cellOverVoltage.trip", error);
        Assert.Contains("warning <= alarm <= trip", error);
    }

    [Fact]
    public void ProfileWhoseLowerLimitSitsAboveItsUpperIsRefused()
    {
        string text = Edit(Repo.Read("board/profiles/assb-sulfide-li-metal.profile"), "warning = 700\nalarm = 500\ntrip = 300", "warning = 1600\nalarm = 500\ntrip = 300");
        Assert.False(LimitProfile.TryLoad(text, "bad.profile", out _, out string error));
        Assert.Contains("stackPressureLow.warning: must be below stackPressureHigh.warning", error);
    }

    [Fact]
    public void ProfileWithMisspeltKeyIsRefusedAsUnknown()
    {
        string text = Repo.Read("board/profiles/assb-sulfide-li-metal.profile") + "\n[current]\n";
        Assert.False(LimitProfile.TryLoad(text, "bad.profile", out _, out string dup));
        Assert.Contains("section appears twice", dup);
        text = Edit(Repo.Read("board/profiles/assb-sulfide-li-metal.profile"), "idleA = 0.05", "idleA = 0.05\nidleAmps = 0.05");
        Assert.False(LimitProfile.TryLoad(text, "bad.profile", out _, out string error));
        Assert.Contains("current.idleAmps: unknown key", error);
    }

    [Fact]
    public void CellFileOcvIsMonotonicAndInvertible()
    {
        var cell = Repo.AssbCell();
        for (float soc = 0.02f; soc < 1f; soc += 0.07f)
            Assert.Equal(soc, cell.SocFromOcv(cell.OcvMillivoltsAt(soc, 25), 25), 3);
        Assert.True(cell.R0MilliOhmAt(-10) > cell.R0MilliOhmAt(25));
    }

    [Fact]
    public void CellFileWithNonMonotonicOcvIsRefused()
    {
        string text = Edit(Repo.Read("board/cells/assb-lpscl-nmc811-li.cell"), "3554.8, 3581.2", "3581.2, 3554.8");
        var e = Assert.Throws<ConfigException>(() => CellModel.Load(KeyValueDocument.Parse(text, "c.cell")));
        Assert.Contains("ocv.ocvMillivolts0", e.Message);
        Assert.Contains("strictly increasing", e.Message);
    }
}
