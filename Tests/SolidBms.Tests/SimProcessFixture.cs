using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace SolidBms.Tests;

/// <summary>
/// `solidbms sim --speed N --modbus [--telemetry] [--csv]` as a child process on pseudo-terminals, for the tests that
/// talk to it with real tools. Bounded: start-up waits at most 30 s, and Dispose stops the process
/// (SIGTERM, then kill) and deletes its directory, links included, whatever happened.
/// </summary>
public class SimProcessFixture : IDisposable
{
    [DllImport("libc", SetLastError = true)] private static extern int kill(int pid, int sig);

    private readonly Process _sim;

    public SimProcessFixture() : this("""{ "name": "e2e-rest", "cells": 16, "segments": [ { "durationS": 600, "rest": true } ] }""", 1, telemetry: true) { }

    /// <summary>A run of the test's own (a class fixture has one public constructor, the one above).</summary>
    public static SimProcessFixture Start(string scenarioJson, double speed, bool csv = false, string boardName = null, string boardText = null) =>
        new(scenarioJson, speed, false, csv, boardName, boardText);

    /// <param name="scenarioJson">The scenario, written to the run's directory.</param>
    /// <param name="speed">Times real time (below 1: slower, so a client's requests land on known ticks).</param>
    /// <param name="telemetry">Also serve the line protocol (<see cref="Telemetry"/>).</param>
    /// <param name="csv">Write the run CSV to <see cref="Csv"/>.</param>
    /// <param name="boardName">With <paramref name="boardText"/>: a board file of the test's own, served from a board/ folder
    /// in the run's directory (the repository's profiles and cells beside it), where the simulator then runs.</param>
    protected SimProcessFixture(string scenarioJson, double speed, bool telemetry = false, bool csv = false, string boardName = null, string boardText = null)
    {
        Dir = Path.Combine(Path.GetTempPath(), "solidbms-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Dir);
        string scenario = Path.Combine(Dir, "scenario.json");
        File.WriteAllText(scenario, scenarioJson);
        Telemetry = telemetry ? Path.Combine(Dir, "telemetry") : null;
        Modbus = Path.Combine(Dir, "modbus");
        Csv = csv ? Path.Combine(Dir, "run.csv") : null;
        string workDir = Repo.Root; // the simulator finds board/ from here
        if (boardText != null)
        {
            workDir = Dir;
            string board = Path.Combine(Dir, "board");
            Directory.CreateDirectory(Path.Combine(board, "boards"));
            File.WriteAllText(Path.Combine(board, "README.md"), "test boards\n");
            foreach (var sub in new[] { "profiles", "cells" })
            {
                Directory.CreateDirectory(Path.Combine(board, sub));
                foreach (var f in Directory.GetFiles(Path.Combine(Repo.Root, "board", sub))) File.Copy(f, Path.Combine(board, sub, Path.GetFileName(f)));
            }
            File.WriteAllText(Path.Combine(board, "boards", boardName + ".board"), boardText);
        }
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var args = new List<string> { Path.Combine(AppContext.BaseDirectory, "solidbms.dll"), "sim", "--scenario", scenario,
            "--speed", speed.ToString(CultureInfo.InvariantCulture), "--modbus", Modbus, "--quiet" };
        if (Telemetry != null) args.AddRange(new[] { "--telemetry", Telemetry });
        if (Csv != null) args.AddRange(new[] { "--csv", Csv });
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.WorkingDirectory = workDir;
        _sim = Process.Start(psi)!;
        _sim.OutputDataReceived += (_, e) => { if (e.Data != null) lock (Output) Output.AppendLine(e.Data); };
        _sim.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (Output) Output.AppendLine(e.Data); };
        _sim.BeginOutputReadLine();
        _sim.BeginErrorReadLine();
        var sw = Stopwatch.StartNew();
        while (!((Telemetry == null || File.Exists(Telemetry)) && File.Exists(Modbus)))
        {
            if (_sim.HasExited || sw.Elapsed.TotalSeconds > 30)
            {
                Dispose();
                throw new InvalidOperationException("sim did not open its ports: " + Output);
            }
            Thread.Sleep(50);
        }
        Thread.Sleep(300); // a few ticks, so that the first measurement exists
    }

    public string Dir { get; }
    public string Telemetry { get; }
    public string Modbus { get; }

    /// <summary>The run CSV (null without).</summary>
    public string Csv { get; }
    public System.Text.StringBuilder Output { get; } = new();

    public void Dispose()
    {
        try
        {
            if (!_sim.HasExited)
            {
                kill(_sim.Id, 15); // SIGTERM: the simulator removes its links and exits
                if (!_sim.WaitForExit(5000)) _sim.Kill(entireProcessTree: true);
                _sim.WaitForExit(5000);
            }
        }
        finally
        {
            _sim.Dispose();
            try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
        }
    }
}
