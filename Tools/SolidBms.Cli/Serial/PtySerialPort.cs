using System;
using System.IO;
using System.Runtime.InteropServices;
using SolidBms.Core.Hal;

namespace SolidBms.Cli.Serial;

/// <summary>
/// The simulator's side of a pseudo-terminal, as the firmware's <see cref="ISerialPort"/>: a tool opened on
/// the linked path (mbpoll, a terminal, `monitor`) talks to the firmware as over a UART. The slave end is
/// held open in raw mode so that settings persist and nothing is echoed back, and a backlog nobody reads is
/// flushed rather than served stale to the next reader.
/// </summary>
public sealed class PtySerialPort : ISerialPort, IDisposable
{
    /// <summary>
    /// Unread bytes beyond which the slave's queue is flushed (about 0.8 s of 16-cell frames at 10 Hz). Below
    /// the line discipline's 4096-byte read buffer, which is all FIONREAD can see.
    /// </summary>
    public const int MaxBacklogBytes = 2048;

    private readonly int _master;
    private readonly int _slave;
    private readonly byte[] _io = new byte[4096];
    private bool _disposed;

    public PtySerialPort(string linkPath, int baud = 115200)
    {
        _master = Posix.posix_openpt(Posix.O_RDWR | Posix.O_NOCTTY);
        Posix.Check(_master, "posix_openpt");
        Posix.Check(Posix.grantpt(_master), "grantpt");
        Posix.Check(Posix.unlockpt(_master), "unlockpt");
        Posix.SetNonBlocking(_master);
        SlavePath = Posix.PtsName(_master);
        _slave = Posix.open(SlavePath, Posix.O_RDWR | Posix.O_NOCTTY | Posix.O_NONBLOCK);
        Posix.Check(_slave, "open " + SlavePath);
        Posix.MakeRaw(_slave, baud);
        LinkPath = linkPath == null ? null : Path.GetFullPath(linkPath);
        if (LinkPath != null)
        {
            var existing = new FileInfo(LinkPath);
            if (existing.LinkTarget != null) existing.Delete(); // a stale link from an earlier run
            else if (existing.Exists) throw new UsageException($"{linkPath} exists and is not a link: not replacing it");
            File.CreateSymbolicLink(LinkPath, SlavePath);
        }
    }

    /// <summary>/dev/pts/N</summary>
    public string SlavePath { get; }
    public string LinkPath { get; }
    public long BytesFlushed { get; private set; }

    public int Read(byte[] buffer, int offset, int count)
    {
        int n = (int)Posix.read(_master, _io, (nuint)Math.Min(count, _io.Length));
        if (n <= 0) return 0; // EAGAIN: nothing waiting
        Array.Copy(_io, 0, buffer, offset, n);
        return n;
    }

    public int Write(byte[] buffer, int offset, int count)
    {
        if (Posix.ioctl(_slave, Posix.FIONREAD, out int pending) == 0 && pending > MaxBacklogBytes)
        {
            Posix.tcflush(_slave, Posix.TCIFLUSH);
            BytesFlushed += pending;
        }
        count = Math.Min(count, _io.Length);
        Array.Copy(buffer, offset, _io, 0, count);
        int n = (int)Posix.write(_master, _io, (nuint)count);
        return n < 0 ? 0 : n;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (LinkPath != null)
        {
            try { if (new FileInfo(LinkPath).LinkTarget == SlavePath) File.Delete(LinkPath); } catch (IOException) { }
        }
        Posix.close(_slave);
        Posix.close(_master);
    }
}
