using System;
using System.IO;

namespace SolidBms.Simulator.Run;

/// <summary>
/// A CSV output file that reaches the disk in whole rows only: each <see cref="Write(byte[], int, int)"/> must be whole
/// lines (the recorders write one row per call), they are gathered in memory and go to the file in one write at a
/// <see cref="Flush"/> or when the buffer is full, always ending at a line end. A buffered stream cut its 64 KiB chunks
/// anywhere, so a process killed between two of them left half a row, and readers then refused the whole file.
/// </summary>
public sealed class WholeRowFile : Stream
{
    private readonly FileStream _file;
    private byte[] _buffer = new byte[1 << 16];
    private int _length;

    public WholeRowFile(string path) => _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (_length + count > _buffer.Length)
        {
            Flush();
            if (count > _buffer.Length) Array.Resize(ref _buffer, count); // a row longer than the buffer: still one write
        }
        Buffer.BlockCopy(buffer, offset, _buffer, _length, count);
        _length += count;
    }

    public override void Flush()
    {
        if (_length == 0) return;
        _file.Write(_buffer, 0, _length);
        _length = 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
            _file.Dispose();
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
