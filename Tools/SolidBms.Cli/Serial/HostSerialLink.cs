using System;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace SolidBms.Cli.Serial;

/// <summary>
/// The host tools' end of a serial line (a USB UART or the simulator's pseudo-terminal): raw 8N1, reads
/// whole lines with a timeout. Lines are bounded: a line longer than <see cref="MaxLineBytes"/> is dropped.
/// </summary>
public sealed class HostSerialLink : IDisposable
{
    public const int MaxLineBytes = 8192;

    private readonly int _fd;
    private readonly byte[] _buf = new byte[4096];
    private int _start, _end;
    private readonly byte[] _line = new byte[MaxLineBytes];
    private int _lineLength;
    private bool _overlong;

    public HostSerialLink(string device, int baud = 115200)
    {
        _fd = Posix.open(device, Posix.O_RDWR | Posix.O_NOCTTY | Posix.O_NONBLOCK);
        if (_fd < 0) throw new UsageException($"cannot open {device}");
        Posix.MakeRaw(_fd, baud);
    }

    public void WriteLine(string text)
    {
        var b = Encoding.ASCII.GetBytes(text + "\r\n");
        int sent = 0;
        var sw = Stopwatch.StartNew();
        while (sent < b.Length && sw.ElapsedMilliseconds < 2000)
        {
            var chunk = b[sent..];
            int n = (int)Posix.write(_fd, chunk, (nuint)chunk.Length);
            if (n > 0) sent += n;
            else System.Threading.Thread.Sleep(5);
        }
        if (sent < b.Length) throw new IOException("serial write timed out");
    }

    /// <summary>Discards everything received so far (buffered bytes, a partial line, what the driver holds now).</summary>
    public void Drain()
    {
        _start = _end = 0;
        _lineLength = 0;
        _overlong = false;
        while (Posix.WaitReadable(_fd, 0) && (int)Posix.read(_fd, _buf, (nuint)_buf.Length) > 0) { }
    }

    /// <summary>The next complete line (without CR LF), or null when none arrives within the timeout.</summary>
    public string ReadLine(int timeoutMs)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            while (_start < _end)
            {
                byte c = _buf[_start++];
                if (c == '\n' || c == '\r')
                {
                    bool keep = !_overlong && _lineLength > 0;
                    string s = keep ? Encoding.ASCII.GetString(_line, 0, _lineLength) : null;
                    _lineLength = 0;
                    _overlong = false;
                    if (keep) return s;
                    continue;
                }
                if (_lineLength < _line.Length) _line[_lineLength++] = c;
                else _overlong = true;
            }
            int left = timeoutMs - (int)sw.ElapsedMilliseconds;
            if (left <= 0) return null;
            if (!Posix.WaitReadable(_fd, Math.Min(left, 200))) continue;
            int n = (int)Posix.read(_fd, _buf, (nuint)_buf.Length);
            if (n <= 0)
            {
                if (n == 0 || System.Runtime.InteropServices.Marshal.GetLastPInvokeError() != Posix.EAGAIN) throw new EndOfStreamException("serial line closed");
                continue;
            }
            _start = 0;
            _end = n;
        }
    }

    public void Dispose() => Posix.close(_fd);
}
