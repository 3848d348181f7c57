using System;
using System.IO;
using SolidBms.Core.Config;
using SolidBms.Simulator.Physics;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Simulator.Run;

/// <summary>The three files a run needs (board, limit profile, cell), loaded and cut to the scenario's cell count.</summary>
public sealed class SimulationSetup
{
    public BoardConfig Board { get; init; }
    public LimitProfile Profile { get; init; }
    /// <summary>The cell as the firmware models it.</summary>
    public CellModel FirmwareCell { get; init; }
    /// <summary>The cell as the simulator makes it behave.</summary>
    public SimCellParameters TrueCell { get; init; }

    public static SimulationSetup Load(Scenario s, BoardFiles files)
    {
        var board = LoadConfig("board", files.BoardPath(s.Board), (t, n) => BoardConfig.Load(t, n));
        if (s.Cells > board.CellCount)
            throw new ScenarioException("cells", $"board '{s.Board}' wires {board.CellCount} cells, the scenario asks for {s.Cells}");
        if (s.TickMs != board.TickMs) board.TickMs = s.TickMs;
        board = WithCells(board, s.Cells);
        var profile = LoadConfig("profile", files.ProfilePath(s.Profile ?? board.ProfileName),
            (t, n) => LimitProfile.Load(ProfileOverrides.Apply(t, s.ProfileOverrides), n));
        string cellName = s.CellFile ?? board.CellModelName;
        var trueCell = LoadConfig("cellFile", files.CellPath(cellName), (t, n) => SimCellParameters.Load(t, n));
        var firmwareCell = LoadConfig("cellFile", files.CellPath(cellName), (t, n) => CellModel.Load(KeyValueDocument.Parse(t, n)));
        return new SimulationSetup { Board = board, Profile = profile, FirmwareCell = firmwareCell, TrueCell = trueCell };
    }

    private static T LoadConfig<T>(string key, string path, Func<string, string, T> load)
    {
        if (!File.Exists(path)) throw new ScenarioException(key, $"file not found: {path}");
        try
        {
            return load(File.ReadAllText(path), Path.GetFileName(path));
        }
        catch (ConfigException e)
        {
            throw new ScenarioException(key, e.Message);
        }
    }

    /// <summary>The board's first n cells (a board template wires the most a scenario may ask for).</summary>
    private static BoardConfig WithCells(BoardConfig b, int n)
    {
        if (n == b.CellCount) return b;
        b.CellCount = n;
        b.CellAdcChannels = b.CellAdcChannels[..n];
        b.CellDividerRatios = b.CellDividerRatios[..n];
        b.ThermistorAdcChannels = b.ThermistorAdcChannels[..n];
        if (b.Bq76952 != null)
        {
            b.Bq76952.CellInputs = b.Bq76952.CellInputs[..n];
            if (b.Bq76952.CellThermistors != null) b.Bq76952.CellThermistors = b.Bq76952.CellThermistors[..n];
        }
        if (b.Balancing?.Pins != null) b.Balancing.Pins = b.Balancing.Pins[..n];
        return b;
    }
}
