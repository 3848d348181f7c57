using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace SolidBms.CellFit;

// Column names, units and sign conventions of the vendor layouts, from public parsers (no vendor manual was at hand):
// - Arbin MITS Pro CSV: PyProBE's Arbin importer,
//   https://imperialcollegelondon.github.io/PyProBE/api/pyprobe.cyclers.arbin.html
// - Maccor text/CSV exports: ionworksdata's reader (Test (Sec) / Test Time (sec), Amps / Current, Volts / Voltage,
//   State), https://packages.docs.ionworks.com/ionworksdata/source/api/read/maccor/index.html;
//   TRI-AMDD/beep beep/conversion_schemas/maccor_conversion.yaml (Rec#, Cyc#, Test (Sec), Amps, Volts, State,
//   DPt Time; tab separated, one line above the header) and its test export
//   beep/tests/test_files/PreDiag_000229_000229_truncated.034 (Amps negative in State D rows);
//   ImperialCollegeLondon/PyProBE pyprobe/cyclers/maccor.py and tests/sample_data/maccor/sample_data_maccor.csv
//   (comma separated, two lines above the header, Test Time (sec), signed Current in A, charge positive, Temp 1);
//   jepegit/cellpy cellpy/readers/instruments/configurations/maccor_txt_*.py and processors/post_processors.py
//   split_current (mAmps or Current [A] as a magnitude, direction from State/Md: C charge, D discharge, R rest;
//   TestTime as "0d 00:01:00.00"); the maccorcyclingdata docs (TestTime(s), Current(A), Voltage(V), Temp 1).
// - Neware BTSDA record-layer CSV: g-kimbell/fastnda fastnda/btsda.py (Total Time as hh:mm:ss.ms; Current in
//   A/mA/uA and Voltage in V/mV as chosen at export) and tests/test_read.py (BTSDA's current equals fastnda's, which
//   fastnda/nda.py and its README count charge positive); PyProBE pyprobe/cyclers/neware.py (Total Time, T1(*)).

/// <summary>
/// One cycler test read from CSV: time, current (A, + = discharge), terminal voltage and cell temperature per
/// sample. Four column layouts are recognised (names compared without case, spaces, underscores or quotes):
/// <list type="bullet">
/// <item>SolidBms: <c>time_s,current_a,voltage_v,temperature_c</c> (current positive = discharge);</item>
/// <item>Maccor export (tab or comma separated, a few lines of test details above the header; recognised by
/// <c>DPt Time</c>, <c>Cyc#</c> or <c>Rec#</c>): time <c>Test (Sec)</c>, <c>Test Time (sec)</c>, <c>TestTime(s)</c>
/// or <c>TestTime</c> (seconds or <c>0d 00:01:00.00</c>), current <c>Amps</c>, <c>Current</c>, <c>Current(A)</c>,
/// <c>Current [A]</c> or <c>mAmps</c>, voltage <c>Volts</c>, <c>Voltage</c>, <c>Voltage(V)</c> or <c>Voltage [V]</c>,
/// temperature <c>Temp 1</c>. With a <c>State</c> (or <c>Md</c>) column the direction is the state's (C charge,
/// D discharge, R rest: current 0) and the current's magnitude is used, as exports write it either signed or not;
/// without one the current is signed, charge positive, and is negated;</item>
/// <item>Arbin MITS Pro CSV export: <c>Test_Time(s)</c> or <c>Test Time (s)</c>, <c>Current(A)</c>, <c>Voltage(V)</c>,
/// and <c>Aux_Temperature_1(C)</c> / <c>Aux_Temperature(C)</c> / <c>Temperature(C)</c>. Arbin counts charge current
/// as positive, so its current is negated on reading;</item>
/// <item>Neware BTSDA record export: <c>Total Time</c> (hh:mm:ss.fff or seconds), <c>Current(A)</c>, <c>Current(mA)</c>
/// or <c>Current(µA)</c>, <c>Voltage(V)</c> or <c>Voltage(mV)</c>, <c>T1(℃)</c>. Neware counts charge current as
/// positive, so it is negated.</item>
/// </list>
/// Other columns are ignored. Rows that are not numbers, time that does not increase, or too few rows are refused
/// with file:line and the reason. A file without a temperature column is refused unless the caller gives the test's
/// temperature; a file with one and a given temperature is refused too (which of the two holds is not guessed).
/// </summary>
public sealed class CyclerLog
{
    public const int MinRows = 10;
    /// <summary>The header is looked for in this many first lines: Maccor writes the test's name and dates above it.</summary>
    public const int MaxHeaderLine = 40;

