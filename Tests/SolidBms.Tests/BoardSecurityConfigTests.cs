using SolidBms.Core.Config;
using SolidBms.Core.Protocol;

namespace SolidBms.Tests;

/// <summary>The board file's [security] and [modbus] sections (protocol issue).</summary>
public class BoardSecurityConfigTests
{
    private static string Board(string replaceKeyLine) =>
        Repo.Read("board/boards/sim-analog-16.board").Replace("deviceKey = sim-analog-16-bench", replaceKeyLine);

    [Fact]
    public void ShippedBoardsCarryTheKeyAndModbusSettings()
    {
        // The simulation-only board has a real key (tests and README use it); hardware boards the placeholder.
        var b = Repo.SimBoard();
        Assert.Equal("sim-analog-16-bench", b.DeviceKey);
        Assert.Equal(1, b.ModbusAddress);
        Assert.Equal(115200, b.ModbusBaud);
        var d = BoardConfig.Load(Repo.Read("board/boards/devkitc-analog-2.board"), "devkitc");
        Assert.Equal(DeviceAuth.PlaceholderKey, d.DeviceKey);
        Assert.Equal(1, d.ModbusUart);
    }

    [Theory]
    [InlineData("deviceKey = short", "security.deviceKey: must be 12 to 32 characters")]
    [InlineData("deviceKey = elevenchars", "security.deviceKey: must be 12 to 32 characters")] // 8..11 were accepted before issue 11
    [InlineData("deviceKey = 0123456789abcdef0123456789abcdefX", "security.deviceKey: must be 12 to 32 characters")]
    [InlineData("deviceKey = rig-key-with*star", "security.deviceKey: must not contain '*'")] // issue 11 finding 7
    [InlineData("deviceKey = rig-key,with-comma", "security.deviceKey: must not contain '*'")]
    [InlineData("deviceKey = bad\u00e9keyvalue", "security.deviceKey: must be printable ASCII")]
    [InlineData("# no key", "security.deviceKey: is missing")]
    public void BadOrMissingKeyIsRefused(string line, string message)
    {
        var e = Assert.Throws<ConfigException>(() => BoardConfig.Load(Board(line), "b.board"));
        Assert.Contains(message, e.Message);
    }
}
