using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using SolidBms.CellFit;

namespace SolidBms.Tests;

/// <summary>
/// fit-cell's input: Maccor and Neware exports read to the same samples as the SolidBms columns (units, signs, clock
/// times, lines above the header, ANSI text), unknown layouts and temperature conflicts refused, and the HPPC's start
/// rest: a short flat one accepted, a relaxing or missing one refused with the reason.
/// </summary>
public sealed class CyclerFormatTests : IDisposable
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private readonly string _dir = Directory.CreateTempSubdirectory("cyclerformat").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string P(string name) => Path.Combine(_dir, name);

    private string Template => Path.Combine(Repo.Root, "board/cells/assb-lpscl-nmc811-li.cell");

    /// <summary>A synthetic HPPC (1C discharge and 0.75C charge pulses of a 3 Ah cell at 25 C) in SolidBms columns.</summary>
    private string SolidHppc() => SyntheticCycler.Hppc(new SyntheticCycler { NoiseMv = 0.5 }).Write(P("solid.csv"));

    /// <summary>The rows of a SolidBms-layout file as numbers (time, current + = discharge, volts, C), read here without CyclerLog.</summary>
    private static List<double[]> Rows(string solidPath) =>
        File.ReadAllLines(solidPath).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Take(4).Select(x => double.Parse(x, C)).ToArray()).ToList();

    private static string Clock(double s, bool days)
    {
        var ts = TimeSpan.FromSeconds(s);
        return days ? string.Format(C, "{0}d {1:00}:{2:00}:{3:00.00}", ts.Days, ts.Hours, ts.Minutes, ts.Seconds + ts.Milliseconds / 1000.0)
                    : string.Format(C, "{0}:{1:00}:{2:00.000}", (int)ts.TotalHours, ts.Minutes, ts.Seconds + ts.Milliseconds / 1000.0);
    }

    private static string State(double i) => i > 0 ? "D" : i < 0 ? "C" : "R";

    /// <summary>Writes the SolidBms rows as a Maccor export, in the shapes the public parsers document (see CyclerLog.cs).</summary>
    private string WriteMaccor(string solidPath, string variant, double timeOffsetS)
    {
        var sb = new StringBuilder();
        var rows = Rows(solidPath);
        switch (variant)
        {
            case "beep": // MIMS text export: tab separated, one line above the header, Amps signed (charge +) and State
                sb.Append("Today's Date 09/01/2020  Date of Test:\t12/16/2019\t Filename:\tE:\\PreDiag_000229.034 Procedure: PreDiag.000\tComment/Barcode: 229\n");
                sb.Append("Rec#\tCyc#\tStep\tTest (Sec)\tStep (Sec)\tAmp-hr\tWatt-hr\tAmps\tVolts\tState\tES\tDPt Time\tTemp 1\n");
                for (int k = 0; k < rows.Count; k++)
                    sb.Append(string.Format(C, "{0}\t0\t1\t{1:0.0000}\t0.0000\t0.0\t0.0\t{2:R}\t{3:R}\t{4}\t0\t12/16/2019 14:03:25\t{5:R}\n",
                        k + 1, rows[k][0] + timeOffsetS, -rows[k][1], rows[k][2], State(rows[k][1]), rows[k][3]));
                break;
            case "pyprobe": // CSV export: two lines above the header, signed Current (charge +), no State
                sb.Append("Today's Date ,28-Nov-23\nDate of Test:,23-Nov-23 3:56:08 PM\n");
                sb.Append("Rec,Cycle C,Step,Test Time (sec),Step Time (sec),Capacity,Energy,Current,Voltage,DPT Time,Temp 1\n");
                for (int k = 0; k < rows.Count; k++)
                    sb.Append(string.Format(C, "{0},1,1,{1:0.0000},0,0,0,{2:R},{3:R},23-Nov-23 3:56:11 PM,{4:R}\n",
                        k + 1, rows[k][0] + timeOffsetS, -rows[k][1], rows[k][2], rows[k][3]));
                break;
            case "cellpy": // text export: blank lines above the header, mAmps as a magnitude, State, TestTime as a clock with days
                sb.Append("Today''s Date\t03/28/2022 12:50:27 PM\n\nDate of Test:\t08/23/2021 6:04:18 PM\n\n");
                sb.Append("Rec#\tCyc#\tStep\tTestTime\tStepTime\tmAmp-hr\tmWatt-hr\tmAmps\tVolts\tState\tES\tDPt Time\tTemp 1\n");
                for (int k = 0; k < rows.Count; k++)
                    sb.Append(string.Format(C, "{0}\t0\t1\t  {1}\t  0d 00:00:00.00\t0.0\t0.0\t{2:R}\t{3:R}\t{4}\t1\t08/23/2021 6:04:18 PM\t{5:R}\n",
                        k + 1, Clock(rows[k][0] + timeOffsetS, days: true), Math.Abs(rows[k][1]) * 1000, rows[k][2], State(rows[k][1]), rows[k][3]));
                break;
            default: throw new ArgumentException(variant);
        }
        File.WriteAllText(P("maccor-" + variant + ".txt"), sb.ToString());
        return P("maccor-" + variant + ".txt");
    }

    /// <summary>Writes the SolidBms rows as a Neware BTSDA record export: Total Time as h:mm:ss.fff, charge current positive.</summary>
    private string WriteNeware(string solidPath, string currentUnit, string voltageUnit, string temperatureColumn, Encoding encoding)
    {
        double iScale = currentUnit switch { "A" => 1, "mA" => 1e3, _ => 1e6 }, vScale = voltageUnit == "mV" ? 1e3 : 1;
        var sb = new StringBuilder($"DataPoint,Cycle Index,Step Index,Step Type,Time,Total Time,Current({currentUnit}),Voltage({voltageUnit}),Capacity(mAh),Energy(mWh),Date{(temperatureColumn == null ? "" : "," + temperatureColumn)}\n");
        var rows = Rows(solidPath);
        for (int k = 0; k < rows.Count; k++)
        {
            string type = rows[k][1] > 0 ? "CC DChg" : rows[k][1] < 0 ? "CC Chg" : "Rest";
            sb.Append(string.Format(C, "{0},1,1,{1},00:00:00.000,{2},{3:R},{4:R},0,0,2024-04-24 10:00:00", k + 1, type, Clock(rows[k][0], days: false),
                -rows[k][1] * iScale, rows[k][2] * vScale));
            if (temperatureColumn != null) sb.Append(',').Append(rows[k][3].ToString("R", C));
            sb.Append('\n');
        }
        string path = P($"neware-{currentUnit}-{voltageUnit}.csv");
        File.WriteAllText(path, sb.ToString(), encoding);
        return path;
    }

    private static void AssertSameSamples(CyclerLog expected, CyclerLog actual, double timeOffsetS)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int k = 0; k < expected.Count; k++)
        {
            Assert.True(Math.Abs(actual.TimeS[k] - timeOffsetS - expected.TimeS[k]) < 1e-6, $"time at row {k}: {actual.TimeS[k]} s, expected {expected.TimeS[k] + timeOffsetS} s");
            Assert.True(Math.Abs(actual.CurrentA[k] - expected.CurrentA[k]) < 1e-9, $"current at row {k}: {actual.CurrentA[k]} A, expected {expected.CurrentA[k]} A");
            Assert.True(Math.Abs(actual.VoltageV[k] - expected.VoltageV[k]) < 1e-9, $"voltage at row {k}: {actual.VoltageV[k]} V, expected {expected.VoltageV[k]} V");
            Assert.Equal(expected.TemperatureC[k], actual.TemperatureC[k]);
        }
        // Discharge reads positive: the HPPC's 1C pulses are +3 A, its 0.75C charge pulses -2.25 A.
        Assert.Equal(3, actual.CurrentA.Max(), 9);
        Assert.Equal(-2.25, actual.CurrentA.Min(), 9);
    }

    [Theory]
    [InlineData("beep", 0)]
    [InlineData("pyprobe", 0)]
    [InlineData("cellpy", 86000)] // runs past a day: "1d 00:..."
    public void Maccor_exports_read_as_the_solidbms_columns(string variant, double timeOffsetS)
    {
        string solid = SolidHppc();
        var log = CyclerLog.Read(WriteMaccor(solid, variant, timeOffsetS));
        Assert.Equal("maccor", log.Format);
        AssertSameSamples(CyclerLog.Read(solid), log, timeOffsetS);
    }

    [Theory]
    [InlineData("mA", "V", "T1(℃)", "utf-8")]
    [InlineData("A", "V", "T1(℃)", "utf-8")]
    [InlineData("µA", "mV", "T1(°C)", "latin1")] // ANSI text, as BTSDA writes it
    public void Neware_exports_read_as_the_solidbms_columns(string currentUnit, string voltageUnit, string temperatureColumn, string encoding)
    {
        string solid = SolidHppc();
        var log = CyclerLog.Read(WriteNeware(solid, currentUnit, voltageUnit, temperatureColumn, encoding == "latin1" ? Encoding.Latin1 : new UTF8Encoding(false)));
        Assert.Equal("neware", log.Format);
        AssertSameSamples(CyclerLog.Read(solid), log, 0);
    }

    [Fact]
    public void A_maccor_state_other_than_charge_discharge_or_rest_with_current_is_refused()
    {
        var sb = new StringBuilder("Rec#\tCyc#\tStep\tTest (Sec)\tAmps\tVolts\tState\tDPt Time\tTemp 1\n");
        for (int k = 0; k < 12; k++)
            sb.Append(string.Format(C, "{0}\t0\t1\t{1}\t{2}\t3.9\t{3}\t12/16/2019 14:03:25\t25\n", k + 1, k, k < 3 ? "0.0001" : k < 6 ? "0" : "1.5", k < 3 ? "R" : k < 6 ? "O" : "D"));
        File.WriteAllText(P("states.txt"), sb.ToString());
        var log = CyclerLog.Read(P("states.txt"));
        Assert.Equal(new[] { 0, 0, 0, 0, 0, 0, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5 }, log.CurrentA); // R: rest; O without current: none

        File.WriteAllText(P("other.txt"), sb.ToString().Replace("\t0\t3.9\tO\t", "\t0.5\t3.9\tO\t"));
        var e = Assert.Throws<CellFitException>(() => CyclerLog.Read(P("other.txt")));
        Assert.Contains("other.txt:5: state 'O' with current flowing", e.Message);
    }

    [Fact]
    public void An_unknown_layout_is_refused_with_the_layouts_it_knows()
    {
        // A BTSDA 7 record layer: step time only (Time(h:min:s.ms)), no Total Time to count the test by.
        File.WriteAllText(P("record.csv"), "Record ID,Realtime,Time(h:min:s.ms),Voltage(V),Current(mA),Temperature(C)\n1,2019-01-01 00:00:00,00:00:00.000,3.9,0,25\n");
        var e = Assert.Throws<CellFitException>(() => CyclerLog.Read(P("record.csv")));
        Assert.Equal("record.csv:1: needs columns time_s,current_a,voltage_v,temperature_c (or Maccor's Test (Sec),Amps,Volts,State,Temp 1,DPt Time; "
                     + "Arbin's Test_Time(s),Current(A),Voltage(V),Aux_Temperature_1(C); Neware's Total Time,Current(mA),Voltage(V),T1(℃))", e.Message);
    }

    [Fact]
    public void A_fixed_temperature_fills_a_file_without_one_and_is_refused_beside_the_files_own()
    {
        string solid = SolidHppc();
        string bare = WriteNeware(solid, "mA", "V", null, new UTF8Encoding(false));
        Assert.Contains("no temperature column (T1(℃))", Assert.Throws<CellFitException>(() => CyclerLog.Read(bare)).Message);
        var log = CyclerLog.ReadWithTemperature(bare, 25);
        Assert.All(log.TemperatureC, t => Assert.Equal(25, t));
        Assert.Equal(25, log.MeanTemperatureC);

        string own = WriteNeware(solid, "A", "V", "T1(℃)", new UTF8Encoding(false));
        Assert.Contains("has a temperature column (T1(℃)) and a test temperature was given too", Assert.Throws<CellFitException>(() => CyclerLog.ReadWithTemperature(own, 25)).Message);
    }

    /// <summary>The SolidBms file from <paramref name="fromS"/> on: a log started later than the generator's.</summary>
    private string TrimStart(string solidPath, double fromS, string name)
    {
        var lines = File.ReadAllLines(solidPath);
        File.WriteAllLines(P(name), lines.Take(1).Concat(lines.Skip(1).Where(l => double.Parse(l.Split(',')[0], C) >= fromS)));
        return P(name);
    }

    [Fact]
    public void Fit_cell_accepts_an_hppc_started_5_s_before_the_first_pulse_on_a_flat_rest()
    {
        var c20 = SyntheticCycler.C20(new SyntheticCycler()).Write(P("c20.csv"));
        // The generator rests 1500 s before the first pulse (at 1501 s): keep the last 5 s of it (6 samples, noise 0.5 mV).
        var hppc = TrimStart(SolidHppc(), 1495, "hppc-5s.csv");
        var r = CellFitter.Fit(new[] { c20 }, new[] { hppc }, "shortrest", Template);
        Assert.True(r.Ok, r.RefusalReason);
        Assert.InRange(r.Impedance.Single().R0MilliOhm, 15 * 0.97, 15 * 1.03);
    }

    [Fact]
    public void Fit_cell_refuses_an_hppc_whose_start_rest_still_relaxes_or_is_missing()
    {
        var c20 = SyntheticCycler.C20(new SyntheticCycler()).Write(P("c20.csv"));
        // 60 s at 1C, then 5 s of rest before the pulses: the fast pair relaxes by tens of mV over that rest.
        var afterLoad = new SyntheticCycler().Hold(3, 60, 1).Hold(0, 5, 1);
        for (int p = 0; p < 3; p++) afterLoad.Hold(3, 10, 1).Hold(0, 40, 1).Hold(-2.25, 10, 1).Hold(0, 600, 1);
        var relaxing = TrimStart(afterLoad.Write(P("afterload.csv")), 61, "relaxing.csv");
        var r = CellFitter.Fit(new[] { c20 }, new[] { relaxing }, "relaxing", Template);
        Assert.False(r.Ok);
        Assert.Contains("relaxing.csv: no rest at the start: the voltage still moves", r.RefusalReason);

        string solid = SolidHppc();
        foreach (var (fromS, name) in new[] { (1501.0, "inpulse.csv"), (1500.0, "onesample.csv") }) // no rest; one rested sample
        {
            r = CellFitter.Fit(new[] { c20 }, new[] { TrimStart(solid, fromS, name) }, "norest", Template);
            Assert.False(r.Ok);
            Assert.Equal($"{name}: no rest at the start: the HPPC's starting SOC is read from the rested voltage", r.RefusalReason);
        }
    }
}
