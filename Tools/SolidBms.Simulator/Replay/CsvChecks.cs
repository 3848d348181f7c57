using System;
using System.Globalization;

namespace SolidBms.Simulator.Replay;

/// <summary>
/// Row checks shared by every reader of a measurement CSV (replay's log, report's and plot's run CSV): a row has as many
/// fields as the header (one more is a decimal comma, which would shift every later column onto the wrong quantity), and
/// a number is plausible for the unit its column's name states. Each returns the reason, or null when the row passes;
/// the caller adds file:line and throws its own exception.
/// </summary>
public static class CsvChecks
{
    public static string FieldCount(int fields, int headerFields) => fields == headerFields ? null
        : $"{fields} fields, the header has {headerFields}"
            + (fields > headerFields ? " (a decimal comma? decimals need a point: a comma splits the number into two fields)" : "");

    /// <summary>
    /// A value outside what its unit allows, by column name: cell voltages (v1..vN, cell_v_min, cell_v_max) in V, 0..10
    /// (millivolts are 1000 times that); temperatures (t1..tN, temp_min_c, temp_max_c) in C, -80..200 (kelvin lands
    /// above); stack pressures (p1..pM, pressure_kpa) in kPa, 0..100000 (pascals land above); SOC (soc_true, soc_est) as a
    /// fraction, -0.5..1.5 (a percentage lands above; an overcharged pack's true SOC passes 1); current_a within
    /// +-10000 A (the scenario format's own bound). Other columns: null.
    /// </summary>
    public static string Implausible(string column, double value) =>
        !Unit(column, out double min, out double max, out string what, out string guess) || (value >= min && value <= max) ? null
            : string.Format(CultureInfo.InvariantCulture, "{0} {1} is not {2} ({3} .. {4}): {5}", column.Trim(), value, what, min, max, guess);

    /// <summary>Whether the column's name states a unit that <see cref="Implausible"/> checks.</summary>
    public static bool HasUnit(string column) => Unit(column, out _, out _, out _, out _);

    private static bool Unit(string column, out double min, out double max, out string what, out string guess)
    {
        string c = column.Trim().ToLowerInvariant();
        (min, max, what, guess) = c switch
        {
            _ when Numbered(c, 'v') || c == "cell_v_min" || c == "cell_v_max" => (0.0, 10.0, "a cell voltage in V", "millivolts?"),
            _ when Numbered(c, 't') || c == "temp_min_c" || c == "temp_max_c" => (-80.0, 200.0, "a temperature in C", "kelvin?"),
            _ when Numbered(c, 'p') || c == "pressure_kpa" => (0.0, 100000.0, "a stack pressure in kPa", "pascals?"),
            "soc_true" or "soc_est" => (-0.5, 1.5, "a state of charge as a fraction", "percent?"),
            "current_a" => (-10000.0, 10000.0, "a current in A", "milliamps?"),
            _ => (0.0, 0.0, null, null),
        };
        return what != null;
    }

    private static bool Numbered(string c, char prefix)
    {
        if (c.Length < 2 || c[0] != prefix) return false;
        for (int i = 1; i < c.Length; i++) if (!char.IsAsciiDigit(c[i])) return false;
        return true;
    }
}
