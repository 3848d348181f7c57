using System;
using SolidBms.Core.Hal;
using SolidBms.Simulator.Hardware;

namespace SolidBms.Simulator.Chips;

/// <summary>
/// A register-level model of one I2C chip on the simulated bus. Subclasses hold the register file and convert on
/// the chip's own schedule (driven by the simulated clock). Faults a scenario or test can switch on:
/// NACK (each transaction refused with a probability), Stuck (the chip stops converting: results freeze and
/// conversion-ready flags stay clear), CorruptReads (one bit of each response flipped, after any CRC was
/// computed) and Dropout (the chip is gone from the bus; when it comes back it has reset to power-on defaults).
/// </summary>
public abstract class SimI2cChip
{
    private readonly Random _rng;
    private bool _dropout;

    protected SimI2cChip(string name, int address, SimClock clock, Random rng)
    {
        Name = name;
        Address = address;
        Clock = clock;
        _rng = rng;
    }

    public string Name { get; }
    public int Address { get; }
    protected SimClock Clock { get; }

    /// <summary>0 = never, 1 = every transaction is refused (address NACK).</summary>
    public double NackProbability { get; set; }
    public bool Stuck { get; set; }
    public bool CorruptReads { get; set; }

    public bool Dropout
    {
        get => _dropout;
        set
        {
            if (_dropout && !value) PowerOnReset();
            _dropout = value;
        }
    }

    public long Transactions { get; private set; }
    public long Refused { get; private set; }
    public int Resets { get; private set; }

    /// <summary>Whether this chip checks/produces a CRC the driver can verify (CorruptReads is detectable).</summary>
    public abstract bool HasCrc { get; }

    internal I2cStatus Write(byte[] data, int offset, int count)
    {
        if (!Answers()) return I2cStatus.AddressNack;
        Convert(Clock.NowMilliseconds);
        return OnWrite(data, offset, count);
    }

    internal I2cStatus WriteRead(byte[] write, int writeOffset, int writeCount, byte[] read, int readOffset, int readCount)
    {
        if (!Answers()) return I2cStatus.AddressNack;
        Convert(Clock.NowMilliseconds);
        if (writeCount < 1) return I2cStatus.BusError;
        var st = OnRead(write[writeOffset], read, readOffset, readCount);
        if (st == I2cStatus.Ok && CorruptReads && readCount > 0) read[readOffset + _rng.Next(readCount)] ^= (byte)(1 << _rng.Next(8));
        return st;
    }

    internal I2cStatus Read(byte[] read, int offset, int count)
    {
        if (!Answers()) return I2cStatus.AddressNack;
        Convert(Clock.NowMilliseconds);
        var st = OnPlainRead(read, offset, count);
        if (st == I2cStatus.Ok && CorruptReads && count > 0) read[offset + _rng.Next(count)] ^= (byte)(1 << _rng.Next(8));
        return st;
    }

    /// <summary>A read without a register pointer; chips addressed by register refuse it.</summary>
    protected virtual I2cStatus OnPlainRead(byte[] buffer, int offset, int count) => I2cStatus.BusError;

    private bool Answers()
    {
        Transactions++;
        if (_dropout || (NackProbability > 0 && _rng.NextDouble() < NackProbability))
        {
            Refused++;
            return false;
        }
        return true;
    }

    /// <summary>Runs the conversions due up to now (none while Stuck).</summary>
    public void Convert(long nowMs)
    {
        if (!Stuck) RunConversions(nowMs);
        else SkipConversions(nowMs);
    }

    public void PowerOnReset()
    {
        Resets++;
        OnPowerOnReset();
    }

    protected abstract void RunConversions(long nowMs);
    protected abstract void SkipConversions(long nowMs);
    protected abstract void OnPowerOnReset();
    protected abstract I2cStatus OnWrite(byte[] data, int offset, int count);
    protected abstract I2cStatus OnRead(byte register, byte[] buffer, int offset, int count);

    protected double Noise(double sigma) => sigma > 0 ? sigma * Physics.Gaussian.Next(_rng) : 0;
}
