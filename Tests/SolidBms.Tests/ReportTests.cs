using System.IO;
using System.Linq;
using SolidBms.Cli;

namespace SolidBms.Tests;

/// <summary>`report` turns a run CSV into plots and a summary whose numbers come from the run.</summary>
public class ReportTests
{
    [Fact]
    public void ReportOfAFaultRunListsTheTripAndRendersBothPlots()
    {
        string dir = Path.Combine(Path.GetTempPath(), "solidbms-report-" + System.Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string csv = Path.Combine(dir, "run.csv"), outDir = Path.Combine(dir, "report");
            var o = new StringWriter();
            var e = new StringWriter();
            Assert.Equal(0, CliApp.Run(new[] { "sim", "--scenario", "fault-discharge-overcurrent", "--quiet", "--csv", csv }, o, e));
            Assert.Equal(0, CliApp.Run(new[] { "report", csv, "--out", outDir }, o, e));
            string md = File.ReadAllText(Path.Combine(outDir, "report.md"));
            Assert.Contains("final state **safe**", md);
            Assert.Contains("| dischargeOverCurrent:trip | 10.6 |", md); // demand at 10 s, seen at 10.1 s, 0.5 s qualification
            Assert.Contains("up to 3.50 A discharge", md);
            Assert.Contains("Out: 0.001 Ah", md); // 3.5 A for the 0.6 s before the contactor opened
            foreach (var png in new[] { "overview.png", "faults.png" })
            {
                var bytes = File.ReadAllBytes(Path.Combine(outDir, png));
                Assert.True(bytes.Length > 10_000, png + " is too small to hold a plot");
                Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes.Take(4).ToArray());
            }
            Assert.Equal(2, CliApp.Run(new[] { "report", Path.Combine(dir, "none.csv"), "--out", outDir }, o, e));

            // Energy: 1 A for an hour from a 4-cell pack: 1.000 Ah out, and Wh = Ah x the mean pack voltage (4 x ~3.8 V).
            string scenario = Path.Combine(dir, "cc.json");
            File.WriteAllText(scenario, """{ "name": "cc", "cells": 4, "initialSoc": 0.8, "segments": [ { "durationS": 3600.1, "currentA": 1.0 } ] }""");
            Assert.Equal(0, CliApp.Run(new[] { "sim", "--scenario", scenario, "--quiet", "--csv", csv }, o, e));
            Assert.Equal(0, CliApp.Run(new[] { "report", csv, "--out", outDir }, o, e));
            var m = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(outDir, "report.md")), @"Out: ([0-9.]+) Ah, ([0-9.]+) Wh");
            Assert.Equal("1.000", m.Groups[1].Value);
            double wh = double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(wh, 4 * 3.70, 4 * 3.95);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
