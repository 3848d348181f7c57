namespace SolidBms.Core.Measurement
{
    /// <summary>
    /// One tick's readings, in physical units, each with its status. Arrays are sized once at start-up.
    /// An invalid reading holds NaN, so no stage can use it by mistake.
    /// Sign convention: current positive = discharge (out of the pack).
    /// </summary>
    public sealed class PackMeasurement
    {
        public PackMeasurement(int cellCount, int stackCount)
        {
            CellCount = cellCount;
            StackCount = stackCount;
            CellMillivolts = new float[cellCount];
            CellVoltageStatus = new SensorStatus[cellCount];
            CellTemperatureC = new float[cellCount];
            CellTemperatureStatus = new SensorStatus[cellCount];
            StackPressureKpa = new float[stackCount];
            StackPressureStatus = new SensorStatus[stackCount];
            _unknownValues = new float[cellCount > stackCount ? cellCount : stackCount];
            _noData = new SensorStatus[_unknownValues.Length];
            for (int i = 0; i < _unknownValues.Length; i++)
            {
                _unknownValues[i] = float.NaN;
                _noData[i] = SensorStatus.NoData;
            }
            Invalidate();
        }

        public int CellCount { get; private set; }

        public int StackCount { get; private set; }

        public long TimestampMs;

        public readonly float[] CellMillivolts;
        public readonly SensorStatus[] CellVoltageStatus;
        public readonly float[] CellTemperatureC;
        public readonly SensorStatus[] CellTemperatureStatus;
        public readonly float[] StackPressureKpa;
        public readonly SensorStatus[] StackPressureStatus;
        /// <summary>Load-side (DC link) voltage behind the contactor, mV; for precharge and weld checks.</summary>
        private readonly float[] _unknownValues; // NaN, as long as the longer of the cell and stack arrays
        private readonly SensorStatus[] _noData;   // NoData, the same length
        public float LinkMillivolts;
        public SensorStatus LinkStatus;
        public float PackCurrentA;
        public SensorStatus PackCurrentStatus;

        // PackCurrentA also holds the range limit (signed) when PackCurrentStatus is OverRange.

        /// <summary>Marks every reading "no data" (NaN) before a new acquisition.</summary>
        public void Invalidate()
        {
            // Six native copies from arrays that hold the unknown reading, not a store per cell and quantity (every tick, on
            // the device's interpreter each store is a dozen IL instructions).
            float[] nan = _unknownValues;
            SensorStatus[] noData = _noData;
            int cells = CellMillivolts.Length, stacks = StackPressureKpa.Length;
            System.Array.Copy(nan, 0, CellMillivolts, 0, cells);
            System.Array.Copy(noData, 0, CellVoltageStatus, 0, cells);
            System.Array.Copy(nan, 0, CellTemperatureC, 0, cells);
            System.Array.Copy(noData, 0, CellTemperatureStatus, 0, cells);
            System.Array.Copy(nan, 0, StackPressureKpa, 0, stacks);
            System.Array.Copy(noData, 0, StackPressureStatus, 0, stacks);
            PackCurrentA = float.NaN;
            PackCurrentStatus = SensorStatus.NoData;
            LinkMillivolts = float.NaN;
            LinkStatus = SensorStatus.NoData;
        }

        public bool AllCellVoltagesValid()
        {
            for (int i = 0; i < CellCount; i++) if (CellVoltageStatus[i] != SensorStatus.Ok) return false;
            return true;
        }

        /// <summary>Lowest valid cell voltage, NaN if none is valid.</summary>
        public float MinCellMillivolts() { return Extreme(CellMillivolts, CellVoltageStatus, false); }

        public float MaxCellMillivolts() { return Extreme(CellMillivolts, CellVoltageStatus, true); }

        public float MinTemperatureC() { return Extreme(CellTemperatureC, CellTemperatureStatus, false); }

        public float MaxTemperatureC() { return Extreme(CellTemperatureC, CellTemperatureStatus, true); }

        public float MinPressureKpa() { return Extreme(StackPressureKpa, StackPressureStatus, false); }

        public float MaxPressureKpa() { return Extreme(StackPressureKpa, StackPressureStatus, true); }

        /// <summary>Sum of the cell voltages in mV; NaN unless every cell is valid.</summary>
        public float PackMillivolts()
        {
            float sum = 0;
            for (int i = 0; i < CellCount; i++)
            {
                if (CellVoltageStatus[i] != SensorStatus.Ok) return float.NaN;
                sum += CellMillivolts[i];
            }
            return sum;
        }

        private static float Extreme(float[] values, SensorStatus[] status, bool max)
        {
            int i = ExtremeIndex(values, status, max);
            return i < 0 ? float.NaN : values[i];
        }

        /// <summary>Index of the lowest (or highest) valid value, the first on a tie; -1 when none is valid (SunSpec's cell numbers).</summary>
        public static int ExtremeIndex(float[] values, SensorStatus[] status, bool max)
        {
            int best = -1;
            float bestValue = float.NaN; // a NaN reading marked Ok is passed over as Higher/Lower do
            for (int i = 0; i < values.Length; i++)
                if (status[i] == SensorStatus.Ok && (float.IsNaN(bestValue) || (max ? values[i] > bestValue : values[i] < bestValue)))
                {
                    best = i;
                    bestValue = values[i];
                }
            return best;
        }

        /// <summary>Mean of the valid values, NaN when none is valid.</summary>
        public static float Average(float[] values, SensorStatus[] status)
        {
            float sum = 0;
            int n = 0;
            for (int i = 0; i < values.Length; i++)
                if (status[i] == SensorStatus.Ok) { sum += values[i]; n++; }
            return n == 0 ? float.NaN : sum / n;
        }

        private static float Higher(float best, float value) { return float.IsNaN(best) || value > best ? value : best; }

        private static float Lower(float best, float value) { return float.IsNaN(best) || value < best ? value : best; }

        /// <summary>
        /// The supervisor's cell figures in one pass over the cells instead of five: the same numbers as
        /// <see cref="MinCellMillivolts"/>, <see cref="MaxCellMillivolts"/>, <see cref="MinTemperatureC"/>,
        /// <see cref="MaxTemperatureC"/> and (returned) <see cref="PackMillivolts"/>; and the first cell whose voltage, and
        /// the first whose temperature, is not Ok (-1: none), which the sensor-fault monitors need (the same pass, where a
        /// scan of their own cost the device's interpreter a second walk over each status array every tick).
        /// </summary>
        public float SummariseCells(out float minMv, out float maxMv, out float minC, out float maxC, out int badMv, out int badC)
        {
            float lowMv = float.NaN, highMv = float.NaN, lowC = float.NaN, highC = float.NaN, sum = 0;
            int firstBadMv = -1, firstBadC = -1;
            float[] mv = CellMillivolts, c = CellTemperatureC;
            SensorStatus[] mvStatus = CellVoltageStatus, cStatus = CellTemperatureStatus;
            // Lower and Higher written out (x != x: NaN), the arrays in locals: the supervisor's every tick, with no call
            // per cell (each costs the device's interpreter more than the comparisons).
#pragma warning disable CS1718
            for (int i = 0; i < mv.Length; i++)
            {
                if (mvStatus[i] == SensorStatus.Ok)
                {
                    float v = mv[i];
                    if (lowMv != lowMv || v < lowMv) lowMv = v;
                    if (highMv != highMv || v > highMv) highMv = v;
                    sum += v;
                }
                else if (firstBadMv < 0) firstBadMv = i;
                if (cStatus[i] == SensorStatus.Ok)
                {
                    float t = c[i];
                    if (lowC != lowC || t < lowC) lowC = t;
                    if (highC != highC || t > highC) highC = t;
                }
                else if (firstBadC < 0) firstBadC = i;
            }
#pragma warning restore CS1718
            minMv = lowMv; maxMv = highMv; minC = lowC; maxC = highC; badMv = firstBadMv; badC = firstBadC;
            return firstBadMv < 0 ? sum : float.NaN;
        }
    }
}
