using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace SolidBms.CellFit;

/// <summary>
/// One cycler test read from CSV: time, current (A, + = discharge), terminal voltage and cell temperature per
/// sample. Two column sets are recognised:
/// <list type="bullet">
/// <item>SolidBms: <c>time_s,current_a,voltage_v,temperature_c</c> (current positive = discharge);</item>
/// <item>Arbin MITS Pro CSV export: <c>Test_Time(s)</c> or <c>Test Time (s)</c>, <c>Current(A)</c>, <c>Voltage(V)</c>,
/// and <c>Aux_Temperature_1(C)</c> / <c>Aux_Temperature(C)</c> / <c>Temperature(C)</c>. Arbin counts charge current
/// as positive, so its current is negated on reading.</item>
/// </list>
/// Other columns are ignored. Rows that are not numbers, time that does not increase, or too few rows are refused
/// with file:line and the reason.
/// </summary>
public sealed class CyclerLog
{
    public const int MinRows = 10;

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

    public static CyclerLog Read(string path)
    {
        if (!File.Exists(path)) throw new CellFitException($"{path}: file not found");
        using var reader = new StreamReader(path);
        return Parse(reader, path);
    }

    public static CyclerLog Parse(TextReader reader, string path)
    {
        string name = System.IO.Path.GetFileName(path);
        string header = reader.ReadLine();
        if (header == null) throw new CellFitException($"{name}: empty file");
        string[] cols = header.Split(',');
        var norm = new string[cols.Length];
        for (int i = 0; i < cols.Length; i++) norm[i] = Normalise(cols[i]);

        string format;
        int ti, ci, vi, tempi;
        double currentSign;
        if ((ti = Array.IndexOf(norm, "times")) >= 0 && (ci = Array.IndexOf(norm, "currenta")) >= 0)
        {
            format = "solidbms";
            vi = Array.IndexOf(norm, "voltagev");
            tempi = Array.IndexOf(norm, "temperaturec");
            currentSign = 1.0;
        }
        else if ((ti = Array.IndexOf(norm, "testtime(s)")) >= 0 && (ci = Array.IndexOf(norm, "current(a)")) >= 0)
        {
            format = "arbin";
            vi = Array.IndexOf(norm, "voltage(v)");
            tempi = FirstOf(norm, "auxtemperature1(c)", "auxtemperature(c)", "temperature(c)", "temperature(c)1");
            currentSign = -1.0; // Arbin: charge current positive
        }
        else throw new CellFitException($"{name}:1: needs columns time_s,current_a,voltage_v,temperature_c (or Arbin's Test_Time(s),Current(A),Voltage(V),Aux_Temperature_1(C))");
        if (vi < 0) throw new CellFitException($"{name}:1: no voltage column ({(format == "arbin" ? "Voltage(V)" : "voltage_v")})");
        if (tempi < 0) throw new CellFitException($"{name}:1: no temperature column ({(format == "arbin" ? "Aux_Temperature_1(C)" : "temperature_c")})");

        var t = new List<double>(); var c = new List<double>(); var v = new List<double>(); var temp = new List<double>();
        int line = 1;
        string row;
        int needed = Math.Max(Math.Max(ti, ci), Math.Max(vi, tempi));
        while ((row = reader.ReadLine()) != null)
        {
            line++;
            if (row.Length == 0) continue;
            string[] f = row.Split(',');
            if (f.Length <= needed) throw new CellFitException($"{name}:{line}: {f.Length} fields, the header has {cols.Length}");
            double time = Number(f[ti], name, line, cols[ti]);
            double current = Number(f[ci], name, line, cols[ci]) * currentSign;
            double volts = Number(f[vi], name, line, cols[vi]);
            double tc = Number(f[tempi], name, line, cols[tempi]);
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
            Path = path, Format = format, TimeS = t.ToArray(), CurrentA = c.ToArray(), VoltageV = v.ToArray(),
            TemperatureC = temp.ToArray(), MeanTemperatureC = mean,
        };
    }

    private static int FirstOf(string[] norm, params string[] names)
    {
        foreach (var n in names)
        {
            int i = Array.IndexOf(norm, n);
            if (i >= 0) return i;
        }
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
}
