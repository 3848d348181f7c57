using SolidBms.Core.Hal;

namespace SolidBms.Core.Lab
{
    /// <summary>
    /// Append-only event log in flash. Records are fixed 32-byte slots written into erased (0xFF) blocks; each
    /// carries a sequence number and a CRC, so a power cut at any byte of a write leaves at worst one torn slot,
    /// which the reader skips, and every earlier record intact. When the last block fills, the oldest block is
    /// erased and reused (a ring). Nothing is ever rewritten in place.
    /// </summary>
    public sealed class EventLog
    {
        private readonly INonVolatileStorage _flash;
        private readonly int _slotsPerBlock;
        private readonly int _blocks;
        private readonly byte[] _slot = new byte[EventRecord.Size];
        private int _block;
        private int _slotInBlock;
        private uint _nextSequence;

        public EventLog(INonVolatileStorage flash)
        {
            _flash = flash;
            _slotsPerBlock = flash.BlockSizeBytes / EventRecord.Size;
            _blocks = flash.SizeBytes / flash.BlockSizeBytes;
            Recover();
        }

        /// <summary>Slots skipped at start-up because they held a torn or corrupt record.</summary>
        public int TornSlotsFound { get; private set; }

        public uint NextSequence { get { return _nextSequence; } }

        public int Capacity { get { return _slotsPerBlock * _blocks; } }

        /// <summary>The fewest records the ring holds once it has wrapped (just after a block is erased and its first
        /// slot written): the newest this-many records are always readable.</summary>
        public int MinimumHeld { get { return (_blocks - 1) * _slotsPerBlock + 1; } }

        /// <summary>Finds the newest record and the first erased slot after it; runs once at start-up.</summary>
        private void Recover()
        {
            uint newest = 0;
            bool any = false;
            int newestBlock = 0;
            EventRecord r;
            for (int b = 0; b < _blocks; b++)
            {
                for (int s = 0; s < _slotsPerBlock; s++)
                {
                    ReadSlot(b, s);
                    if (EventRecord.TryRead(_slot, 0, out r))
                    {
                        if (!any || r.Sequence > newest) { newest = r.Sequence; newestBlock = b; }
                        any = true;
                    }
                    else if (!IsErased()) TornSlotsFound++;
                }
            }
            _nextSequence = newest + 1; // 1 for an empty log: newest stays 0 without a record
            _block = newestBlock;
            // The write position: the first erased slot after the last used slot of the newest block (0 if all are erased).
            _slotInBlock = 0;
            for (int s = _slotsPerBlock - 1; s >= 0; s--)
            {
                ReadSlot(_block, s);
                if (!IsErased()) { _slotInBlock = s + 1; break; }
            }
        }

        public void Append(EventRecord record)
        {
            if (_slotInBlock >= _slotsPerBlock)
            {
                _block = (_block + 1) % _blocks;
                _flash.EraseBlock(_block); // drops the oldest block's records
                _slotInBlock = 0;
            }
            record.Sequence = _nextSequence++;
            record.WriteTo(_slot, 0);
            _flash.Write(_block * _flash.BlockSizeBytes + _slotInBlock * EventRecord.Size, _slot, 0, EventRecord.Size);
            _slotInBlock++;
        }

        /// <summary>Slots in the ring, for walking it one slot at a time (<see cref="TryReadRingSlot"/>).</summary>
        public int SlotCount { get { return _slotsPerBlock * _blocks; } }

        /// <summary>
        /// Reads slot k of the ring counted from the oldest block (k = 0 .. SlotCount-1), so a download can
        /// stream the log a few records per tick without an array of them all. False for erased or torn slots.
        /// </summary>
        public bool TryReadRingSlot(int k, out EventRecord record)
        {
            int b = (_block + 1 + k / _slotsPerBlock) % _blocks;
            ReadSlot(b, k % _slotsPerBlock);
            return EventRecord.TryRead(_slot, 0, out record);
        }

        /// <summary>
        /// Copies intact records, oldest first, into the caller's array; returns how many. Allocation-free:
        /// the caller sizes the array (for example to <see cref="Capacity"/>).
        /// </summary>
        public int ReadAll(EventRecord[] into)
        {
            int n = 0;
            EventRecord r;
            // The block after the newest is the oldest (or erased); walk the ring from there.
            for (int k = 1; k <= _blocks; k++)
            {
                int b = (_block + k) % _blocks;
                for (int s = 0; s < _slotsPerBlock && n < into.Length; s++)
                {
                    ReadSlot(b, s);
                    if (EventRecord.TryRead(_slot, 0, out r)) into[n++] = r;
                }
            }
            SortBySequence(into, n);
            return n;
        }

        /// <summary>
        /// Heapsort by sequence: in place (no buffer, as the caller sized the only array) and O(n log n) whatever the
        /// image holds. The insertion sort before it was linear on a ring in order but quadratic on an image whose
        /// blocks are out of order (a copied or concatenated image: 16 MB took 39 s).
        /// </summary>
        private static void SortBySequence(EventRecord[] a, int n)
        {
            for (int i = n / 2 - 1; i >= 0; i--) SiftDown(a, i, n);
            // Stryker disable once Equality : a last pass at end 0 swaps a[0] with itself and sifts an empty heap
            for (int end = n - 1; end > 0; end--)
            {
                var top = a[0];
                a[0] = a[end];
                a[end] = top;
                SiftDown(a, 0, end);
            }
        }

        private static void SiftDown(EventRecord[] a, int root, int n)
        {
            var x = a[root];
            while (true)
            {
                int child = 2 * root + 1;
                if (child >= n) break;
                if (child + 1 < n && a[child + 1].Sequence > a[child].Sequence) child++;
                if (a[child].Sequence <= x.Sequence) break;
                a[root] = a[child];
                root = child;
            }
            a[root] = x;
        }

        private void ReadSlot(int block, int slot)
        {
            _flash.Read(block * _flash.BlockSizeBytes + slot * EventRecord.Size, _slot, 0, EventRecord.Size);
        }

        private bool IsErased()
        {
            for (int i = 0; i < _slot.Length; i++) if (_slot[i] != 0xFF) return false;
            return true;
        }
    }
}
