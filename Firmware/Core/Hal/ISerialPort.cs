namespace SolidBms.Core.Hal
{
    /// <summary>A byte stream (UART). Both calls return immediately: the control loop never blocks on I/O.</summary>
    public interface ISerialPort
    {
        /// <summary>Copies up to count received bytes; returns how many (0 when none are waiting).</summary>
        int Read(byte[] buffer, int offset, int count);

        /// <summary>Queues bytes for sending; returns how many were accepted (the rest are dropped and counted by the caller).</summary>
        int Write(byte[] buffer, int offset, int count);
    }
}
