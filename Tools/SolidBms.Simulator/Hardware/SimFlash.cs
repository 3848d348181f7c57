using System;
using SolidBms.Core.Hal;

namespace SolidBms.Simulator.Hardware;

/// <summary>
/// NOR-flash model: erase sets a block to 0xFF, a write can only clear bits (new = old AND data), and a
/// power cut can be armed to stop a write after a given number of bytes, as on the device.
/// </summary>
public sealed class SimFlash : INonVolatileStorage
{
    private readonly byte[] _cells;

    public SimFlash(int sizeBytes, int blockSizeBytes)
    {
        if (sizeBytes % blockSizeBytes != 0) throw new ArgumentException("size must be whole blocks");
        _cells = new byte[sizeBytes];
        Array.Fill(_cells, (byte)0xFF);
        BlockSizeBytes = blockSizeBytes;
    }

    public int SizeBytes => _cells.Length;
    public int BlockSizeBytes { get; }
    public byte[] Image => _cells;

    /// <summary>When set, the next write stops after this many bytes and throws <see cref="PowerCutException"/>.</summary>
    public int? CutAfterBytes { get; set; }

    public void Read(int address, byte[] buffer, int offset, int count) => Array.Copy(_cells, address, buffer, offset, count);

    public void Write(int address, byte[] buffer, int offset, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (CutAfterBytes is int cut && i >= cut)
            {
                CutAfterBytes = null;
                throw new PowerCutException();
            }
            _cells[address + i] &= buffer[offset + i];
        }
    }

    public void EraseBlock(int blockIndex) => Array.Fill(_cells, (byte)0xFF, blockIndex * BlockSizeBytes, BlockSizeBytes);

    public static SimFlash FromImage(byte[] image, int blockSizeBytes)
    {
        var f = new SimFlash(image.Length, blockSizeBytes);
        Array.Copy(image, f._cells, image.Length);
        return f;
    }
}

public sealed class PowerCutException : Exception
{
    public PowerCutException() : base("simulated power cut during a flash write") { }
}
