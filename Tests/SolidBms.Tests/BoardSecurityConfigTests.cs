using SolidBms.Core.Config;

namespace SolidBms.Tests;

/// <summary>The board file's [security] and [modbus] sections (protocol issue).</summary>
public class BoardSecurityConfigTests
{
    private static string Board(string replaceKeyLine) =>
        Repo.Read("board/boards/sim-analog-16.board").Replace("deviceKey = change-me-solidbms", replaceKeyLine);

    [Fact]
    public void ShippedBoardsCarryTheKeyAndModbusSettings()
    {
        var b = Repo.SimBoard();
        Assert.Equal("change-me-solidbms", b.DeviceKey);
        Assert.Equal(1, b.ModbusAddress);
        Assert.Equal(115200, b.ModbusBaud);
        var d = BoardConfig.Load(Repo.Read("board/boards/devkitc-analog-2.board"), "devkitc");
        Assert.Equal(b.DeviceKey, d.DeviceKey);
        Assert.Equal(1, d.ModbusUart);
    }

    [Theory]
    [InlineData("deviceKey = short", "security.deviceKey: must be 8 to 32 characters")]
    [InlineData("deviceKey = 0123456789abcdef0123456789abcdefX", "security.deviceKey: must be 8 to 32 characters")]
    [InlineData("deviceKey = bad\u00e9keyvalue", "security.deviceKey: must be printable ASCII")]
    [InlineData("# no key", "security.deviceKey: is missing")]
    public void BadOrMissingKeyIsRefused(string line, string message)
    {
        var e = Assert.Throws<ConfigException>(() => BoardConfig.Load(Board(line), "b.board"));
        Assert.Contains(message, e.Message);
    }
}
