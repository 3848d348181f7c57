using System;
using System.Text;
using SolidBms.Core.Hal;

namespace SolidBms.Cli.Mqtt;

/// <summary>
/// The simulated firmware's line port with a listener on its transmit side: every byte the firmware sends goes on to the
/// port behind (a pty, or nowhere) and every complete line to <c>onLine</c>. So `sim --mqtt` publishes the firmware's
/// own frames, read back by the same parser as a serial port's, not a second formatter.
/// </summary>
public sealed class TelemetryTap : ISerialPort
{
    private readonly ISerialPort _inner;
    private readonly Action<string> _onLine;
    private readonly byte[] _line = new byte[Serial.HostSerialLink.MaxLineBytes];
    private int _length;
    private bool _overlong;

    /// <param name="inner">The port the firmware's bytes go on to, or null.</param>
    public TelemetryTap(ISerialPort inner, Action<string> onLine)
    {
        _inner = inner;
        _onLine = onLine;
    }

    public int Read(byte[] buffer, int offset, int count) => _inner?.Read(buffer, offset, count) ?? 0;

    public int Write(byte[] buffer, int offset, int count)
    {
        // Every byte the firmware offered is tapped, whether or not a slow pty reader let the port accept it.
        for (int i = offset; i < offset + count; i++)
        {
            byte c = buffer[i];
            if (c == '\n' || c == '\r')
            {
                if (_length > 0 && !_overlong) _onLine(Encoding.ASCII.GetString(_line, 0, _length));
                _length = 0;
                _overlong = false;
            }
            else if (_length < _line.Length) _line[_length++] = c;
            else _overlong = true;
        }
        return _inner?.Write(buffer, offset, count) ?? count;
    }
}