    public string Path { get; private init; }
    public string Format { get; private init; }
    public double[] TimeS { get; private init; }
    public double[] CurrentA { get; private init; }
    public double[] VoltageV { get; private init; }
    public double[] TemperatureC { get; private init; }
    public int Count => TimeS.Length;

    /// <summary>The file's test temperature: the mean of the readings.</summary>
    public double MeanTemperatureC { get; private init; }

    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>A column layout: accepted names (normalised) of each quantity and the scale to SI units.</summary>
    private sealed record Layout(
        string Format, string Expected, string[] Markers, string[] Time, (string Name, double Scale)[] Current,
        (string Name, double Scale)[] Voltage, string[] Temperature, string VoltageHint, string TemperatureHint,
        double DischargeSign, bool ClockTime = false, string[] State = null)
    {
        public bool Matches(string[] norm) =>
            (Markers.Length == 0 || Array.Exists(Markers, m => Array.IndexOf(norm, m) >= 0))
            && FirstOf(norm, Time) >= 0 && FirstOf(norm, Current, out _) >= 0;
    }

    // Detection order matters: Maccor's TestTime(s) normalises like Arbin's Test_Time(s), so its markers go first.
    private static readonly Layout[] Layouts =
    {
        new("solidbms", "time_s,current_a,voltage_v,temperature_c", Array.Empty<string>(),
            new[] { "times" }, new[] { ("currenta", 1.0) }, new[] { ("voltagev", 1.0) }, new[] { "temperaturec" },
            "voltage_v", "temperature_c", DischargeSign: 1),
        new("maccor", "Maccor's Test (Sec),Amps,Volts,State,Temp 1,DPt Time", new[] { "dpttime", "cyc#", "rec#" },
            new[] { "test(sec)", "testtime(sec)", "testtime(s)", "testtime" },
            new[] { ("amps", 1.0), ("current", 1.0), ("current(a)", 1.0), ("current[a]", 1.0), ("mamps", 1e-3) },
            new[] { ("volts", 1.0), ("voltage", 1.0), ("voltage(v)", 1.0), ("voltage[v]", 1.0) }, new[] { "temp1" },
            "Volts", "Temp 1", DischargeSign: -1, ClockTime: true, State: new[] { "state", "md" }),
        new("arbin", "Arbin's Test_Time(s),Current(A),Voltage(V),Aux_Temperature_1(C)", Array.Empty<string>(),
            new[] { "testtime(s)" }, new[] { ("current(a)", 1.0) }, new[] { ("voltage(v)", 1.0) },
            new[] { "auxtemperature1(c)", "auxtemperature(c)", "temperature(c)", "temperature(c)1" },
            "Voltage(V)", "Aux_Temperature_1(C)", DischargeSign: -1), // Arbin: charge current positive
        new("neware", "Neware's Total Time,Current(mA),Voltage(V),T1(℃)", Array.Empty<string>(),
            new[] { "totaltime" },
            new[] { ("current(a)", 1.0), ("current(ma)", 1e-3), ("current(µa)", 1e-6), ("current(μa)", 1e-6), ("current(ua)", 1e-6) },
            new[] { ("voltage(v)", 1.0), ("voltage(mv)", 1e-3) }, new[] { "t1(℃)", "t1(°c)", "t1(c)" },
            "Voltage(V)", "T1(℃)", DischargeSign: -1, ClockTime: true), // BTSDA: charge current positive
    };

