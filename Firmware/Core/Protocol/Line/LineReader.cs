namespace SolidBms.Core.Protocol
{
    /// <summary>
    /// Assembles command lines byte by byte in a fixed buffer. A line ends at CR or LF; a line longer than
    /// the buffer is not truncated into something that might parse: it is dropped whole and reported once.
    /// </summary>
    public sealed class LineReader
    {
        public const int None = 0, Line = 1, Overlong = 2;

        private readonly byte[] _buffer;
        private int _length;
        private bool _overlong;

        public LineReader(int capacity) { _buffer = new byte[capacity]; }

        public byte[] Buffer { get { return _buffer; } }

        /// <summary>Length of the line just completed (valid after <see cref="Push"/> returned <see cref="Line"/>).</summary>
        public int LineLength { get; private set; }

        public int Push(byte b)
        {
            if (b == '\r' || b == '\n')
            {
                bool overlong = _overlong;
                int length = _length;
                _overlong = false;
                _length = 0;
                if (overlong) return Overlong;
                if (length == 0) return None; // empty line, or the LF of a CR LF
                LineLength = length;
                return Line;
            }
            if (_overlong) return None;
            if (_length < _buffer.Length) _buffer[_length++] = b;
            else _overlong = true;
            return None;
        }
    }
}
