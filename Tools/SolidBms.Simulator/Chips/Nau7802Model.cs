using System;
using SolidBms.Core.Hal;
using SolidBms.Simulator.Hardware;

namespace SolidBms.Simulator.Chips;

/// <summary>
/// Register-level NAU7802 with a load cell on channel 1: PU_CTRL power-up sequence (PUR follows PUD), PGA gain
/// and rate from CTRL1/CTRL2, an internal offset calibration (CALS) that removes the chip's own offset, and a
/// conversion every 1/rate s while CS is set. CR is set by each conversion and cleared when ADCO is read
/// (this model's reading of the datasheet's "cycle ready"). The result is ratiometric:
/// counts = (bridge output / excitation) x gain x 2^23 + uncalibrated offset, clipped to 24 bits.
/// </summary>
public sealed class Nau7802Model : SimI2cChip
{
    /// <summary>Offset of the uncalibrated chip, counts (removed by the internal calibration).</summary>
    public const int UncalibratedOffsetCounts = 4000;

    private readonly byte[] _reg = new byte[0x20];
    private int _offsetCounts;
    private long _nextConversionMs;
    private int _result;

    public Nau7802Model(int address, double ratedNewton, double sensitivityMvPerV, SimClock clock, Random rng) : base("nau7802", address, clock, rng)
    {
        RatedNewton = ratedNewton;
        SensitivityMvPerV = sensitivityMvPerV;
        OnPowerOnReset();
    }

    public override bool HasCrc => false;
    public double RatedNewton { get; }
    public double SensitivityMvPerV { get; }
    /// <summary>True force on the load cell, N.</summary>
    public double ForceNewton { get; set; }
    public double ForceNoiseNewton { get; set; }
    /// <summary>The load cell's own zero (fixture weight, bridge imbalance), counts: what tare removes.</summary>
    public int ZeroOffsetCounts { get; set; }
    public long Conversions { get; private set; }
    public int Gain => 1 << (_reg[0x01] & 7);
    public int SamplesPerSecond => ((_reg[0x02] >> 4) & 7) switch { 0 => 10, 1 => 20, 2 => 40, 3 => 80, _ => 320 };

    private bool Converting => (_reg[0x00] & 0x1E) == 0x1E; // PUD, PUA, PUR and CS

    protected override void OnPowerOnReset()
    {
        Array.Clear(_reg);
        _offsetCounts = UncalibratedOffsetCounts;
        _result = 0;
        _nextConversionMs = long.MaxValue;
    }

    protected override void SkipConversions(long nowMs)
    {
        if (Converting) _nextConversionMs = nowMs + 1000 / SamplesPerSecond;
    }

    protected override void RunConversions(long nowMs)
    {
        if (!Converting || nowMs < _nextConversionMs) return;
        int periodMs = 1000 / SamplesPerSecond;
        while (_nextConversionMs <= nowMs) { _nextConversionMs += periodMs; Conversions++; }
        double ratio = (ForceNewton + Noise(ForceNoiseNewton)) / RatedNewton * SensitivityMvPerV / 1000.0;
        double counts = ratio * Gain * 8388608.0 + _offsetCounts + ZeroOffsetCounts;
        _result = (int)Math.Clamp(Math.Round(counts), -8388608, 8388607);
        _reg[0x12] = (byte)((_result >> 16) & 0xFF);
        _reg[0x13] = (byte)((_result >> 8) & 0xFF);
        _reg[0x14] = (byte)(_result & 0xFF);
        _reg[0x00] |= 0x20; // CR
    }

    protected override I2cStatus OnWrite(byte[] data, int offset, int count)
    {
        if (count < 1) return I2cStatus.BusError;
        int reg = data[offset];
        for (int i = 1; i < count; i++, reg++)
        {
            if (reg >= _reg.Length) break;
            WriteRegister(reg, data[offset + i]);
        }
        return I2cStatus.Ok;
    }

    private void WriteRegister(int reg, byte value)
    {
        switch (reg)
        {
            case 0x00:
                if ((value & 0x01) != 0) { OnPowerOnReset(); _reg[0x00] = 0x01; return; } // RR: registers to defaults
                byte pu = (byte)(value & 0xD7);                  // PUR (bit 3) and CR (bit 5) are read-only
                if ((value & 0x02) != 0) pu |= 0x08;             // PUR follows PUD (power-up is instant here)
                if ((pu & 0x10) != 0 && (_reg[0x00] & 0x10) == 0) _nextConversionMs = Clock.NowMilliseconds + 1000 / Math.Max(10, SamplesPerSecond);
                _reg[0x00] = (byte)(pu | (_reg[0x00] & 0x20));
                return;
            case 0x02:
                _reg[0x02] = (byte)(value & ~0x0C);
                if ((value & 0x04) != 0)
                {
                    // CALS with CALMOD = 0: internal offset calibration; finishes at once in this model.
                    if ((value & 0x03) == 0 && (_reg[0x00] & 0x06) == 0x06) _offsetCounts = 0;
                    else _reg[0x02] |= 0x08; // CAL_ERR: analog not powered or unsupported mode
                }
                return;
            default:
                _reg[reg] = value;
                return;
        }
    }

    protected override I2cStatus OnRead(byte register, byte[] buffer, int offset, int count)
    {
        for (int i = 0; i < count; i++)
        {
            int r = register + i;
            buffer[offset + i] = r < _reg.Length ? _reg[r] : (byte)0;
            if (r == 0x12) _reg[0x00] &= 0xDF; // reading ADCO clears CR
        }
        return I2cStatus.Ok;
    }
}
