using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using SolidBms.Simulator.Hardware;

namespace SolidBms.Simulator.Scenarios;

/// <summary>Parses a scenario file into a <see cref="Scenario"/>; every error names the offending key path.</summary>
public static class ScenarioLoader
{
    public static readonly string[] EventKinds =
    {
        "cell-short", "thermistor-open", "thermistor-short", "sensor-dropout",
        "pressure-step", "pressure-ramp", "ambient-step",
        "current-offset", "ambient-ramp", "loop-stall", "contactor-weld", "disconnect-fail", "link-short", "profile-load", "abuse-arm", "resistance-step",
        "i2c-nack", "i2c-stuck", "i2c-crc", "i2c-dropout", "adc-rail",
    };

    public static readonly string[] I2cDevices = { "bq76952", "ina228", "nau7802", "fma" };

    public static readonly string[] DropoutSensors = { "cell-voltage", "temperature", "current", "pressure" };

    public static Scenario LoadFile(string path, BoardFiles files)
    {
        if (!File.Exists(path)) throw new ScenarioException("", $"scenario file not found: {path}");
        return Parse(File.ReadAllText(path), path, files);
    }

    public static Scenario Parse(string json, string sourcePath, BoardFiles files)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ScenarioException("", $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message.Split('.')[0]}");
        }
        using (doc)
        {
            var root = new StrictJsonObject(doc.RootElement, "");
            string dir = Path.GetDirectoryName(Path.GetFullPath(sourcePath)) ?? ".";
            var scenario = new Scenario
            {
                SourcePath = sourcePath,
                Name = root.String("name", required: true),
                Cells = root.RequiredInt("cells", 1, 64),
                TickMs = root.Int("tickMs", 10, 10000, 100),
                Board = root.String("board", "sim-analog-16"),
                Profile = root.String("profile"),
                CellFile = root.String("cellFile"),
                Cell = ReadCell(root.Object("cell")),
                InitialSoc = root.Number("initialSoc", 0, 1, 0.5),
                EstimatorInitialSoc = root.OptionalNumber("estimatorInitialSoc", 0, 1),
                AmbientC = root.Number("ambientC", -60, 120, 25),
                StackPressureKpa = root.Number("stackPressureKpa", 0, 100000, 1000),
                Seed = root.Int("seed", int.MinValue, int.MaxValue, 1),
                EnableLinesIgnored = root.Bool("enableLinesIgnored", false),
                ChargerFollowsLimit = root.Bool("chargerFollowsLimit", true),
                SensorNoise = ReadNoise(root.Object("sensorNoise")),
                ProfileOverrides = ReadOverrides(root.Object("profileOverrides")),
                Expect = ReadExpect(root.Object("expect")),
            };
            foreach (var s in root.Array("segments", required: true)) scenario.Segments.Add(ReadSegment(s, dir, files));
            if (scenario.Segments.Count == 0) throw new ScenarioException("segments", "needs at least one segment");
            foreach (var e in root.Array("events", required: false)) scenario.Events.Add(ReadEvent(e, scenario, files));
            root.RejectUnknownKeys();
            return scenario;
        }
    }

    private static Dictionary<string, string> ReadOverrides(StrictJsonObject o)
    {
        var d = new Dictionary<string, string>();
        if (o == null) return d;
        foreach (var key in o.Keys())
        {
            var v = o.Raw(key);
            string text = v.ValueKind switch
            {
                JsonValueKind.Number => v.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => throw new ScenarioException(o.Child(key), "must be a number or true/false"),
            };
            if (key.Split('.').Length != 2) throw new ScenarioException(o.Child(key), "must be 'section.key'");
            d[key] = text;
        }
        return d;
    }

    private static Expectation ReadExpect(StrictJsonObject o)
    {
        if (o == null) return null;
        var e = new Expectation
        {
            Fault = o.String("fault"),
            FinalState = o.String("finalState"),
            Latches = o.Bool("latches", true),
            ClearAfterS = o.OptionalNumber("clearAfterS", 0, 1e8),
            StateAfterClear = o.String("stateAfterClear"),
            NoFaults = o.Bool("noFaults", false),
            MaxSocErrorPoints = o.OptionalNumber("maxSocErrorPoints", 0, 100),
            ActuationInhibited = o.Bool("actuationInhibited", false),
            CurrentStopsWithinMs = o.OptionalNumber("currentStopsWithinMs", 0, 1e9),
            MaxCellMillivolts = o.OptionalNumber("maxCellMillivolts", 0, 10000),
        };
        o.RejectUnknownKeys();
        if (e.Fault == null && !e.NoFaults) throw new ScenarioException(o.Path, "needs fault or noFaults");
        return e;
    }

    private static CellOverrides ReadCell(StrictJsonObject o)
    {
        if (o == null) return new CellOverrides();
        var c = new CellOverrides
        {
            CapacityAh = o.OptionalNumber("capacityAh", 0.001, 10000),
            ResistanceScale = o.Number("resistanceScale", 0.01, 100, 1.0),
            CapacitySpread = o.Number("capacitySpread", 0, 0.5, 0.01),
            ResistanceSpread = o.Number("resistanceSpread", 0, 0.5, 0.03),
            SocSpread = o.Number("socSpread", 0, 0.5, 0.005),
            Model = o.String("model", CellModels.Ecm),
        };
        if (System.Array.IndexOf(CellModels.All, c.Model) < 0)
            throw new ScenarioException(o.Child("model"), $"unknown cell model '{c.Model}' (known: {string.Join(", ", CellModels.All)})");
        o.RejectUnknownKeys();
        return c;
    }

    private static SensorNoise ReadNoise(StrictJsonObject o)
    {
        var d = new SensorNoise();
        if (o == null) return d;
        var n = new SensorNoise
        {
            CellMv = o.Number("cellMv", 0, 1000, d.CellMv),
            CurrentA = o.Number("currentA", 0, 1000, d.CurrentA),
            CurrentOffsetA = o.Number("currentOffsetA", -1000, 1000, d.CurrentOffsetA),
            CurrentGainError = o.Number("currentGainError", -0.5, 0.5, d.CurrentGainError),
            TempC = o.Number("tempC", 0, 100, d.TempC),
            PressureKpa = o.Number("pressureKpa", 0, 10000, d.PressureKpa),
        };
        o.RejectUnknownKeys();
        return n;
    }

    private static Segment ReadSegment(StrictJsonObject o, string dir, BoardFiles files)
    {
        double duration = o.RequiredNumber("durationS", double.Epsilon, 1e8);
        int kinds = (o.Has("currentA") ? 1 : 0) + (o.Has("rest") ? 1 : 0) + (o.Has("cycle") ? 1 : 0) + (o.Has("csv") ? 1 : 0);
        if (kinds != 1) throw new ScenarioException(o.Path, "needs exactly one of currentA, rest, cycle, csv");
        double? ambient = o.OptionalNumber("ambientC", -60, 120);
        Segment seg;
        if (o.Has("currentA"))
        {
            seg = new Segment { Kind = SegmentKind.Constant, DurationS = duration, CurrentA = o.RequiredNumber("currentA", -10000, 10000), AmbientC = ambient };
        }
        else if (o.Has("rest"))
        {
            if (!o.Bool("rest", false)) throw new ScenarioException(o.Child("rest"), "must be true (leave it out otherwise)");
            seg = new Segment { Kind = SegmentKind.Rest, DurationS = duration, AmbientC = ambient };
        }
        else if (o.Has("cycle"))
        {
            string name = o.String("cycle");
            double peak = o.Number("peakA", -10000, 10000, 1);
            var table = CurrentTable.Load(files.CyclePath(name), peak, repeats: true, o.Child("cycle"));
            seg = new Segment { Kind = SegmentKind.Cycle, DurationS = duration, Cycle = name, PeakA = peak, Table = table, AmbientC = ambient };
        }
        else
        {
            string rel = o.String("csv");
            string path = Path.IsPathRooted(rel) ? rel : Path.Combine(dir, rel);
            var table = CurrentTable.Load(path, 1.0, repeats: false, o.Child("csv"));
            seg = new Segment { Kind = SegmentKind.Csv, DurationS = duration, CsvPath = path, Table = table, AmbientC = ambient };
        }
        o.RejectUnknownKeys();
        return seg;
    }

    private static ScenarioEvent ReadEvent(StrictJsonObject o, Scenario s, BoardFiles files)
    {
        string kind = o.String("kind", required: true);
        if (System.Array.IndexOf(EventKinds, kind) < 0)
            throw new ScenarioException(o.Child("kind"), $"unknown event kind '{kind}' (known: {string.Join(", ", EventKinds)})");
        double at = o.RequiredNumber("atS", 0, 1e8);
        ScenarioEvent e = kind switch
        {
            "cell-short" => new ScenarioEvent { AtS = at, Kind = kind, Cell = o.RequiredInt("cell", 1, s.Cells), Ohm = o.RequiredNumber("ohm", 1e-4, 1e9) },
            "thermistor-open" or "thermistor-short" => new ScenarioEvent { AtS = at, Kind = kind, Cell = o.RequiredInt("cell", 1, s.Cells), DurationS = o.OptionalNumber("durationS", 0, 1e8) },
            "sensor-dropout" => ReadDropout(o, at, s),
            "pressure-step" => new ScenarioEvent { AtS = at, Kind = kind, DeltaKpa = o.RequiredNumber("deltaKpa", -100000, 100000), Stack = o.OptionalInt("stack", 1, 64) },
            "pressure-ramp" => new ScenarioEvent { AtS = at, Kind = kind, KpaPerS = o.RequiredNumber("kpaPerS", -100000, 100000), DurationS = o.RequiredNumber("durationS", 0, 1e8), Stack = o.OptionalInt("stack", 1, 64) },
            "ambient-step" => new ScenarioEvent { AtS = at, Kind = kind, AmbientC = o.RequiredNumber("ambientC", -60, 150) },
            "loop-stall" => new ScenarioEvent { AtS = at, Kind = kind, DurationS = o.RequiredNumber("durationS", 0, 1e6) },
            "contactor-weld" or "disconnect-fail" or "link-short" => new ScenarioEvent { AtS = at, Kind = kind },
            "ambient-ramp" => new ScenarioEvent { AtS = at, Kind = kind, CPerMin = o.RequiredNumber("cPerMin", -100, 100), DurationS = o.RequiredNumber("durationS", 0, 1e6) },
            "current-offset" => new ScenarioEvent { AtS = at, Kind = kind, OffsetA = o.RequiredNumber("offsetA", -100, 100) },
            "resistance-step" => new ScenarioEvent { AtS = at, Kind = kind, Cell = o.RequiredInt("cell", 1, s.Cells), Scale = o.RequiredNumber("scale", 0.1, 100) },
            "profile-load" => ReadProfileLoad(o, at, files),
            "abuse-arm" => new ScenarioEvent { AtS = at, Kind = kind, Test = o.String("test", required: true), Inhibit = o.StringList("inhibit"), DurationS = o.RequiredNumber("expiryS", 0.001, 14400) },
            "i2c-nack" or "i2c-stuck" or "i2c-crc" or "i2c-dropout" => ReadI2cFault(o, at, kind),
            "adc-rail" => ReadAdcRail(o, at),
            _ => throw new ScenarioException(o.Child("kind"), "unhandled"),
        };
        o.RejectUnknownKeys();
        return e;
    }

    /// <summary>
    /// A profile the firmware is asked to load: a missing file is the scenario's mistake (refused here); a file the
    /// firmware refuses is what the event tests, so its contents are left for the firmware to judge when it fires.
    /// </summary>
    private static ScenarioEvent ReadProfileLoad(StrictJsonObject o, double at, BoardFiles files)
    {
        string profile = o.String("profile", required: true);
        string path = files.ProfilePath(profile);
        if (!File.Exists(path)) throw new ScenarioException(o.Child("profile"), $"file not found: {path}");
        return new ScenarioEvent { AtS = at, Kind = "profile-load", Profile = profile };
    }

    private static ScenarioEvent ReadI2cFault(StrictJsonObject o, double at, string kind)
    {
        string device = o.String("device", required: true);
        if (System.Array.IndexOf(I2cDevices, device) < 0)
            throw new ScenarioException(o.Child("device"), $"unknown I2C device '{device}' (known: {string.Join(", ", I2cDevices)})");
        double p = kind == "i2c-nack" ? o.Number("probability", 0, 1, 1) : 1;
        return new ScenarioEvent { AtS = at, Kind = kind, Device = device, Probability = p, DurationS = o.OptionalNumber("durationS", 0, 1e8) };
    }

    private static ScenarioEvent ReadAdcRail(StrictJsonObject o, double at)
    {
        string sensor = o.String("sensor", required: true);
        if (System.Array.IndexOf(DropoutSensors, sensor) < 0)
            throw new ScenarioException(o.Child("sensor"), $"unknown sensor '{sensor}' (known: {string.Join(", ", DropoutSensors)})");
        string rail = o.String("rail", required: true);
        if (rail != "high" && rail != "low") throw new ScenarioException(o.Child("rail"), "must be high or low");
        return new ScenarioEvent { AtS = at, Kind = "adc-rail", Sensor = sensor, Index = o.Int("index", 1, 64, 1), Rail = rail, DurationS = o.OptionalNumber("durationS", 0, 1e8) };
    }

    private static ScenarioEvent ReadDropout(StrictJsonObject o, double at, Scenario s)
    {
        string sensor = o.String("sensor", required: true);
        if (System.Array.IndexOf(DropoutSensors, sensor) < 0)
            throw new ScenarioException(o.Child("sensor"), $"unknown sensor '{sensor}' (known: {string.Join(", ", DropoutSensors)})");
        return new ScenarioEvent { AtS = at, Kind = "sensor-dropout", Sensor = sensor, Index = o.Int("index", 1, 64, 1), DurationS = o.OptionalNumber("durationS", 0, 1e8) };
    }
}
