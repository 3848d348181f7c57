using System;
using SolidBms.Core.Hal;
using SolidBms.Simulator.Hardware;

namespace SolidBms.Simulator.Chips;

/// <summary>
/// Honeywell FMA force sensor: a new 14-bit result every <see cref="UpdatePeriodMs"/>, returned by a plain 2-byte
/// read with status 0 the first time and status 2 (stale) until the next result; Stuck keeps it stale for good.
/// Above the rated force the output clips at the transfer function's top; a diagnostic fault reads status 3.
/// </summary>
public sealed class FmaModel : SimI2cChip
{
    public const int UpdatePeriodMs = 5;

    private readonly double _cMin, _cMax;
    private long _nextUpdateMs;
    private int _counts;
    private bool _fresh;

    public FmaModel(int address, double ratedNewton, int minPercent, int maxPercent, SimClock clock, Random rng) : base("fma", address, clock, rng)
    {
        RatedNewton = ratedNewton;
        _cMin = 16384.0 * minPercent / 100;
        _cMax = 16384.0 * maxPercent / 100;
        OnPowerOnReset();
    }

    public override bool HasCrc => false;
    public double RatedNewton { get; }
    public double ForceNewton { get; set; }
    public double ForceNoiseNewton { get; set; }
    /// <summary>Bridge open/short: every read reports the diagnostic status.</summary>
    public bool Diagnostic { get; set; }

    protected override void OnPowerOnReset()
    {
        _fresh = false;
        _nextUpdateMs = Clock.NowMilliseconds + UpdatePeriodMs;
    }

    protected override void SkipConversions(long nowMs) => _nextUpdateMs = nowMs + UpdatePeriodMs;

    protected override void RunConversions(long nowMs)
    {
        if (nowMs < _nextUpdateMs) return;
        while (_nextUpdateMs <= nowMs) _nextUpdateMs += UpdatePeriodMs;
        double f = ForceNewton + Noise(ForceNoiseNewton);
        double counts = _cMin + f / RatedNewton * (_cMax - _cMin);
        _counts = (int)Math.Clamp(Math.Round(counts), 0, 16383);
        _fresh = true;
    }

    protected override I2cStatus OnWrite(byte[] data, int offset, int count) => I2cStatus.Ok;

    protected override I2cStatus OnRead(byte register, byte[] buffer, int offset, int count) => I2cStatus.BusError;

    protected override I2cStatus OnPlainRead(byte[] buffer, int offset, int count)
    {
        int status = Diagnostic ? 3 : _fresh ? 0 : 2;
        _fresh = false;
        if (count > 0) buffer[offset] = (byte)((status << 6) | ((_counts >> 8) & 0x3F));
        if (count > 1) buffer[offset + 1] = (byte)(_counts & 0xFF);
        return I2cStatus.Ok;
    }
}
