using System;
using SolidBms.Drivers.Ntc;

namespace SolidBms.Tests;

/// <summary>
/// The Murata NCP15XH103F03RC table against the part's published constants: R25 = 10 kOhm, B25/50 = 3380 K,
/// B25/85 = 3435 K (Murata NCP series data; both B values are what any table for this part must reproduce).
/// </summary>
public class NtcPartTableTests
{
    private static double B(double r1, double t1C, double r2, double t2C) =>
        Math.Log(r1 / r2) / (1 / (t1C + 273.15) - 1 / (t2C + 273.15));

    [Fact]
    public void TableReproducesThePublishedBConstants()
    {
        var t = NtcParts.Ncp15xh103();
        Assert.Equal(10000, t.Ohm(25), 0);
        // By hand from the table rows: ln(10.000 / 4.161) / (1/298.15 - 1/323.15) = 0.87684 / 2.5948e-4 = 3379 K.
        Assert.InRange(B(t.Ohm(25), 25, t.Ohm(50), 50), 3370, 3390);
        // ln(10.000 / 1.452) / (1/298.15 - 1/358.15) = 1.92962 / 5.6190e-4 = 3434 K.
        Assert.InRange(B(t.Ohm(25), 25, t.Ohm(85), 85), 3425, 3445);
    }

    [Theory]
    [InlineData(12081, 20.0)]  // table row
    [InlineData(4161, 50.0)]   // table row
    [InlineData(27219, 0.0)]   // table row
    public void TableRowsInvertToTheirTemperatures(double ohm, double expectedC)
    {
        Assert.Equal(expectedC, NtcParts.Ncp15xh103().TemperatureC((float)ohm), 1);
    }
}
