using System;
using System.IO;

namespace SolidBms.Cli;

/// <summary>The CLI's verbs, callable in-process (tests) as well as from Main.</summary>
public static class CliApp
{
    public const string Usage = """
usage: solidbms <verb> [options]
  sim --scenario FILE|NAME [--csv OUT] [--every N] [--quiet] [--flash-image OUT] [--capture OUT]
      [--speed N] [--telemetry PATH] [--modbus PATH]
      run a scenario (JSON, see docs/scenario-format.md) against the firmware; NAME looks in board/scenarios.
      --speed paces it to N x real time; --telemetry/--modbus serve the line protocol / Modbus RTU on ptys
  sim --scenario FILE|NAME --mqtt mqtt://HOST[:PORT] [--rig NAME] [--rigs N [--seconds S]] [other sim options]
      publishes the rig's telemetry on the broker (docs/mqtt.md; rig 'sim' by default, paced to real time);
      --rigs N runs N rigs NAME-01.. in one process for load tests, for S wall seconds (default: the scenario's length)
  bridge --port DEV --rig NAME [--port DEV --rig NAME ...] --mqtt mqtt://HOST[:PORT] [--baud B]
      each rig's telemetry from its serial port to the broker, with Home Assistant discovery (docs/mqtt.md); Ctrl-C stops
  report RUN.csv --out DIR | report --db DB --rig NAME [--from T] [--to T] --out DIR
      PNG plots (overview, fault timeline) and a markdown summary of a sim or log CSV, or of a rig in the fleet database
  eventlog IMAGE [--csv OUT] [--block-size N]
      decode an event-log flash image (e.g. from sim --flash-image) to CSV; a truncated one up to the cut
  eventlog --db DB --rig NAME [--from T] [--to T] [--csv OUT]   a rig's stored MQTT events, same columns
  monitor --port DEV [--frames N]          live table of the telemetry (docs/protocol.md)
  log --port DEV --csv OUT [--frames N] [--seconds S]   telemetry to CSV (the columns of sim --csv)
  plot CSV --png OUT [--width W] [--height H]           voltages, temperatures, pressure, current, SOC, state
  plot --db DB --rig NAME [--from T] [--to T] --png OUT  the same from the fleet database (T: ISO 8601 or unix s)
  send --port DEV 'COMMAND' [--timeout-ms T]            one command, prints the response (exit 1 on ERR)
  bench faults [--markdown]
      run every board/scenarios/fault-*.json: qualification, detection and time-to-safe per fault class
  bench soc [--scenario FILE|NAME] [--seeds N]
      SOC / R0 / capacity estimator benchmark over board/scenarios/soc-*.json (see docs/estimation.md);
      --seeds N: also each scenario with N seeds, and the spread of its scored errors
  bench real [--data DIR] [--cell-out FILE] [--trace-dir DIR]
      SOC on measured data of a real cell (A123 LFP, scripts/real-data.sh prepares it): fit-cell, then replays scored on
      what the fit never saw, beside the coulomb count (see docs/estimation.md)
  bench balance [--scenario FILE|NAME]
      cell balancing, SOC-based vs voltage-based decisions side by side (default balance-16s-24h; docs/balancing.md)
  bench sunspec [--ticks N]
      cost of serving the SunSpec chain per request (fewest requests) and its time on the wire (docs/benchmarks.md)
  characterise --out DIR [--temperatures 25,10]
      the simulator's reference cell (single-particle physics) through C/20 and HPPC tests: cycler CSVs for fit-cell
  fit-cell --ocv C20.csv [--ocv ...] [--hppc HPPC.csv ...] [--dynamic DRIVE.csv ...] --out FILE.cell [--name NAME] [--template CELL]
      a cell file from cycler logs (C/20 charge+discharge, HPPC; one temperature per file), with its fit quality
  bench fleet [--rigs 100] [--rate-hz 10] [--duration-s 600] [--db sqlite|postgres://...] [--kill-collector-at S]
      [--restart-broker-at S] [--bridge [--central-down-at S] [--central-down-s 30]]
      N simulated rigs through private Mosquitto brokers into collect: lost, duplicated, lag, inserts/s (docs/fleet.md)
  collect --mqtt mqtt://HOST[:PORT] --db FILE.sqlite|postgres://... [--client-id ID] [--seconds S]
      store every rig's MQTT telemetry (QoS 1, persistent session; docs/fleet.md) until Ctrl-C / SIGTERM
  replay LOG.csv --cell FILE [--board B] [--profile P] --csv OUT [--every N] [--pressure-kpa K] [--temperature-c T]
      recorded time_s,current_a,v1..vN[,t1..tN][,p1..pM] through the firmware's loop (no simulated physics);
      K: the stack pressure assumed for a log without p columns, T: the cell temperature for one without t columns
exit codes: 0 done, 2 bad input (scenario, options), 1 internal error
""";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            stdout.Write(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        try
        {
            switch (args[0])
            {
                case "sim":
                    return SimCommand.Run(new CliArgs(args, 1, new[] { "quiet" }), stdout, stderr);
                case "eventlog":
                    return EventLogCommand.Run(new CliArgs(args, 1, System.Array.Empty<string>()), stdout, stderr);
                case "bench" when args.Length > 1 && args[1] == "faults":
                    return BenchFaultsCommand.Run(new CliArgs(args, 2, new[] { "markdown" }), stdout, stderr);
                case "monitor":
                    return MonitorCommand.Run(new CliArgs(args, 1, Array.Empty<string>()), stdout, stderr);
                case "log":
                    return LogCommand.Run(new CliArgs(args, 1, Array.Empty<string>()), stdout, stderr);
                case "plot":
                    return PlotCommand.Run(new CliArgs(args, 1, Array.Empty<string>()), stdout, stderr);
                case "report":
                    return ReportCommand.Run(new CliArgs(args, 1, Array.Empty<string>()), stdout, stderr);
                case "bridge":
                    return BridgeCommand.Run(new CliArgs(args, 1, Array.Empty<string>()), stdout, stderr);
                case "send":
                    return SendCommand.Run(new CliArgs(args, 1, Array.Empty<string>()), stdout, stderr);
                case "bench" when args.Length > 1 && args[1] == "sunspec":
                    return BenchSunSpecCommand.Run(new CliArgs(args, 2, Array.Empty<string>()), stdout, stderr);
                case "bench" when args.Length > 1 && args[1] == "balance":
                    return BenchBalanceCommand.Run(new CliArgs(args, 2, Array.Empty<string>()), stdout, stderr);
                case "characterise":
                    return CharacteriseCommand.Run(new CliArgs(args, 1, Array.Empty<string>()), stdout, stderr);
                case "bench" when args.Length > 1 && args[1] == "real":
                    return BenchRealCommand.Run(new CliArgs(args, 2, System.Array.Empty<string>()), stdout, stderr);
                case "bench" when args.Length > 1 && args[1] == "soc":
                    return BenchSocCommand.Run(new CliArgs(args, 2, System.Array.Empty<string>()), stdout, stderr);
                case "replay":
                    return ReplayCommand.Run(new CliArgs(args, 1, Array.Empty<string>()), stdout, stderr);
                case "bench" when args.Length > 1 && args[1] == "fleet":
                    return BenchFleetCommand.Run(new CliArgs(args, 2, new[] { "bridge" }), stdout, stderr);
                case "collect":
                    return CollectCommand.Run(new CliArgs(args, 1, Array.Empty<string>()), stdout, stderr);
                case "fit-cell":
                    return FitCellCommand.Run(new CliArgs(args, 1, Array.Empty<string>()), stdout, stderr);
                default:
                    stderr.WriteLine($"error: unknown verb '{args[0]}'");
                    stderr.Write(Usage);
                    return 2;
            }
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (EndOfStreamException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 3;
        }
        catch (DirectoryNotFoundException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A path the user gave that could not be read or written: one line, never a stack trace.
            stderr.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
