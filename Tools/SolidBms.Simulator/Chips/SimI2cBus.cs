using System.Collections.Generic;
using SolidBms.Core.Hal;

namespace SolidBms.Simulator.Chips;

/// <summary>The simulated I2C controller: routes each transaction to the chip model at its address.</summary>
public sealed class SimI2cBus : II2cBus
{
    private readonly Dictionary<int, SimI2cChip> _chips = new();

    public int RecoveryRequests { get; private set; }

    public void Attach(SimI2cChip chip)
    {
        if (_chips.ContainsKey(chip.Address)) throw new System.ArgumentException($"two chips at address 0x{chip.Address:X2}");
        _chips[chip.Address] = chip;
    }

    public II2cDevice Open(int address) => new SimI2cDevice(this, address);

    /// <summary>The models never hold the bus, so recovery "succeeds"; it is counted so tests can see it was tried.</summary>
    public bool Recover()
    {
        RecoveryRequests++;
        return true;
    }

    internal SimI2cChip Find(int address) => _chips.TryGetValue(address, out var c) ? c : null;
}

/// <summary>One address on the simulated bus: nothing there means an address NACK, as on a real bus.</summary>
public sealed class SimI2cDevice : II2cDevice
{
    private readonly SimI2cBus _bus;

    public SimI2cDevice(SimI2cBus bus, int address)
    {
        _bus = bus;
        Address = address;
    }

    public int Address { get; }

    public I2cStatus Write(byte[] data, int offset, int count) => _bus.Find(Address)?.Write(data, offset, count) ?? I2cStatus.AddressNack;

    public I2cStatus Read(byte[] data, int offset, int count) => _bus.Find(Address)?.Read(data, offset, count) ?? I2cStatus.AddressNack;

    public I2cStatus WriteRead(byte[] write, int writeOffset, int writeCount, byte[] read, int readOffset, int readCount)
        => _bus.Find(Address)?.WriteRead(write, writeOffset, writeCount, read, readOffset, readCount) ?? I2cStatus.AddressNack;
}
