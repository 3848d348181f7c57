using System.IO;
using SolidBms.Cli;

namespace SolidBms.Tests;

/// <summary>bridge and sim's MQTT options: bad arguments get one clear line and exit 2, before anything is opened or published.</summary>
public class MqttCliBadInputTests
{
    private static (int Exit, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int exit = CliApp.Run(args, o, e);
        return (exit, e.ToString());
    }

    [Theory]
    [InlineData("bridge needs --port DEV --rig NAME", "bridge", "--mqtt", "mqtt://localhost")]
    [InlineData("each --port needs its --rig, in the same order: 2 port(s), 1 rig name(s)", "bridge", "--port", "/dev/null", "--port", "/dev/zero", "--rig", "a", "--mqtt", "mqtt://h")]
    [InlineData("bridge needs --mqtt", "bridge", "--port", "/dev/null", "--rig", "a")]
    [InlineData("--mqtt must be mqtt://HOST[:PORT], not 'localhost:1883'", "bridge", "--port", "/dev/null", "--rig", "a", "--mqtt", "localhost:1883")]
    [InlineData("rig name 'a/b' is not allowed", "bridge", "--port", "/dev/null", "--rig", "a/b", "--mqtt", "mqtt://h")]
    [InlineData("--rig a given twice", "bridge", "--port", "/dev/null", "--rig", "a", "--port", "/dev/zero", "--rig", "a", "--mqtt", "mqtt://h")]
    [InlineData("--port /dev/null given twice", "bridge", "--port", "/dev/null", "--rig", "a", "--port", "/dev/null", "--rig", "b", "--mqtt", "mqtt://h")]
    [InlineData("cannot open /nonexistent/tty", "bridge", "--port", "/nonexistent/tty", "--rig", "a", "--mqtt", "mqtt://h")]
    [InlineData("unknown option --qos", "bridge", "--port", "/dev/null", "--rig", "a", "--mqtt", "mqtt://h", "--qos", "2")]
    [InlineData("--rig and --rigs publish on a broker: add --mqtt", "sim", "--scenario", "soc-dst-25c", "--rigs", "3")]
    [InlineData("--rigs runs its rigs without ports or files: --csv is for a single rig", "sim", "--scenario", "soc-dst-25c", "--rigs", "3", "--mqtt", "mqtt://h", "--csv", "x.csv")]
    [InlineData("--seconds goes with --rigs", "sim", "--scenario", "soc-dst-25c", "--mqtt", "mqtt://h", "--seconds", "3")]
    [InlineData("--rate-hz goes with --rigs", "sim", "--scenario", "soc-dst-25c", "--mqtt", "mqtt://h", "--rate-hz", "10")]
    [InlineData("--rate-hz must be a whole number from 1 to 100", "sim", "--scenario", "soc-dst-25c", "--rigs", "2", "--mqtt", "mqtt://h", "--rate-hz", "0")]
    [InlineData("rig name 'a b' is not allowed", "sim", "--scenario", "soc-dst-25c", "--mqtt", "mqtt://h", "--rig", "a b")]
    [InlineData("--rigs must be a whole number from 1 to 1000", "sim", "--scenario", "soc-dst-25c", "--mqtt", "mqtt://h", "--rigs", "0")]
    public void RefusedWithAClearError(string message, params string[] args)
    {
        var (exit, err) = Run(args);
        Assert.Equal(2, exit);
        Assert.Contains(message, err);
    }
}
