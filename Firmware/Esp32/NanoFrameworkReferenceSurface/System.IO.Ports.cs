// Compile-only surface of nanoFramework.System.IO.Ports 1.1.132 (see README.md in this folder). Nothing here runs.
// Checked against nanoframework/System.IO.Ports: System.IO.Ports/SerialPort.cs @04e9eab8, StopBits.cs @339c73f7
// (via /work/research/nanoframework.md section 3.4).
namespace System.IO.Ports
{
    /// <summary>SerialPort.cs: public sealed class SerialPort : IDisposable.</summary>
    public sealed class SerialPort : IDisposable
    {
        /// <summary>SerialPort.cs: SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None, int dataBits = 8, StopBits stopBits = StopBits.One).</summary>
        public SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None, int dataBits = 8, StopBits stopBits = StopBits.One) { throw new NotSupportedException(); }

        /// <summary>SerialPort.cs: public void Open().</summary>
        public void Open() { throw new NotSupportedException(); }

        /// <summary>SerialPort.cs: public int BytesToRead { get; }.</summary>
        public int BytesToRead { get { throw new NotSupportedException(); } }

        /// <summary>SerialPort.cs: public int WriteTimeout { get; set; } (>= 0 or -1).</summary>
        public int WriteTimeout { get { throw new NotSupportedException(); } set { throw new NotSupportedException(); } }

        /// <summary>SerialPort.cs: public int Read(byte[] buffer, int offset, int count).</summary>
        public int Read(byte[] buffer, int offset, int count) { throw new NotSupportedException(); }

        /// <summary>SerialPort.cs: public void Write(byte[] buffer, int offset, int count).</summary>
        public void Write(byte[] buffer, int offset, int count) { throw new NotSupportedException(); }

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
