using System;
using System.Collections.Generic;
using SolidBms.Core.Config;
using SolidBms.Drivers.Bq76952;
using SolidBms.Simulator.Hardware;
using SolidBms.Simulator.Physics;

namespace SolidBms.Simulator.Chips;

/// <summary>
/// The I2C half of a simulated rig: the chip models a board file names, on one bus, fed from the pack's true
/// state every tick. The firmware reaches them only through its own drivers, register by register.
/// </summary>
public sealed class SimI2cRig
{
    private readonly BoardConfig _board;
    private readonly int[] _pinIndex;

    public SimI2cRig(BoardConfig board, SensorNoise noise, Random rng, SimClock clock)
    {
        _board = board;
        Noise = noise;
        if (board.Bq76952 != null)
        {
            Bq = new Bq76952Model(board.Bq76952.Address, board.Bq76952.Crc, clock, new Random(rng.Next()));
            Bus.Attach(Bq);
            var pins = board.Bq76952.ThermistorPins ?? Array.Empty<string>();
            _pinIndex = new int[pins.Length];
            for (int p = 0; p < pins.Length; p++) _pinIndex[p] = (Bq76952Monitor.PinCommand(pins[p]) - 0x68) / 2;
            if (board.ThermistorSource == SensorSource.Bq76952) foreach (int p in _pinIndex) Bq.CellTemperaturePin[p] = true;
        }
        if (board.Ina228 != null)
        {
            Ina = new Ina228Model(board.Ina228.Address, board.Ina228.ShuntMilliOhm / 1000.0, clock, new Random(rng.Next()));
            Bus.Attach(Ina);
        }
        if (board.Nau7802 != null)
        {
            Nau = new Nau7802Model(board.Nau7802.Address, board.Nau7802.LoadCellRatedNewton, board.Nau7802.SensitivityMvPerV, clock, new Random(rng.Next()));
            Bus.Attach(Nau);
        }
        if (board.Fma != null)
        {
            Fma = new FmaModel(board.Fma.Address, board.Fma.RatedNewton, board.Fma.MinPercent, board.Fma.MaxPercent, clock, new Random(rng.Next()));
            Bus.Attach(Fma);
        }
    }

    public SimI2cBus Bus { get; } = new();
    public FmaModel Fma { get; }
    public SensorNoise Noise { get; set; }
    public Bq76952Model Bq { get; }
    public Ina228Model Ina { get; }
    public Nau7802Model Nau { get; }

    /// <summary>Die temperature rise of the BQ76952 per watt bled through its switches, K/W (engineering estimate for the 48-pin TQFP on the EVM).</summary>
    public double ChipKelvinPerWatt { get; set; } = 40;

