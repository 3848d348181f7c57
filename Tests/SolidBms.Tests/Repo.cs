using System;
using System.IO;
using SolidBms.Core.Config;
using SolidBms.Simulator;

namespace SolidBms.Tests;

/// <summary>Paths into the checkout, and the board files the tests load.</summary>
public static class Repo
{
    public static readonly string Root = FindRoot();

    public static BoardFiles Files => new(Path.Combine(Root, "board"));

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "SolidBms.sln"))) return d.FullName;
        throw new InvalidOperationException("SolidBms.sln not found above " + AppContext.BaseDirectory);
    }

    public static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    public static LimitProfile AssbProfile() => LimitProfile.Load(Read("board/profiles/assb-sulfide-li-metal.profile"), "assb");

    public static CellModel AssbCell() => CellModel.Load(KeyValueDocument.Parse(Read("board/cells/assb-lpscl-nmc811-li.cell"), "cell"));

    /// <summary>An inline scenario (JSON text), parsed as if it lived in board/scenarios.</summary>
    public static SolidBms.Simulator.Scenarios.Scenario Scenario(string json) =>
        SolidBms.Simulator.Scenarios.ScenarioLoader.Parse(json, Path.Combine(Root, "board/scenarios/inline.json"), Files);

    public static BoardConfig SimBoard() => BoardConfig.Load(Read("board/boards/sim-analog-16.board"), "sim-analog-16.board");
}
