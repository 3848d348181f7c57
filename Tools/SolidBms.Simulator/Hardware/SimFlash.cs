using System;
using System.IO;
using Microsoft.Win32.SafeHandles;
using SolidBms.Core.Hal;

namespace SolidBms.Simulator.Hardware;

/// <summary>
/// NOR-flash model: erase sets a block to 0xFF, a write can only clear bits (new = old AND data), and a
/// power cut can be armed to stop a write after a given number of bytes, as on the device. Optionally mirrored to
/// a file as it is written (<see cref="MirrorTo"/>), so the image on disk is the device's flash at every moment.
/// </summary>
public sealed class SimFlash : INonVolatileStorage, IDisposable
{
    private readonly byte[] _cells;
    private SafeFileHandle _mirror;

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
                Mirror(address, i); // what a cut write left, as the chip would hold it
                throw new PowerCutException();
            }
            _cells[address + i] &= buffer[offset + i];
        }
        Mirror(address, count);
    }

    public void EraseBlock(int blockIndex)
    {
        Array.Fill(_cells, (byte)0xFF, blockIndex * BlockSizeBytes, BlockSizeBytes);
        Mirror(blockIndex * BlockSizeBytes, BlockSizeBytes);
    }

    /// <summary>
    /// From now on every write and erase also goes to <paramref name="path"/> at once (the whole image first), as a
    /// device's flash is written: a process killed at any moment leaves a whole image holding every record written
    /// before. Each change is one positioned write into the kernel's page cache, which a kill does not lose; a 32-byte
    /// slot or a block never straddles a 4 KiB page, so a kill does not tear one either.
    /// </summary>
    public void MirrorTo(string path)
    {
        _mirror?.Dispose();
        _mirror = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        Mirror(0, _cells.Length);
    }

    private void Mirror(int address, int count)
    {
        if (_mirror != null && count > 0) RandomAccess.Write(_mirror, new ReadOnlySpan<byte>(_cells, address, count), address);
    }

    /// <summary>Closes the mirror file (it already holds the whole image).</summary>
    public void Dispose()
    {
        _mirror?.Dispose();
        _mirror = null;
    }

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
