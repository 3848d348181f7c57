using System;
using System.IO;

namespace SolidBms.Simulator;

/// <summary>
/// Finds the repository's board/ folder (boards, profiles, cells, cycles, scenarios) from the working
/// directory or the program's location, so the CLI works from any folder inside the checkout.
/// </summary>
public sealed class BoardFiles
{
    public BoardFiles(string root) => Root = root;

    public string Root { get; }

    public static BoardFiles Locate(string start = null)
    {
        foreach (var origin in new[] { start, Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            if (origin == null) continue;
            for (var d = new DirectoryInfo(origin); d != null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, "board");
                if (File.Exists(Path.Combine(candidate, "README.md")) && Directory.Exists(Path.Combine(candidate, "profiles")))
                    return new BoardFiles(candidate);
            }
        }
        throw new DirectoryNotFoundException("cannot find the board/ folder: run from inside the SolidBms checkout");
    }

    public string BoardPath(string name) => Path.Combine(Root, "boards", name + ".board");
    public string ProfilePath(string name) => Path.Combine(Root, "profiles", name + ".profile");
    public string CellPath(string name) => Path.Combine(Root, "cells", name + ".cell");
    public string CyclePath(string name) => Path.Combine(Root, "cycles", name + ".csv");
    public string ScenarioPath(string name) => Path.Combine(Root, "scenarios", name + ".json");
}
