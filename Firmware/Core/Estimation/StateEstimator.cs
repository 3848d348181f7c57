using SolidBms.Core.Config;
using SolidBms.Core.Measurement;
using SolidBms.Core.Util;

namespace SolidBms.Core.Estimation
{
    /// <summary>
    /// State of charge per cell by coulomb counting from a starting point (told, or read off the OCV curve
    /// at the first complete measurement), and the pack SOC combined from the cells.
    /// Charge is accumulated as an integer (microamp-milliseconds): a float sum of 864,000 ticks a day would
    /// drift by points of SOC from rounding alone.
    /// </summary>
    public sealed class StateEstimator
    {
        private readonly CellModel _cell;
        private readonly float[] _initialSoc;
        private readonly float[] _cellSoc;
        private long _dischargedMicroampMs;
        private bool _initialised;
        private float _pendingInitialSoc = float.NaN;

        public StateEstimator(CellModel cell, int cellCount)
        {
            _cell = cell;
            _initialSoc = new float[cellCount];
            _cellSoc = new float[cellCount];
            PackSoc = float.NaN;
            for (int i = 0; i < cellCount; i++) _cellSoc[i] = float.NaN;
        }

        public bool Initialised { get { return _initialised; } }

        /// <summary>Pack SOC 0..1 (NaN until initialised), see <see cref="CombineCells"/>.</summary>
        public float PackSoc { get; private set; }

        public float CellSoc(int cell) { return _cellSoc[cell]; }

        /// <summary>Charge counted since the starting point, Ah (positive = discharged).</summary>
        public double DischargedAh { get { return _dischargedMicroampMs / 3.6e12; } }

        /// <summary>Tells the estimator where every cell starts (a commissioning value); used at the next update.</summary>
        public bool TrySetInitialSoc(float soc)
        {
            if (FastMath.IsBad(soc) || soc < 0f || soc > 1f) return false;
            _pendingInitialSoc = soc;
            _initialised = false;
            return true;
        }

        public void Update(PackMeasurement m, int elapsedMs)
        {
            if (!_initialised)
            {
                if (!TryInitialise(m)) return;
            }
            else if (m.PackCurrentStatus == SensorStatus.Ok && !FastMath.IsBad(m.PackCurrentA) && elapsedMs > 0)
            {
                // An invalid current is not counted: the supervisor raises the sensor fault; guessing would hide it.
                _dischargedMicroampMs += (long)(m.PackCurrentA * 1e6f) * elapsedMs;
            }
            double capacityMicroampMs = _cell.CapacityAh * 3.6e12;
            double delta = _dischargedMicroampMs / capacityMicroampMs;
            for (int i = 0; i < _cellSoc.Length; i++)
                _cellSoc[i] = (float)FastMath.Clamp(_initialSoc[i] - delta, 0.0, 1.0);
            PackSoc = CombineCells(_cellSoc);
        }

        private bool TryInitialise(PackMeasurement m)
        {
            if (!float.IsNaN(_pendingInitialSoc))
            {
                for (int i = 0; i < _initialSoc.Length; i++) _initialSoc[i] = _pendingInitialSoc;
                _pendingInitialSoc = float.NaN;
            }
            else
            {
                // OCV guess: only valid at rest, which is how the pack sits at power-up.
                if (!m.AllCellVoltagesValid()) return false;
                for (int i = 0; i < _initialSoc.Length; i++)
                {
                    float t = m.CellTemperatureStatus[i] == SensorStatus.Ok ? m.CellTemperatureC[i] : 25f;
                    _initialSoc[i] = _cell.SocFromOcv(m.CellMillivolts[i], t);
                }
            }
            _dischargedMicroampMs = 0;
            _initialised = true;
            return true;
        }

        /// <summary>
        /// Pack SOC from cell SOCs: min / (1 - (max - min)). It reads 0 when the emptiest cell is empty and 1
        /// when the fullest is full, so it never promises charge or room the weakest cell cannot give.
        /// </summary>
        public static float CombineCells(float[] cellSoc)
        {
            float min = 1f, max = 0f;
            for (int i = 0; i < cellSoc.Length; i++)
            {
                if (float.IsNaN(cellSoc[i])) return float.NaN;
                min = FastMath.Min(min, cellSoc[i]);
                max = FastMath.Max(max, cellSoc[i]);
            }
            float span = 1f - (max - min);
            return span <= 0f ? 0.5f : FastMath.Clamp(min / span, 0f, 1f);
        }
    }
}
