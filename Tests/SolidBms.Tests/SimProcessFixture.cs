using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace SolidBms.Tests;

/// <summary>
/// `solidbms sim --speed 1 --telemetry --modbus` as a child process on pseudo-terminals, for the tests that
/// talk to it with real tools. Bounded: start-up waits at most 30 s, and Dispose stops the process
/// (SIGTERM, then kill) and deletes its directory, links included, whatever happened.
/// </summary>
public sealed class SimProcessFixture : IDisposable
{
    [DllImport("libc", SetLastError = true)] private static extern int kill(int pid, int sig);

    private readonly Process _sim;

    public SimProcessFixture()
    {
        Dir = Path.Combine(Path.GetTempPath(), "solidbms-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Dir);
        string scenario = Path.Combine(Dir, "rest.json");
        File.WriteAllText(scenario, """{ "name": "e2e-rest", "cells": 16, "segments": [ { "durationS": 600, "rest": true } ] }""");
        Telemetry = Path.Combine(Dir, "telemetry");
        Modbus = Path.Combine(Dir, "modbus");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "solidbms.dll"), "sim", "--scenario", scenario, "--speed", "1",
                     "--telemetry", Telemetry, "--modbus", Modbus, "--quiet" })
            psi.ArgumentList.Add(a);
        psi.WorkingDirectory = Repo.Root; // the simulator finds board/ from here
        _sim = Process.Start(psi)!;
        _sim.OutputDataReceived += (_, e) => { if (e.Data != null) lock (Output) Output.AppendLine(e.Data); };
        _sim.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (Output) Output.AppendLine(e.Data); };
        _sim.BeginOutputReadLine();
        _sim.BeginErrorReadLine();
        var sw = Stopwatch.StartNew();
        while (!(File.Exists(Telemetry) && File.Exists(Modbus)))
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