    public static CyclerLog Read(string path) => ReadWithTemperature(path, null);

    /// <summary>
    /// <see cref="Read(string)"/> with the test's temperature for a file without a temperature column (null: the file
    /// must have one). Not an overload of Read: a second parameter an int converts to makes <c>paths.Select(Read)</c> ambiguous.
    /// </summary>
    public static CyclerLog ReadWithTemperature(string path, double? temperatureC)
    {
        if (!File.Exists(path)) throw new CellFitException($"{path}: file not found");
        try
        {
            using var reader = new StreamReader(path, StrictUtf8);
            return Parse(reader, path, temperatureC);
        }
        catch (DecoderFallbackException)
        {
            // Maccor and BTSDA write ANSI text ("°", "µ" in the headers): not UTF-8, read it as Latin-1.
            using var reader = new StreamReader(path, Encoding.Latin1);
            return Parse(reader, path, temperatureC);
        }
    }

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, true);

    public static CyclerLog Parse(TextReader reader, string path, double? temperatureC = null)
    {
        string name = System.IO.Path.GetFileName(path);
        int line = 0;
        string header;
        char separator = ',';
        string[] cols = null, norm = null;
        Layout layout = null;
        while (layout == null && line < MaxHeaderLine && (header = reader.ReadLine()) != null)
        {
            line++;
            separator = header.Contains('\t') ? '\t' : ',';
            cols = header.Split(separator);
            norm = Array.ConvertAll(cols, Normalise);
            layout = Array.Find(Layouts, l => l.Matches(norm));
        }
        if (line == 0) throw new CellFitException($"{name}: empty file");
        if (layout == null)
        {
            var others = new List<string>();
            for (int i = 1; i < Layouts.Length; i++) others.Add(Layouts[i].Expected);
            throw new CellFitException($"{name}:1: needs columns {Layouts[0].Expected} (or {string.Join("; ", others)})");
        }

        int ti = FirstOf(norm, layout.Time);
        int ci = FirstOf(norm, layout.Current, out double currentScale);
        int vi = FirstOf(norm, layout.Voltage, out double voltageScale);
        int tempi = FirstOf(norm, layout.Temperature);
        int statei = layout.State == null ? -1 : FirstOf(norm, layout.State);
        if (vi < 0) throw new CellFitException($"{name}:{line}: no voltage column ({layout.VoltageHint})");
        if (tempi < 0 && temperatureC == null) throw new CellFitException($"{name}:{line}: no temperature column ({layout.TemperatureHint})");
        if (tempi >= 0 && temperatureC != null)
            throw new CellFitException($"{name}:{line}: the file has a temperature column ({cols[tempi].Trim()}) and a test temperature was given too: use one");

        var t = new List<double>(); var c = new List<double>(); var v = new List<double>(); var temp = new List<double>();
        string row;
        int needed = Math.Max(Math.Max(ti, ci), Math.Max(Math.Max(vi, tempi), statei));
        while ((row = reader.ReadLine()) != null)
        {
            line++;
            if (row.Length == 0) continue;
            string[] f = row.Split(separator);
            if (f.Length <= needed) throw new CellFitException($"{name}:{line}: {f.Length} fields, the header has {cols.Length}");
            double time = layout.ClockTime ? Seconds(f[ti], name, line, cols[ti]) : Number(f[ti], name, line, cols[ti]);
            double current = Number(f[ci], name, line, cols[ci]) * currentScale;
            current = statei >= 0 ? Direction(f[statei], current, name, line) * Math.Abs(current) : current * layout.DischargeSign;
            double volts = Number(f[vi], name, line, cols[vi]) * voltageScale;
            double tc = tempi >= 0 ? Number(f[tempi], name, line, cols[tempi]) : temperatureC.Value;
            if (t.Count > 0 && !(time > t[t.Count - 1]))
                throw new CellFitException($"{name}:{line}: time does not increase ({time.ToString(CultureInfo.InvariantCulture)} s after {t[t.Count - 1].ToString(CultureInfo.InvariantCulture)} s)");
            if (volts <= 0 || volts > 10) throw new CellFitException($"{name}:{line}: voltage {volts.ToString(CultureInfo.InvariantCulture)} V is not a cell voltage (volts expected)");
            t.Add(time); c.Add(current); v.Add(volts); temp.Add(tc);
        }
        if (t.Count < MinRows) throw new CellFitException($"{name}: too few points ({t.Count} rows, at least {MinRows})");
        double mean = 0;
        foreach (var x in temp) mean += x;
        mean /= temp.Count;
        return new CyclerLog
        {
            Path = path, Format = layout.Format, TimeS = t.ToArray(), CurrentA = c.ToArray(), VoltageV = v.ToArray(),
            TemperatureC = temp.ToArray(), MeanTemperatureC = mean,
        };
    }

    /// <summary>Sign of a Maccor row's current from its state: D discharge (+), C charge (-), R rest (0).</summary>
    private static double Direction(string field, double current, string name, int line)
    {
        string state = field.Trim().Trim('"').ToUpperInvariant();
        if (state == "D") return 1;
        if (state == "C") return -1;
        if (state == "R" || current == 0) return 0;
        throw new CellFitException($"{name}:{line}: state '{field.Trim()}' with current flowing: the direction is known only for C, D and R");
    }

    private static int FirstOf(string[] norm, string[] names)
    {
        foreach (var n in names)
        {
            int i = Array.IndexOf(norm, n);
            if (i >= 0) return i;
        }
        return -1;
    }

    private static int FirstOf(string[] norm, (string Name, double Scale)[] names, out double scale)
    {
        foreach (var (n, s) in names)
        {
            int i = Array.IndexOf(norm, n);
            if (i >= 0) { scale = s; return i; }
        }
        scale = 1;
        return -1;
    }

    /// <summary>Lower case without spaces, underscores or quotes: "Test Time (s)" and "Test_Time(s)" compare equal.</summary>
    private static string Normalise(string column)
    {
        var chars = new List<char>(column.Length);
        foreach (char ch in column)
            if (ch != ' ' && ch != '_' && ch != '"' && ch != '\uFEFF') chars.Add(char.ToLowerInvariant(ch));
        return new string(chars.ToArray());
    }

    private static double Number(string field, string name, int line, string column)
    {
        if (!double.TryParse(field.Trim().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || double.IsNaN(x) || double.IsInfinity(x))
            throw new CellFitException($"{name}:{line}: {column.Trim()} '{field.Trim()}' is not a number");
        return x;
    }

    /// <summary>Seconds, or a clock reading "[Nd ]h:mm:ss[.fff]" (Neware's Total Time, Maccor's TestTime): seconds.</summary>
    private static double Seconds(string field, string name, int line, string column)
    {
        string text = field.Trim().Trim('"').Trim();
        if (!text.Contains(':')) return Number(field, name, line, column);
        double days = 0;
        int d = text.IndexOf('d');
        if (d > 0 && double.TryParse(text.AsSpan(0, d), NumberStyles.None, CultureInfo.InvariantCulture, out days)) text = text[(d + 1)..].Trim();
        string[] p = text.Split(':');
        if (p.Length == 3
            && double.TryParse(p[0], NumberStyles.None, CultureInfo.InvariantCulture, out double h)
            && double.TryParse(p[1], NumberStyles.None, CultureInfo.InvariantCulture, out double m) && m < 60
            && double.TryParse(p[2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double s) && s < 60)
            return days * 86400 + h * 3600 + m * 60 + s;
        throw new CellFitException($"{name}:{line}: {column.Trim()} '{field.Trim()}' is not a time (seconds or h:mm:ss.fff)");
    }
}
