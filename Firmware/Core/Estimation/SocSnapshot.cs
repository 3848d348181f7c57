using SolidBms.Core.Util;

namespace SolidBms.Core.Estimation
{
    /// <summary>
    /// The estimator's state that a reset must not lose, per cell: SOC, its standard deviation, the hysteresis state
    /// (h, the instantaneous term's sign, how unsure h is), the filter's slow RC voltage and the diffusion shift, plus the current sensor's
    /// learnt offset. Fixed-size arrays,
    /// sized once; <see cref="Encode"/> and <see cref="TryDecode"/> use a caller's buffer and allocate nothing.
    /// Flash layout (little endian), <see cref="SlotBytes"/> long:
    /// [0] 0x53 marker, [1] format version, [2] cell count, [3] reserved 0, [4..7] sequence, [8..11] cell capacity mAh
    /// (which cell file wrote it), [12..13] current offset 0.1 mA (int16), [14..15] reserved 0, then 11 bytes per cell:
    /// SOC and SOC sigma (uint16, 1/65535), h (int8, 1/127), sign (int8), h uncertainty (uint8, 1/255), V2 (int16, 0.1 mV),
    /// diffusion shift (uint16, 1/65535 of SOC); then CRC-16. Version 2 (9 bytes per cell, no shift) is read with a shift
    /// of 0; version 1 (7 bytes per cell, no V2) is not read: its start is a cold one.
    /// </summary>
    public sealed class SocSnapshot
    {
        public const byte Marker = 0x53, FormatVersion = 3, PreviousFormatVersion = 2;
        public const int HeaderBytes = 16, BytesPerCell = 11, PreviousBytesPerCell = 9;

        public readonly int CellCount;
        public readonly float[] Soc, SocSigma, H, HSign, HUncertainty;
        /// <summary>
        /// The filter's slow RC voltage, mV (tau2, up to hours on a real cell): it holds tens of mV under a drive's load that a
        /// start cannot see. The fast one (tau1, seconds to a minute) is not kept: it has moved by the time a reset is over.
        /// </summary>
        public readonly float[] V2Millivolts;
        /// <summary>The diffusion shift d, SOC (<see cref="Config.CellModel.StepDiffusion"/>): under load it relaxes over tens of minutes.</summary>
        public readonly float[] DiffusionSoc;
        public uint Sequence;
        public uint CapacityMilliampHours;
        public float CurrentOffsetA;

        public SocSnapshot(int cellCount)
        {
            CellCount = cellCount;
            Soc = new float[cellCount];
            SocSigma = new float[cellCount];
            H = new float[cellCount];
            HSign = new float[cellCount];
            HUncertainty = new float[cellCount];
            V2Millivolts = new float[cellCount];
            DiffusionSoc = new float[cellCount];
        }

        /// <summary>Bytes of one record: header, cells and CRC, rounded up to a power of two (at least 64) so slots tile a flash block.</summary>
        public static int SlotBytesFor(int cellCount)
        {
            int need = HeaderBytes + BytesPerCell * cellCount + 2;
            int slot = 64;
            while (slot < need) slot <<= 1;
            return slot;
        }

        public int SlotBytes { get { return SlotBytesFor(CellCount); } }

        /// <summary>Bytes a record really uses (header, cells, CRC): what is written; the rest of its slot stays erased.</summary>
        public int RecordBytes { get { return CrcOffset + 2; } }

        /// <summary>Where the record's CRC-16 (of every byte before it) sits.</summary>
        private int CrcOffset { get { return CrcOffsetFor(BytesPerCell); } }

        private int CrcOffsetFor(int bytesPerCell) { return HeaderBytes + bytesPerCell * CellCount; }

        public void CopyFrom(SocSnapshot other)
        {
            for (int i = 0; i < CellCount; i++)
            {
                Soc[i] = other.Soc[i]; SocSigma[i] = other.SocSigma[i];
                H[i] = other.H[i]; HSign[i] = other.HSign[i]; HUncertainty[i] = other.HUncertainty[i];
                V2Millivolts[i] = other.V2Millivolts[i];
                DiffusionSoc[i] = other.DiffusionSoc[i];
            }
            Sequence = other.Sequence;
            CapacityMilliampHours = other.CapacityMilliampHours;
            CurrentOffsetA = other.CurrentOffsetA;
        }

