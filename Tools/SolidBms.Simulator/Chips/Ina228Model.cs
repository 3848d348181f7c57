using System;
using SolidBms.Core.Hal;
using SolidBms.Simulator.Hardware;

namespace SolidBms.Simulator.Chips;

/// <summary>
/// Register-level INA228 (big-endian registers): converts on the schedule ADC_CONFIG sets (sum of the enabled
/// conversion times x averaging), CURRENT = Vshunt x 13107.2e6 / SHUNT_CAL (x4 with ADCRANGE = 1) as a 20-bit
/// result in bits 23:4, CHARGE accumulates current x time in CURRENT_LSB units (40-bit), DIAG_ALRT.CNVRF is set
/// by each conversion and cleared by reading DIAG_ALRT. The shunt voltage clips at the range's full scale.
/// </summary>
public sealed class Ina228Model : SimI2cChip
{
    private static readonly int[] ConversionMicros = { 50, 84, 150, 280, 540, 1052, 2074, 4120 };
    private static readonly int[] Averages = { 1, 4, 16, 64, 128, 256, 512, 1024 };

    private int _config, _adcConfig, _shuntCal, _diag;
    private int _currentRaw, _vbusRaw, _dieRaw;
    private long _chargeRaw;
    private double _chargeFraction;
    private double _nextConversionMs, _lastConversionMs;

    public Ina228Model(int address, double shuntOhm, SimClock clock, Random rng) : base("ina228", address, clock, rng)
    {
        ShuntOhm = shuntOhm;
        OnPowerOnReset();
    }

    public override bool HasCrc => false;
    public double ShuntOhm { get; }
    /// <summary>True pack current, A, positive into IN+ (the board's currentSign maps it to discharge).</summary>
    public double CurrentA { get; set; }
    public double CurrentNoiseA { get; set; }
    public double BusMillivolts { get; set; }
    public double DieTemperatureC { get; set; } = 30;
    public int ShuntCalRegister => _shuntCal;
    public long Conversions { get; private set; }

    public double ConversionPeriodMs
    {
        get
        {
            int mode = (_adcConfig >> 12) & 0xF;
            if ((mode & 0x8) == 0) return double.PositiveInfinity; // triggered/shutdown modes: this model does not convert
            double us = 0;
            if ((mode & 1) != 0) us += ConversionMicros[(_adcConfig >> 9) & 7];
            if ((mode & 2) != 0) us += ConversionMicros[(_adcConfig >> 6) & 7];
            if ((mode & 4) != 0) us += ConversionMicros[(_adcConfig >> 3) & 7];
            return Math.Max(0.05, us * Averages[_adcConfig & 7] / 1000.0);
        }
    }

    protected override void OnPowerOnReset()
    {
        _config = 0;
        _adcConfig = 0xFB68; // datasheet reset value: continuous, 1052 us, 1 sample
        _shuntCal = 0x1000;  // reset value 4096: not the board's value
        _diag = 0x0001;      // MEMSTAT
        _currentRaw = _vbusRaw = 0;
        _chargeRaw = 0;
        _chargeFraction = 0;
        _lastConversionMs = Clock.NowMilliseconds;
        _nextConversionMs = _lastConversionMs + ConversionPeriodMs;
    }

    protected override void SkipConversions(long nowMs)
    {
        _nextConversionMs = nowMs + ConversionPeriodMs;
        _lastConversionMs = nowMs;
    }

    protected override void RunConversions(long nowMs)
    {
        double period = ConversionPeriodMs;
        if (double.IsInfinity(period) || nowMs < _nextConversionMs) return;
        int n = 0;
        while (_nextConversionMs <= nowMs) { _nextConversionMs += period; n++; }
        Conversions += n;
        bool lowRange = (_config & 0x10) != 0;
        double fullScaleV = lowRange ? 0.04096 : 0.16384;
        double amps = CurrentA + Noise(CurrentNoiseA);
        double vshunt = Math.Clamp(amps * ShuntOhm, -fullScaleV, fullScaleV);
        double raw = _shuntCal == 0 ? 0 : vshunt * 13107.2e6 * (lowRange ? 4 : 1) / _shuntCal;
        _currentRaw = (int)Math.Clamp(Math.Round(raw), -524288, 524287);
        double elapsedS = (nowMs - _lastConversionMs) / 1000.0;
        _lastConversionMs = nowMs;
        double charge = _currentRaw * elapsedS + _chargeFraction; // CURRENT_LSB x seconds = coulombs in CURRENT_LSB units
        long whole = (long)Math.Truncate(charge);
        _chargeFraction = charge - whole;
        _chargeRaw += whole;
        _vbusRaw = (int)Math.Clamp(Math.Round(BusMillivolts / 1000.0 / 195.3125e-6), 0, 524287);
        _dieRaw = (int)Math.Round(DieTemperatureC / 7.8125e-3);
        _diag |= 0x0002; // CNVRF
    }

    protected override I2cStatus OnWrite(byte[] data, int offset, int count)
    {
        if (count < 1) return I2cStatus.BusError;
        if (count < 3) return I2cStatus.Ok; // pointer-only write
        int reg = data[offset], value = (data[offset + 1] << 8) | data[offset + 2];
        switch (reg)
        {
            case 0x00:
                if ((value & 0x8000) != 0) { OnPowerOnReset(); return I2cStatus.Ok; }
                if ((value & 0x4000) != 0) { _chargeRaw = 0; _chargeFraction = 0; }
                _config = value & 0x3FF0;
                break;
            case 0x01:
                _adcConfig = value;
                _nextConversionMs = Clock.NowMilliseconds + ConversionPeriodMs;
                break;
            case 0x02: _shuntCal = value & 0x7FFF; break;
        }
        return I2cStatus.Ok;
    }

    protected override I2cStatus OnRead(byte register, byte[] buffer, int offset, int count)
    {
        long value; int bytes;
        switch (register)
        {
            case 0x00: value = _config; bytes = 2; break;
            case 0x01: value = _adcConfig; bytes = 2; break;
            case 0x02: value = _shuntCal; bytes = 2; break;
            case 0x05: value = ((long)_vbusRaw & 0xFFFFF) << 4; bytes = 3; break;
            case 0x06: value = _dieRaw & 0xFFFF; bytes = 2; break;
            case 0x07: value = ((long)_currentRaw & 0xFFFFF) << 4; bytes = 3; break;
            case 0x0A: value = _chargeRaw & 0xFFFFFFFFFFL; bytes = 5; break;
            case 0x0B: value = _diag; bytes = 2; _diag &= ~0x0002; break; // reading clears CNVRF
            case 0x3E: value = 0x5449; bytes = 2; break;
            case 0x3F: value = 0x2281; bytes = 2; break;
            default: value = 0; bytes = 2; break;
        }
        for (int i = 0; i < count; i++)
        {
            int shift = 8 * (bytes - 1 - i);
            buffer[offset + i] = shift >= 0 ? (byte)((value >> shift) & 0xFF) : (byte)0;
        }
        return I2cStatus.Ok;
    }
}
