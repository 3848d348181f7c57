using System.IO;
using SolidBms.Core.Hal;

namespace SolidBms.Simulator.Hardware;

/// <summary>A serial port whose transmit side goes to a stream (or nowhere) and whose receive side is empty.</summary>
public sealed class SimSerialPort : ISerialPort
{
    private readonly Stream _sink;

    public SimSerialPort(Stream sink) => _sink = sink;

    public long BytesWritten { get; private set; }

    public int Read(byte[] buffer, int offset, int count) => 0;

    public int Write(byte[] buffer, int offset, int count)
    {
        _sink?.Write(buffer, offset, count);
        BytesWritten += count;
        return count;
    }
}
