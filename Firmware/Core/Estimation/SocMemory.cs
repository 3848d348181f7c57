using SolidBms.Core.Hal;
using SolidBms.Core.Util;

namespace SolidBms.Core.Estimation
{
    /// <summary>
    /// Keeps the estimator's state (<see cref="SocSnapshot"/>) in its own flash file across resets, so a watchdog reset
    /// or a brown-out while driving restarts from the SOC it had rather than from a voltage read behind the load (on a
    /// flat LFP plateau that guess is 10 points off: docs/estimation.md, "Across a reset").
    /// A record is written when any cell's SOC has moved by <see cref="SaveStepSoc"/> or its hysteresis state by
    /// <see cref="SaveStepH"/> since the last one (checked once a second). What moved after the last record is what a
    /// restart cannot know, so that step bounds it: while the firmware is down the contactors are open and nothing flows.
    /// Records go one after another into slots of the file's blocks (at least two); a block is erased just before its
    /// first slot is written, so the newest good record always survives a cut during a write or an erase (each record
    /// carries a CRC). 16 cells: 256-byte records, 16 to a 4 KiB block, one block erase per 16 records, about 25 per
    /// full charge-discharge cycle of every cell.
    /// </summary>
    public sealed class SocMemory
    {
        /// <summary>SOC move (0..1) that writes a record: the most a restart can miss, 0.25 points.</summary>
        public const float SaveStepSoc = 0.0025f;
        /// <summary>Hysteresis-state move that writes a record (h runs -1..1).</summary>
        public const float SaveStepH = 0.1f;
        /// <summary>Offset move that writes a record, A.</summary>
        public const float SaveStepOffsetA = 0.005f;
        /// <summary>How often the estimator's state is compared with the last record, ms.</summary>
        public const int CheckEveryMs = 1000;

        /// <summary>Restore outcomes (the event log's code of a SocRestore record).</summary>
        public const int Restored = 0, OtherCellFile = 1, OutOfRange = 2, DisagreesWithVoltage = 3;

        private readonly INonVolatileStorage _flash;
        // The newest record in flash (what a restart would read). The estimator compares its state with it in place and
        // copies into it only to write: no second snapshot (0.7 KiB of the ESP32's heap at 16 cells).
        private readonly SocSnapshot _saved;
        private readonly byte[] _slot;
        private readonly int _slotBytes, _slotsPerBlock, _slots;
        private readonly uint _capacityMah;
        private int _nextSlot;
        private bool _haveSaved;
        private long _lastCheckMs = long.MinValue;

        /// <param name="capacityAh">The cell file's capacity: a record written for another cell file is not restored.</param>
        public SocMemory(INonVolatileStorage flash, int cellCount, float capacityAh)
        {
            _flash = flash;
            _saved = new SocSnapshot(cellCount);
            _slotBytes = _saved.SlotBytes;
            _slot = new byte[_slotBytes];
            _capacityMah = (uint)(capacityAh * 1000f + 0.5f);
            _slotsPerBlock = flash.BlockSizeBytes / _slotBytes;
            int blocks = flash.SizeBytes / flash.BlockSizeBytes;
            if (_slotsPerBlock < 1 || blocks < 2)
                throw new System.ArgumentException("SOC memory needs at least two flash blocks of at least " + _slotBytes.ToString() + " bytes");
            _slots = _slotsPerBlock * blocks;
            FindNewest();
        }

        /// <summary>True when flash holds a good record for this cell count (one of another count does not read as a record) (it may still be refused: <see cref="CheckRestore"/>).</summary>
        public bool HasSaved { get { return _haveSaved; } }

        /// <summary>The newest good record (valid when <see cref="HasSaved"/>).</summary>
        public SocSnapshot Saved { get { return _saved; } }

        /// <summary>Records written since start-up.</summary>
        public int Writes { get; private set; }

        /// <summary>Whether the saved record may be restored: <see cref="Restored"/>, or why not.</summary>
        public int CheckRestore()
        {
            if (_saved.CapacityMilliampHours != _capacityMah) return OtherCellFile;
            for (int i = 0; i < _saved.CellCount; i++)
            {
                float s = _saved.Soc[i], sigma = _saved.SocSigma[i];
                if (FastMath.IsBad(s) || s < 0f || s > 1f || FastMath.IsBad(sigma) || sigma > 0.5f) return OutOfRange;
            }
            return Restored;
        }

        /// <summary>Once per tick after the estimate stage: writes a record when the state has moved far enough (at most once a second).</summary>
        public void OnTick(StateEstimator estimator, long nowMs)
        {
            if (!estimator.Initialised) return;
            if (_lastCheckMs != long.MinValue && nowMs - _lastCheckMs < CheckEveryMs) return;
            _lastCheckMs = nowMs;
            // A cell's SOC unknown: nothing worth keeping (checked before anything is copied, so the record stays whole).
            if (!estimator.StateKnown()) return;
            if (_haveSaved && !estimator.MovedFrom(_saved, SaveStepSoc, SaveStepH, SaveStepOffsetA)) return;
            if (!estimator.CopyStateTo(_saved, true)) return; // another cell count: refused before anything is copied
            Write(_saved);
        }

        /// <summary>Writes a record of this state now (sequence and cell-file stamp set here): the newest a restart reads.</summary>
        public void Write(SocSnapshot state)
        {
            state.Sequence = _haveSaved ? _saved.Sequence + 1 : 1;
            state.CapacityMilliampHours = _capacityMah;
            int slot = _nextSlot;
            if (slot % _slotsPerBlock == 0 || !SlotErased(slot))
            {
                // A block's first slot, or a slot a torn write left dirty: start the next block afresh. The newest record is
                // never in it: it lies just before this slot (or there is none yet).
                if (slot % _slotsPerBlock != 0) slot = (slot / _slotsPerBlock + 1) * _slotsPerBlock % _slots;
                _flash.EraseBlock(slot / _slotsPerBlock);
            }
            state.Encode(_slot);
            _flash.Write(slot * _slotBytes, _slot, 0, state.RecordBytes);
            _saved.CopyFrom(state);
            _haveSaved = true;
            _nextSlot = (slot + 1) % _slots;
            Writes++;
        }

        private bool SlotErased(int slot)
        {
            _flash.Read(slot * _slotBytes, _slot, 0, _slotBytes);
            for (int i = 0; i < _slotBytes; i++) if (_slot[i] != 0xFF) return false;
            return true;
        }

        private void FindNewest()
        {
            // Every slot is decoded into the one snapshot to find the newest, which is then read again (once, at start-up).
            int newest = -1;
            uint best = 0;
            for (int s = 0; s < _slots; s++)
            {
                _flash.Read(s * _slotBytes, _slot, 0, _slotBytes);
                if (!_saved.TryDecode(_slot)) continue;
                if (newest < 0 || _saved.Sequence > best)
                {
                    newest = s;
                    best = _saved.Sequence;
                }
            }
            if (newest >= 0)
            {
                _flash.Read(newest * _slotBytes, _slot, 0, _slotBytes);
                _saved.TryDecode(_slot);
            }
            _haveSaved = newest >= 0;
            _nextSlot = newest < 0 ? 0 : (newest + 1) % _slots;
        }
    }
}
