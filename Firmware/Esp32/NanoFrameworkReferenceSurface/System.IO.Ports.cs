// Compile-only surface of nanoFramework.System.IO.Ports 1.1.132 (see README.md in this folder). Nothing here runs.
// Every line is checked against api/System.IO.Ports.api.txt by SurfaceListingTests.
using System.Runtime.CompilerServices;

namespace System.IO.Ports
{
    /// <summary>SerialPort.cs: public sealed class SerialPort : IDisposable.</summary>
    public sealed class SerialPort : IDisposable
    {
        /// <summary>SerialPort.cs: SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None, int dataBits = 8, StopBits stopBits = StopBits.One).</summary>
        public SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None, int dataBits = 8, StopBits stopBits = StopBits.One) { throw new NotSupportedException(); }

        /// <summary>SerialPort.cs: public void Open().</summary>
        public void Open() { throw new NotSupportedException(); }

        /// <summary>SerialPort.cs: public extern int BytesToRead { get; } (native).</summary>
        public extern int BytesToRead { [MethodImpl(MethodImplOptions.InternalCall)] get; }

        /// <summary>SerialPort.cs: public int WriteTimeout { get; set; } (>= 0 or -1).</summary>
        public int WriteTimeout { get { throw new NotSupportedException(); } set { throw new NotSupportedException(); } }

        /// <summary>SerialPort.cs: public extern int Read(byte[] buffer, int offset, int count) (native).</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern int Read(byte[] buffer, int offset, int count);

        /// <summary>SerialPort.cs: public extern void Write(byte[] buffer, int offset, int count) (native).</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern void Write(byte[] buffer, int offset, int count);

        /// <summary>SerialPort.cs: public void Dispose().</summary>
        public void Dispose() { throw new NotSupportedException(); }
    }

    /// <summary>System.IO.Ports/Parity.cs @04e9eab8 (read 2026-11-25): None = 0, Odd = 1, Even = 2 (no Mark/Space on nanoFramework).</summary>
    public enum Parity
    {
        None = 0,
        Odd = 1,
        Even = 2,
    }

    /// <summary>StopBits.cs @339c73f7: One = 1, Two = 2, OnePointFive = 3 (no None).</summary>
    public enum StopBits
    {
        One = 1,
        Two = 2,
        OnePointFive = 3,
    }
}
