using System;
using System.Globalization;
using System.IO;

namespace SolidBms.Simulator.Physics.ReferenceCell;

/// <summary>
/// The reference cell on a simulated cycler in a temperature chamber, run the way a lab characterises a cell,
/// writing what a cycler logs: <c>time_s,current_a,voltage_v,temperature_c</c> (current positive = discharge).
/// The cell is held at the chamber temperature (C/20 and 10 s pulses make little heat) at the fixture's reference
/// pressure. Simulated at 0.1 s; logged at 10 Hz around pulses and at 1 Hz elsewhere, as cyclers are set up for HPPC.
/// </summary>
public sealed class ReferenceCellLab
{
    public const double StepS = 0.1, CutoffLowV = 3.0, CutoffHighV = 4.2, PulseGuardHighV = 4.35;

    private readonly SpmCell _cell;
    private readonly TextWriter _out;
    private readonly double _pressureKpa;
    private double _t, _lastLoggedS = double.NegativeInfinity;
    private double _current;

    private ReferenceCellLab(SpmCellParameters p, double temperatureC, double initialSoc, TextWriter output)
    {
        _cell = new SpmCell(p, 1.0, initialSoc, temperatureC);
        _pressureKpa = p.ReferenceKpa;
        _out = output;
        _out.WriteLine("time_s,current_a,voltage_v,temperature_c");
        Log(true);
    }

    public double CapacityAh => _cell.CapacityAh;

    /// <summary>
    /// Low-rate OCV test from full (SOC 1, rested): 30 min rest, C/20 discharge to 3.0 V, 1 h rest, C/20 charge to
    /// 4.20 V, 1 h rest.
    /// </summary>
    public static void RunOcvTest(SpmCellParameters p, double temperatureC, TextWriter output)
    {
        var lab = new ReferenceCellLab(p, temperatureC, 1.0, output);
        double c20 = lab.CapacityAh / 20;
        lab.Rest(1800);
        lab.Constant(c20, 40 * 3600, v => v <= CutoffLowV, fine: false);
        lab.Rest(3600);
        lab.Constant(-c20, 40 * 3600, v => v >= CutoffHighV, fine: false);
        lab.Rest(3600);
    }

    /// <summary>
    /// HPPC from full (SOC 1, rested): 10 min rest; then at SOC 1.0, 0.9 .. 0.1: 1C discharge 10 s, 40 s rest,
    /// 0.75C charge 10 s, 40 s rest, 0.5 A discharge 10 s, 40 s rest, 0.5 A charge 10 s, 40 s rest (two amplitudes,
    /// so a current-dependent resistance shows), each SOC step but the last followed by C/3 for 10 % of capacity and
    /// a 1 h rest. Pulses stop at the
    /// voltage limits, as a cycler's safety limits would stop them.
    /// </summary>
    public static void RunHppcTest(SpmCellParameters p, double temperatureC, TextWriter output)
    {
        var lab = new ReferenceCellLab(p, temperatureC, 1.0, output);
        double c = lab.CapacityAh;
        lab.Rest(600);
        for (int step = 0; step < 10; step++)
        {
            lab.Pulse(c);
            lab.Pulse(-0.75 * c);
            lab.Pulse(0.5);
            lab.Pulse(-0.5);
            if (step == 9) break; // the last pulses at SOC 0.1: below it lies the knee, outside the working range
            lab.Constant(c / 3, 0.1 * 3600 * 3, v => v <= CutoffLowV, fine: false);
            lab.Rest(3600);
        }
    }

    private void Pulse(double currentA)
    {
        Constant(currentA, 10, v => v <= CutoffLowV || v >= PulseGuardHighV, fine: true);
        Rest(40, fine: true);
    }

    private void Rest(double seconds, bool fine = false) => Constant(0, seconds, _ => false, fine);

    private void Constant(double currentA, double seconds, Func<double, bool> stop, bool fine)
    {
        _current = currentA;
        double end = _t + seconds - 1e-9;
        while (_t < end)
        {
            _cell.Step(currentA, StepS, _pressureKpa);
            _t += StepS;
            double v = _cell.TerminalMillivolts / 1000.0;
            bool stopNow = stop(v);
            Log(fine || stopNow || _t >= end);
            if (stopNow) break;
        }
        _current = 0;
    }

    private void Log(bool force)
    {
        if (!force && _t - _lastLoggedS < 1.0 - 1e-9) return;
        if (_t == _lastLoggedS) return;
        _lastLoggedS = _t;
        var c = CultureInfo.InvariantCulture;
        _out.WriteLine(string.Format(c, "{0:0.0},{1:0.00000},{2:0.00000},{3:0.00}", _t, _current, _cell.TerminalMillivolts / 1000.0, _cell.TemperatureC));
    }
}
