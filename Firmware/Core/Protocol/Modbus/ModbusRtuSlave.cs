using SolidBms.Core.Hal;
using SolidBms.Core.Util;

namespace SolidBms.Core.Protocol
{
    /// <summary>
    /// Modbus RTU slave: functions 03 (read holding), 04 (read input), 06 (write one), 16 (write several).
    /// Frames are delimited by their length (known from the function code) and checked by CRC-16; a gap of
    /// one poll with no new byte ends a partial frame (the 3.5-character silence, as seen from a loop that
    /// polls once per tick). A frame with a bad CRC, or for another address, gets no reply (Modbus rules);
    /// broadcast (address 0) writes are carried out without reply. Fixed 256-byte buffers, no allocation.
    /// </summary>
    public sealed class ModbusRtuSlave
    {
        public const int MaxAdu = 256;
        public const int MaxReadCount = 125, MaxWriteCount = 123;

        private readonly int _address;
        private readonly ISerialPort _port;
        private readonly ModbusRegisterMap _map;
        private readonly byte[] _rx = new byte[MaxAdu];
        private readonly byte[] _tx = new byte[MaxAdu];
        private int _length;

        public ModbusRtuSlave(int address, ISerialPort port, ModbusRegisterMap map)
        {
            _address = address;
            _port = port;
            _map = map;
        }

        public ModbusRegisterMap Map { get { return _map; } }
        public long FramesHandled { get; private set; }
        public long CrcErrors { get; private set; }
        public long Discarded { get; private set; }
        public long ExceptionsSent { get; private set; }
        public long ResponsesDropped { get; private set; }

        public void Poll(long nowMs)
        {
            int budget = ProtocolEndpoint.MaxBytesPerTick;
            bool received = false;
            while (budget > 0)
            {
                if (_length == MaxAdu) Drop(); // a full buffer with no frame in it is noise
                int room = MaxAdu - _length;
                int n = _port.Read(_rx, _length, room < budget ? room : budget);
                if (n <= 0) break;
                received = true;
                _length += n;
                budget -= n;
                Process(nowMs, false);
            }
            if (!received && _length > 0) Process(nowMs, true);
        }

        /// <summary>Bytes a frame with this function code needs; 0 = not yet known, -1 = unknown function.</summary>
        private int ExpectedLength()
        {
            switch (_rx[1])
            {
                case 1: case 2: case 3: case 4: case 5: case 6: return 8;
                case 15: case 16: return _length >= 7 ? 9 + _rx[6] : 0;
                default: return -1;
            }
        }

        private void Process(long nowMs, bool silence)
        {
            while (_length >= 4)
            {
                int expected = ExpectedLength();
                if (expected < 0)
                {
                    // Unknown function: its length is unknown, so the whole buffer is the frame once its CRC checks.
                    if (CrcOk(_length)) { Handle(_length, nowMs); _length = 0; }
                    else if (silence) Drop();
                    return;
                }
                if (expected == 0 || _length < expected)
                {
                    if (silence) Drop();
                    return;
                }
                if (expected > MaxAdu) { Drop(); return; }
                if (!CrcOk(expected))
                {
                    CrcErrors++;
                    Drop();
                    return;
                }
                Handle(expected, nowMs);
                Consume(expected);
            }
            if (silence && _length > 0) Drop();
        }

        private bool CrcOk(int length)
        {
            if (length < 4) return false;
            int crc = Crc16.Compute(_rx, 0, length - 2);
            return _rx[length - 2] == (crc & 0xFF) && _rx[length - 1] == (crc >> 8);
        }

        private void Drop()
        {
            Discarded++;
            _length = 0;
        }

        private void Consume(int count)
        {
            for (int i = count; i < _length; i++) _rx[i - count] = _rx[i];
            _length -= count;
        }

        private int Word(int i) { return (_rx[i] << 8) | _rx[i + 1]; }

        private void Handle(int length, long nowMs)
        {
            int address = _rx[0];
            if (address != _address && address != 0) return; // another slave's frame
            bool broadcast = address == 0;
            int fc = _rx[1];
            FramesHandled++;
            if (broadcast && fc != 6 && fc != 16) return; // a broadcast read has nobody to answer to
            _tx[0] = (byte)_address;
            _tx[1] = (byte)fc;
            int ex;
            int n = 0;
            switch (fc)
            {
                case 3:
                case 4:
                    ex = Read(fc == 4, Word(2), Word(4), nowMs, out n);
                    break;
                case 6:
                    ex = !_map.HoldingRange(Word(2), 1) ? ModbusRegisterMap.ExIllegalAddress : _map.WriteHoldings(Word(2), 1, _rx, 4, nowMs);
                    if (ex == 0) { for (int i = 2; i < 6; i++) _tx[i] = _rx[i]; n = 6; }
                    break;
                case 16:
                    ex = WriteMultiple(nowMs);
                    if (ex == 0) { for (int i = 2; i < 6; i++) _tx[i] = _rx[i]; n = 6; }
                    break;
                default:
                    ex = ModbusRegisterMap.ExIllegalFunction;
                    break;
            }
            if (broadcast) return;
            if (ex != 0)
            {
                _tx[1] = (byte)(fc | 0x80);
                _tx[2] = (byte)ex;
                n = 3;
                ExceptionsSent++;
            }
            int crc = Crc16.Compute(_tx, 0, n);
            _tx[n++] = (byte)(crc & 0xFF);
            _tx[n++] = (byte)(crc >> 8);
            if (_port.Write(_tx, 0, n) < n) ResponsesDropped++;
        }

        private int Read(bool input, int start, int count, long nowMs, out int n)
        {
            n = 0;
            if (count < 1 || count > MaxReadCount) return ModbusRegisterMap.ExIllegalValue;
            if (input ? start + count > ModbusRegisterMap.InputCount : !_map.HoldingRange(start, count)) return ModbusRegisterMap.ExIllegalAddress;
            _tx[2] = (byte)(count * 2);
            n = 3;
            for (int i = 0; i < count; i++)
            {
                int v = input ? _map.ReadInput(start + i, nowMs) : _map.ReadHolding(start + i, nowMs);
                _tx[n++] = (byte)(v >> 8);
                _tx[n++] = (byte)(v & 0xFF);
            }
            return 0;
        }

        private int WriteMultiple(long nowMs)
        {
            int start = Word(2), count = Word(4), bytes = _rx[6];
            if (count < 1 || count > MaxWriteCount || bytes != count * 2) return ModbusRegisterMap.ExIllegalValue;
            if (!_map.HoldingRange(start, count)) return ModbusRegisterMap.ExIllegalAddress;
            return _map.WriteHoldings(start, count, _rx, 7, nowMs);
        }
    }
}