        /// <summary>Writes the record into buffer[0..RecordBytes), every byte of it (what follows in the slot is left as it is).</summary>
        public void Encode(byte[] buffer)
        {
            int end = CrcOffset;
            buffer[0] = Marker;
            buffer[1] = FormatVersion;
            buffer[2] = (byte)CellCount;
            buffer[3] = 0;
            PutU32(buffer, 4, Sequence);
            PutU32(buffer, 8, CapacityMilliampHours);
            int offsetDeciMa = (int)FastMath.Clamp(CurrentOffsetA * 10000f, -32767f, 32767f);
            buffer[12] = (byte)offsetDeciMa;
            buffer[13] = (byte)(offsetDeciMa >> 8);
            buffer[14] = 0;
            buffer[15] = 0;
            int p = HeaderBytes;
            for (int i = 0; i < CellCount; i++)
            {
                PutU16(buffer, p, Unit16(Soc[i]));
                PutU16(buffer, p + 2, Unit16(SocSigma[i]));
                buffer[p + 4] = (byte)(sbyte)FastMath.Clamp(H[i] * 127f, -127f, 127f);
                buffer[p + 5] = (byte)(sbyte)(HSign[i] > 0f ? 1 : HSign[i] < 0f ? -1 : 0);
                buffer[p + 6] = (byte)(FastMath.Clamp(HUncertainty[i], 0f, 1f) * 255f + 0.5f);
                PutU16(buffer, p + 7, DeciMillivolts(V2Millivolts[i]));
                PutU16(buffer, p + 9, Unit16(DiffusionSoc[i]));
                p += BytesPerCell;
            }
            PutU16(buffer, end, Crc16.Compute(buffer, 0, end));
        }

        /// <summary>
        /// Reads a record for this cell count from buffer[0..RecordBytes); false for an erased slot, a torn write (CRC), another
        /// format or another cell count. The snapshot is left unchanged unless it returns true.
        /// </summary>
        public bool TryDecode(byte[] buffer)
        {
            if (buffer[0] != Marker || buffer[2] != CellCount) return false;
            int perCell = buffer[1] == FormatVersion ? BytesPerCell : buffer[1] == PreviousFormatVersion ? PreviousBytesPerCell : 0;
            if (perCell == 0) return false;
            int end = CrcOffsetFor(perCell);
            if (Crc16.Compute(buffer, 0, end) != (ushort)(buffer[end] | (buffer[end + 1] << 8))) return false;
            Sequence = GetU32(buffer, 4);
            CapacityMilliampHours = GetU32(buffer, 8);
            CurrentOffsetA = (short)(buffer[12] | (buffer[13] << 8)) / 10000f;
            int p = HeaderBytes;
            for (int i = 0; i < CellCount; i++)
            {
                Soc[i] = (buffer[p] | (buffer[p + 1] << 8)) / 65535f;
                SocSigma[i] = (buffer[p + 2] | (buffer[p + 3] << 8)) / 65535f;
                H[i] = (sbyte)buffer[p + 4] / 127f;
                HSign[i] = (sbyte)buffer[p + 5];
                HUncertainty[i] = buffer[p + 6] / 255f;
                V2Millivolts[i] = (short)(buffer[p + 7] | (buffer[p + 8] << 8)) / 10f;
                DiffusionSoc[i] = perCell == BytesPerCell ? (buffer[p + 9] | (buffer[p + 10] << 8)) / 65535f : 0f;
                p += perCell;
            }
            return true;
        }

        /// <summary>mV as int16 tenths of a mV (+-3.2 V), NaN as 0.</summary>
        private static int DeciMillivolts(float mv)
        {
            if (FastMath.IsBad(mv)) return 0;
            float x = FastMath.Clamp(mv * 10f, -32767f, 32767f);
            return (int)(x < 0f ? x - 0.5f : x + 0.5f); // rounded: a cast alone truncates towards zero
        }

        private static int Unit16(float x) { return (int)(FastMath.Clamp(x, 0f, 1f) * 65535f + 0.5f); }

        private static void PutU16(byte[] b, int at, int v) { b[at] = (byte)v; b[at + 1] = (byte)(v >> 8); }

        private static void PutU32(byte[] b, int at, uint v)
        {
            b[at] = (byte)v; b[at + 1] = (byte)(v >> 8); b[at + 2] = (byte)(v >> 16); b[at + 3] = (byte)(v >> 24);
        }

        private static uint GetU32(byte[] b, int at)
        {
            return (uint)(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24));
        }
    }
}
