namespace SolidBms.Core.Hal
{
    /// <summary>
    /// Flash-like storage: erase sets a whole block to 0xFF, a write can only clear bits. A write may be
    /// cut short by a power loss at any byte, which the event log must survive.
    /// </summary>
    public interface INonVolatileStorage
    {
        int SizeBytes { get; }

        int BlockSizeBytes { get; }

        void Read(int address, byte[] buffer, int offset, int count);

        void Write(int address, byte[] buffer, int offset, int count);

        void EraseBlock(int blockIndex);
    }
}
