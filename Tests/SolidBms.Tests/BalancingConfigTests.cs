using SolidBms.Core.Config;

namespace SolidBms.Tests;

/// <summary>The [balancing] sections of board and profile: loaded from the shipped files, and refused with the key when wrong.</summary>
public class BalancingConfigTests
{
    private static string Edit(string text, string from, string to)
    {
        Assert.Contains(from, text);
        return text.Replace(from, to);
    }

    private static string Bq => Repo.Read("board/boards/bq76952-16s.board");
    private static string Analog => Repo.Read("board/boards/sim-analog-16.board");
    private static string Profile => Repo.Read("board/profiles/assb-sulfide-li-metal.profile");

    [Fact]
    public void ShippedBoardsAndProfilesCarryTheirBalancingSettings()
    {
        var bq = BoardConfig.Load(Bq, "bq.board").Balancing;
        Assert.True(bq.OnChip);
        Assert.False(bq.AdjacentAllowed);
        Assert.Equal(80f, bq.BleedResistorOhm);
        Assert.Equal(4, bq.MaxCells);
        Assert.Null(bq.Pins);
        var analog = BoardConfig.Load(Analog, "a.board").Balancing;
        Assert.False(analog.OnChip);
        Assert.Equal(16, analog.Pins.Length);
        Assert.Equal(0.05f, analog.TapResistanceOhm);
        Assert.Null(BoardConfig.Load(Repo.Read("board/boards/devkitc-analog-2.board"), "d.board").Balancing); // no bleed hardware
        var p = Repo.AssbProfile().Balancing;
        Assert.True(p.Enabled && p.SocBased);
        Assert.Equal(100f, p.DischargeSocFloorPercent);
    }

    [Fact]
    public void ChipBoardCannotAllowNeighboursOrOutlastTheChipsInterval()
    {
        var e = Assert.Throws<ConfigException>(() => BoardConfig.Load(Edit(Bq, "maxCells = 4", "maxCells = 4\nadjacentAllowed = true"), "bq.board"));
        Assert.Contains("balancing.adjacentAllowed", e.Message);
        e = Assert.Throws<ConfigException>(() => BoardConfig.Load(Edit(Bq, "periodMs = 5000", "periodMs = 25000"), "bq.board"));
        Assert.Contains("balancing.periodMs", e.Message);
        e = Assert.Throws<ConfigException>(() => BoardConfig.Load(Edit(Bq, "maxCells = 4", "maxCells = 17"), "bq.board"));
        Assert.Contains("balancing.maxCells", e.Message);
    }

    [Fact]
    public void BleedPinsMustBeDistinctFromEachOtherAndFromTheOutputs()
    {
        var e = Assert.Throws<ConfigException>(() => BoardConfig.Load(Edit(Analog, "pins = 4, 5,", "pins = 4, 4,"), "a.board"));
        Assert.Contains("listed twice", e.Message);
        e = Assert.Throws<ConfigException>(() => BoardConfig.Load(Edit(Analog, "pins = 4, 5,", "pins = 25, 5,"), "a.board"));
        Assert.Contains("outputs.mainContactorPin", e.Message);
        e = Assert.Throws<ConfigException>(() => BoardConfig.Load(Edit(Analog, "pins = 4, 5,", "pins = 5,"), "a.board"));
        Assert.Contains("balancing.pins", e.Message); // one pin per cell
    }

    [Fact]
    public void ProfileThresholdsAreValidatedOnLoad()
    {
        string bad = Edit(Profile, "stopSocDeltaPercent = 0.2", "stopSocDeltaPercent = 0.6");
        Assert.False(LimitProfile.TryLoad(bad, "p", out _, out string error));
        Assert.Contains("balancing.stopSocDeltaPercent", error);
        bad = Edit(Profile, "stopTemperatureC = 45", "stopTemperatureC = 50"); // at the charge-temperature warning
        Assert.False(LimitProfile.TryLoad(bad, "p", out _, out error));
        Assert.Contains("balancing.stopTemperatureC", error);
        bad = Edit(Profile, "dischargeSocFloorPercent = 100", "dischargeSocFloorPercent = 120");
        Assert.False(LimitProfile.TryLoad(bad, "p", out _, out error));
        Assert.Contains("balancing.dischargeSocFloorPercent", error);
        Assert.False(LimitProfile.TryLoad(Profile.Replace("startMillivolts = 5", ""), "p", out _, out error));
        Assert.Contains("balancing.startMillivolts: is missing", error);
    }

    [Fact]
    public void ProfileRewrittenFromItsFieldsKeepsItsBalancingPolicy()
    {
        // A setting written over a port is applied by rewriting the whole profile from its fields: balancing must survive.
        var p = Repo.AssbProfile();
        var w = new SolidBms.Core.Util.AsciiWriter(16384);
        new SolidBms.Core.Protocol.ProfileFields().WriteText(p, null, null, w);
        var back = LimitProfile.Load(System.Text.Encoding.ASCII.GetString(w.Buffer, 0, w.Length), "rewritten");
        Assert.True(back.Balancing.Enabled);
        Assert.Equal(p.Balancing.SocBased, back.Balancing.SocBased);
        Assert.Equal(p.Balancing.StartSocDeltaPercent, back.Balancing.StartSocDeltaPercent);
        Assert.Equal(p.Balancing.VoltageRestS, back.Balancing.VoltageRestS);
        Assert.Equal(p.Balancing.StopTemperatureC, back.Balancing.StopTemperatureC);
        Assert.Equal(p.Balancing.ConvergedSigmaPercent, back.Balancing.ConvergedSigmaPercent);
    }
}
