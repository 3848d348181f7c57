using System;
using System.Runtime.InteropServices;
using System.Text;

namespace SolidBms.Cli.Serial;

/// <summary>The few libc calls behind pseudo-terminals and raw serial devices (Linux, glibc).</summary>
internal static class Posix
{
    public const int O_RDWR = 2, O_NOCTTY = 0x100, O_NONBLOCK = 0x800;
    public const int F_GETFL = 3, F_SETFL = 4;
    public const int TCSANOW = 0, TCIFLUSH = 0;
    public const uint FIONREAD = 0x541B;
    public const short POLLIN = 1;
    public const int EAGAIN = 11, EINTR = 4;

    [DllImport("libc", SetLastError = true)] public static extern int posix_openpt(int flags);
    [DllImport("libc", SetLastError = true)] public static extern int grantpt(int fd);
    [DllImport("libc", SetLastError = true)] public static extern int unlockpt(int fd);
    [DllImport("libc", SetLastError = true)] private static extern int ptsname_r(int fd, byte[] buf, nuint len);
    [DllImport("libc", SetLastError = true)] public static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags);
    [DllImport("libc", SetLastError = true)] public static extern int close(int fd);
    [DllImport("libc", SetLastError = true)] public static extern nint read(int fd, byte[] buf, nuint count);
    [DllImport("libc", SetLastError = true)] public static extern nint write(int fd, byte[] buf, nuint count);
    [DllImport("libc", SetLastError = true)] public static extern int fcntl(int fd, int cmd, int arg);
    [DllImport("libc", SetLastError = true)] public static extern int tcgetattr(int fd, byte[] termios);
    [DllImport("libc", SetLastError = true)] public static extern int tcsetattr(int fd, int action, byte[] termios);
    [DllImport("libc", SetLastError = true)] public static extern int tcflush(int fd, int queue);
    [DllImport("libc")] public static extern void cfmakeraw(byte[] termios);
    [DllImport("libc", SetLastError = true)] public static extern int cfsetspeed(byte[] termios, uint speed);
    [DllImport("libc", SetLastError = true)] public static extern int ioctl(int fd, uint request, out int value);
    [DllImport("libc", SetLastError = true)] private static extern int poll([In, Out] PollFd[] fds, nuint count, int timeoutMs);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd { public int Fd; public short Events; public short Revents; }

    public static string PtsName(int fd)
    {
        var buf = new byte[128];
        Check(ptsname_r(fd, buf, (nuint)buf.Length), "ptsname_r");
        return Encoding.ASCII.GetString(buf, 0, Array.IndexOf(buf, (byte)0));
    }

    /// <summary>True when fd has bytes to read within the timeout.</summary>
    public static bool WaitReadable(int fd, int timeoutMs)
    {
        var fds = new[] { new PollFd { Fd = fd, Events = POLLIN } };
        int r = poll(fds, 1, timeoutMs);
        return r > 0;
    }

    public static void SetNonBlocking(int fd)
    {
        int flags = fcntl(fd, F_GETFL, 0);
        Check(flags, "fcntl");
        Check(fcntl(fd, F_SETFL, flags | O_NONBLOCK), "fcntl");
    }

    /// <summary>Raw 8N1 at the given baud: no echo, no line editing, no CR/LF translation.</summary>
    public static void MakeRaw(int fd, int baud)
    {
        var t = new byte[256]; // larger than struct termios on any Linux ABI
        Check(tcgetattr(fd, t), "tcgetattr");
        cfmakeraw(t);
        Check(cfsetspeed(t, BaudConstant(baud)), "cfsetspeed");
        Check(tcsetattr(fd, TCSANOW, t), "tcsetattr");
    }

    private static uint BaudConstant(int baud) => baud switch
    {
        9600 => 0x0D, 19200 => 0x0E, 38400 => 0x0F, 57600 => 0x1001, 115200 => 0x1002, 230400 => 0x1003,
        460800 => 0x1004, 921600 => 0x1007,
        _ => throw new UsageException($"unsupported baud rate {baud} (9600..921600)"),
    };

    public static void Check(long result, string what)
    {
        if (result < 0) throw new System.IO.IOException($"{what} failed: errno {Marshal.GetLastPInvokeError()}");
    }
}
