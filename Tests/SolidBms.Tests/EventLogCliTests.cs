using System.IO;
using SolidBms.Cli;

namespace SolidBms.Tests;

/// <summary>The host decodes the rig's flash image: sim writes it, eventlog turns it into CSV.</summary>
public class EventLogCliTests
{
    [Fact]
    public void SimFlashImageDecodesToCsvWithTheTrip()
    {
        string dir = Path.Combine(Path.GetTempPath(), "solidbms-evlog-" + System.Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string image = Path.Combine(dir, "flash.bin"), csv = Path.Combine(dir, "events.csv"), capture = Path.Combine(dir, "capture.csv");
            var o = new StringWriter();
            var e = new StringWriter();
            Assert.Equal(0, CliApp.Run(new[] { "sim", "--scenario", "fault-thermistor-short", "--quiet", "--flash-image", image, "--capture", capture }, o, e));
            Assert.Equal(0, CliApp.Run(new[] { "eventlog", image, "--csv", csv }, o, e));
            var lines = File.ReadAllLines(csv);
            Assert.StartsWith("seq,time_s,event", lines[0]);
            Assert.Contains(",reset,", lines[1]);
            Assert.Contains(lines, l => l.Contains(",trip,") && l.Contains("sensorTemperature") && l.Contains("5.600")); // 5.1 s + 0.5 s
            var cap = File.ReadAllLines(capture);
            Assert.Contains(cap, l => l.StartsWith("5.600,0.000,"));
            Assert.Equal(2, CliApp.Run(new[] { "eventlog", Path.Combine(dir, "missing.bin") }, o, e));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
