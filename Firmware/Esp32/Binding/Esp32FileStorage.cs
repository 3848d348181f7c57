using System.IO;
using SolidBms.Core.Hal;

namespace SolidBms.Esp32.Binding
{
    /// <summary>
    /// The event log's non-volatile storage on the ESP32: a fixed-size file on the internal flash drive I:\,
    /// created full of 0xFF (erased) on first use, written in place and flushed before each call returns. The
    /// log's own format (CRC per record, writes only into erased slots) makes a power cut during a write or an
    /// erase harmless whatever the file system does with a half-finished write.
    /// </summary>
    public sealed class Esp32FileStorage : INonVolatileStorage
    {
        private readonly FileStream _file;
        private readonly byte[] _erased; // a piece of an erased block, written over and over to erase one

        /// <summary>
        /// The erased piece's size: a whole block of 0xFF held by each storage was 8 KiB of the ESP32's managed heap (the
        /// event log's and the SOC memory's 4 KiB blocks); an erase is rare and 16 writes of it cost nothing that matters.
        /// </summary>
        private const int ErasedPieceBytes = 256;

        public Esp32FileStorage(string path, int sizeBytes, int blockSizeBytes)
        {
            SizeBytes = sizeBytes;
            BlockSizeBytes = blockSizeBytes;
            _erased = new byte[blockSizeBytes < ErasedPieceBytes ? blockSizeBytes : ErasedPieceBytes];
            for (int i = 0; i < _erased.Length; i++) _erased[i] = 0xFF;
            bool fresh = !File.Exists(path);
            _file = new FileStream(path, fresh ? FileMode.Create : FileMode.Open, FileAccess.ReadWrite);
            if (fresh || _file.Length != sizeBytes)
                for (int b = 0; b < sizeBytes / blockSizeBytes; b++) EraseBlock(b);
        }

        public int SizeBytes { get; private set; }

        public int BlockSizeBytes { get; private set; }

        public void Read(int address, byte[] buffer, int offset, int count)
        {
            _file.Seek(address, SeekOrigin.Begin);
            int done = 0;
            while (done < count)
            {
                int n = _file.Read(buffer, offset + done, count - done);
                if (n <= 0) break;
                done += n;
            }
            for (int i = done; i < count; i++) buffer[offset + i] = 0xFF; // past the end reads as erased
        }

        public void Write(int address, byte[] buffer, int offset, int count)
        {
            _file.Seek(address, SeekOrigin.Begin);
            _file.Write(buffer, offset, count);
            _file.Flush();
        }

        public void EraseBlock(int blockIndex)
        {
            _file.Seek((long)blockIndex * BlockSizeBytes, SeekOrigin.Begin);
            int block = BlockSizeBytes;
            for (int done = 0; done < block; done += _erased.Length)
                _file.Write(_erased, 0, block - done < _erased.Length ? block - done : _erased.Length);
            _file.Flush();
        }
    }
}