    /// <summary>
    /// Cells the chip bleeds (pack cell order, from its active VC inputs); sets the die temperature from the bleed power
    /// that crosses its switches (about half: the rest heats the external input resistors).
    /// </summary>
    public ulong ChipBleedMask(PackModel pack, double bleedResistorOhm)
    {
        if (Bq == null) return 0;
        int[] inputs = _board.Bq76952.CellInputs;
        ulong mask = 0;
        double watts = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            if ((Bq.ActiveCells & (1 << (inputs[i] - 1))) == 0) continue;
            mask |= 1UL << i;
            double v = pack.Cells[i].TerminalMillivolts / 1000.0;
            watts += 0.5 * v * v / bleedResistorOhm;
        }
        Bq.PinTemperatureC[0] = pack.AmbientC + ChipKelvinPerWatt * watts;
        return mask;
    }

    public IEnumerable<SimI2cChip> Chips
    {
        get
        {
            if (Bq != null) yield return Bq;
            if (Ina != null) yield return Ina;
            if (Nau != null) yield return Nau;
            if (Fma != null) yield return Fma;
        }
    }

    /// <summary>
    /// Runs each chip's conversions due by now, as the chips do on their own while the firmware is busy elsewhere:
    /// called by the runner once the clock has moved to the coming tick, so the firmware's reads in that tick find the
    /// results ready (a conversion costs the simulator, not the firmware's measured tick). These are the conversions, with
    /// the same inputs and noise, that the chip's first transaction of the tick would run. A chip that is dropped out or
    /// refuses transactions at random is left to convert at its transactions, as before: a dropped-out chip converts only
    /// once it answers again, and a NACK's coin comes from the generator the conversion noise comes from, so converting
    /// first would shift the draws. A chip the firmware does not read in a tick (a stalled firmware) converts all the same,
    /// as the real part does.
    /// </summary>
    public void ConvertAhead(long nowMs)
    {
        ConvertAhead(Bq, nowMs);
        ConvertAhead(Ina, nowMs);
        ConvertAhead(Nau, nowMs);
        ConvertAhead(Fma, nowMs);
    }

    private static void ConvertAhead(SimI2cChip chip, long nowMs)
    {
        if (chip != null && !chip.Dropout && !(chip.NackProbability > 0)) chip.Convert(nowMs);
    }

    /// <summary>The chip a scenario event names ("bq76952", "ina228", "nau7802"), or null.</summary>
    public SimI2cChip Find(string name)
    {
        foreach (var c in Chips) if (c.Name == name) return c;
        return null;
    }

    /// <summary>Presents the pack's true state to the chips; measuredA already carries the sensor's gain and offset error.</summary>
    public void UpdateInputs(PackModel pack, double measuredA, ThermistorFault[] thermistorFaults)
    {
        var b = _board;
        if (Bq != null)
        {
            Bq.CellNoiseMv = Noise.CellMv;
            Bq.CurrentNoiseA = Noise.CurrentA;
            Bq.TempNoiseC = Noise.TempC;
            Array.Clear(Bq.InputMillivolts);
            int[] inputs = b.Bq76952.CellInputs;
            for (int i = 0; i < b.CellCount; i++) Bq.InputMillivolts[inputs[i] - 1] = pack.Cells[i].TerminalMillivolts;
            if (b.CurrentSource == SensorSource.Bq76952) Bq.CurrentA = measuredA * b.Bq76952.CurrentSign * -1;
            if (b.ThermistorSource == SensorSource.Bq76952)
            {
                int[] map = b.Bq76952.CellThermistors;
                // Each pin sits on the first cell mapped to it; an open/short on any of its cells faults the pin.
                for (int p = 0; p < _pinIndex.Length; p++) { Bq.PinFault[_pinIndex[p]] = ThermistorFault.None; Bq.PinTemperatureC[_pinIndex[p]] = double.NaN; }
                for (int i = 0; i < b.CellCount; i++)
                {
                    int pin = _pinIndex[map[i]];
                    if (double.IsNaN(Bq.PinTemperatureC[pin])) Bq.PinTemperatureC[pin] = pack.Cells[i].TemperatureC;
                    if (thermistorFaults[i] != ThermistorFault.None) Bq.PinFault[pin] = thermistorFaults[i];
                }
                for (int p = 0; p < _pinIndex.Length; p++) if (double.IsNaN(Bq.PinTemperatureC[_pinIndex[p]])) Bq.PinTemperatureC[_pinIndex[p]] = pack.AmbientC;
            }
        }
        if (Ina != null)
        {
            Ina.CurrentNoiseA = Noise.CurrentA;
            Ina.CurrentA = measuredA * b.Ina228.CurrentSign;
            double stackMv = 0;
            foreach (var c in pack.Cells) stackMv += c.TerminalMillivolts;
            Ina.BusMillivolts = stackMv;
        }
        if (Nau != null)
        {
            double newton = pack.Stacks[0].PressureKpa * b.PressedAreaCm2 / 10.0;
            // The model's load cell has the zero and span error the board's calibration says it has, so the
            // calibrated reading is the true force.
            Nau.ZeroOffsetCounts = b.Nau7802.TareCounts;
            Nau.ForceNewton = newton / b.Nau7802.SpanFactor;
            Nau.ForceNoiseNewton = Noise.PressureKpa * b.PressedAreaCm2 / 10.0;
        }
        if (Fma != null)
        {
            Fma.ForceNewton = pack.Stacks[0].PressureKpa * b.PressedAreaCm2 / 10.0;
            Fma.ForceNoiseNewton = Noise.PressureKpa * b.PressedAreaCm2 / 10.0;
        }
    }
}
