using SolidBms.Core.Config;
using SolidBms.Core.Estimation;
using SolidBms.Core.Measurement;
using SolidBms.Core.Util;

namespace SolidBms.Core.Balancing
{
    /// <summary>
    /// The balancing stage (docs/balancing.md): every <see cref="BalancingSettings.PeriodMs"/> it decides which cells
    /// bleed. From the estimator's per-cell SOC and capacity it computes the charge each cell holds above the lowest
    /// cell's SOC (Ah to shed); until the estimator has converged it falls back to cell voltages after a rest. It
    /// balances in charge and at rest, in discharge only above the profile's SOC floor, never with a cell under the
    /// undervoltage warning, never while a cell is at the bleed-heat stop temperature, and stops at once on a trip or
    /// the safe state. The chosen cells respect the rig's rules (at most MaxCells, no neighbours on the BQ76952).
    /// Everything is sized at construction: a run allocates nothing.
    /// </summary>
    public sealed class CellBalancer
    {
        private readonly BalancingSettings _hw;
        private readonly ICellBleed _bleed;
        private readonly StateEstimator _estimator;
        private readonly int _n;
        private readonly float[] _excess;     // SOC mode: Ah above the lowest cell; voltage mode: mV above it
        private readonly float[] _start, _stop; // per cell thresholds in the same unit
        private readonly float[] _removedMah;
        private readonly float[] _shedAh;
        private readonly bool[] _chosen;
        private ulong _active;
        private ulong _selected; // the last cells a decision chose: their hysteresis survives a brief stop (a noisy current reading)
        private long _nextRunMs, _lastRunMs = -1, _restSinceMs = -1;
        private bool _hot, _dischargeAllowed;
        private long _loadSinceMs = -1;

        /// <summary>A rest ends only when the current has stayed above the idle current this long, ms: single noisy readings do not restart the wait.</summary>
        public const int LoadConfirmMs = 10000;

        public CellBalancer(BalancingSettings hardware, int cellCount, ICellBleed bleed, StateEstimator estimator)
        {
            _hw = hardware;
            _bleed = bleed;
            _estimator = estimator;
            _n = cellCount;
            _excess = new float[cellCount];
            _start = new float[cellCount];
            _stop = new float[cellCount];
            _removedMah = new float[cellCount];
            _shedAh = new float[cellCount];
            _chosen = new bool[cellCount];
            for (int i = 0; i < cellCount; i++) _shedAh[i] = float.NaN;
            Mode = BalancingMode.Trip;
        }

        public BalancingSettings Hardware { get { return _hw; } }

        /// <summary>Cells bleeding now, as the hardware reported it (bit i = cell i + 1).</summary>
        public ulong ActiveMask { get { return _active; } }

        public bool Bleeding { get { return _active != 0; } }

        public int ActiveCount
        {
            get
            {
                int c = 0;
                for (ulong m = _active; m != 0; m &= m - 1) c++;
                return c;
            }
        }

        /// <summary>What the last decision was based on, or why nothing bleeds.</summary>
        public BalancingMode Mode { get; private set; }

        public int Runs { get; private set; }

        /// <summary>Charge bled from each cell since start-up, mAh (bleed current from the measured voltage and the board's resistance).</summary>
        public float RemovedMilliampHours(int cell) { return _removedMah[cell]; }

        /// <summary>SOC mode: Ah the cell holds above the lowest cell's SOC at the last run; NaN otherwise.</summary>
        public float ShedAh(int cell) { return _shedAh[cell]; }

        /// <summary>Bleed current of a cell now, A (0 when it does not bleed).</summary>
        public float BleedCurrentA(int cell, PackMeasurement m)
        {
            if ((_active & (1UL << cell)) == 0) return 0f;
            float mv = m.CellVoltageStatus[cell] == SensorStatus.Ok ? m.CellMillivolts[cell] : float.NaN;
            return FastMath.IsBad(mv) ? 0f : mv / 1000f / _hw.BleedResistorOhm;
        }

        /// <summary>
        /// True when a run is due: its period has passed, or something bleeds that must stop now (a trip, the safe state,
        /// or a discharge the last decision did not allow). Per tick this is only these comparisons.
        /// </summary>
        public bool IsDue(long nowMs, bool stopNow, bool discharging)
        {
            return nowMs >= _nextRunMs || (_active != 0 && (stopNow || (discharging && !_dischargeAllowed)));
        }

        /// <param name="stopNow">A trip is latched, or the controller is in the safe state or starting up.</param>
        public void Run(PackMeasurement m, LimitProfile profile, bool stopNow, long nowMs)
        {
            Runs++;
            bool wasBleeding = _active != 0;
            AccountRemoved(m, nowMs);
            _nextRunMs = nowMs + _hw.PeriodMs;
            BalancingPolicy policy = profile.Balancing;
            ulong wanted = 0;
            Mode = Decide(m, profile, policy, stopNow, nowMs);
            if (Mode == BalancingMode.Soc || Mode == BalancingMode.Voltage) wanted = _selected = Choose();
            bool ok = _bleed.SetBleeding(wanted);
            _active = _bleed.BleedingMask;
            if (!ok) Mode = BalancingMode.HardwareRefused;
            // A discharge that stopped the bleed between periods may be one noisy current reading: decide again on the
            // next tick, so such a reading costs one tick of bleeding, not a period (a real discharge just stays off).
            if (Mode == BalancingMode.Discharge && wasBleeding) _nextRunMs = nowMs + 1;
            for (int i = 0; i < _n; i++) _estimator.SetCellBleedCurrent(i, BleedCurrentA(i, m));
        }

        private void AccountRemoved(PackMeasurement m, long nowMs)
        {
            if (_lastRunMs >= 0 && _active != 0)
            {
                float hours = (nowMs - _lastRunMs) / 3600000f;
                for (int i = 0; i < _n; i++) _removedMah[i] += BleedCurrentA(i, m) * 1000f * hours;
            }
            _lastRunMs = nowMs;
        }

        private BalancingMode Decide(PackMeasurement m, LimitProfile profile, BalancingPolicy policy, bool stopNow, long nowMs)
        {
            for (int i = 0; i < _n; i++) _shedAh[i] = float.NaN;
            _dischargeAllowed = false;
            if (stopNow) return BalancingMode.Trip;
            if (policy == null || !policy.Enabled) return BalancingMode.Disabled;
            bool currentOk = m.PackCurrentStatus == SensorStatus.Ok && !FastMath.IsBad(m.PackCurrentA);
            if (!currentOk || !m.AllCellVoltagesValid()) return BalancingMode.SensorFault;
            float maxT = float.MinValue;
            for (int i = 0; i < _n; i++)
            {
                if (m.CellTemperatureStatus[i] != SensorStatus.Ok || FastMath.IsBad(m.CellTemperatureC[i])) return BalancingMode.SensorFault;
                if (m.CellTemperatureC[i] > maxT) maxT = m.CellTemperatureC[i];
                if (m.CellMillivolts[i] < profile.CellUnderVoltage.Warning) return BalancingMode.UnderVoltage;
            }
            if (maxT >= policy.StopTemperatureC) _hot = true;
            else if (maxT <= policy.StopTemperatureC - policy.TemperatureHysteresisC) _hot = false;
            if (_hot) return BalancingMode.Temperature;

            float current = m.PackCurrentA;
            bool resting = FastMath.Abs(current) < profile.IdleCurrentA;
            // A rest ends when the current has stayed above the idle current for LoadConfirmMs: a noisy reading of the
            // current sensor (tens of mA, now and then above the idle current) must not restart a half-hour wait.
            if (resting) { _loadSinceMs = -1; if (_restSinceMs < 0) _restSinceMs = nowMs; }
            else
            {
                if (_loadSinceMs < 0) _loadSinceMs = nowMs;
                if (_restSinceMs >= 0 && nowMs - _loadSinceMs < LoadConfirmMs) resting = true;
                else _restSinceMs = -1;
            }
            bool converged = policy.SocBased && Converged(policy);
            if (current > profile.IdleCurrentA)
            {
                float minSoc = converged ? MinCellSoc() : float.NaN;
                if (!(minSoc * 100f >= policy.DischargeSocFloorPercent)) return BalancingMode.Discharge;
                _dischargeAllowed = true;
            }
            if (converged)
            {
                ComputeSocExcess(policy);
                return BalancingMode.Soc;
            }
            if (!resting || nowMs - _restSinceMs < policy.VoltageRestS * 1000L) return BalancingMode.WaitingForRest;
            ComputeVoltageExcess(m, policy);
            return BalancingMode.Voltage;
        }

        /// <summary>Every cell's SOC known with a standard deviation at or below the profile's figure, and a capacity.</summary>
        private bool Converged(BalancingPolicy policy)
        {
            if (!_estimator.Initialised) return false;
            float limit = policy.ConvergedSigmaPercent / 100f;
            for (int i = 0; i < _n; i++)
            {
                float soc = _estimator.CellSoc(i);
                if (FastMath.IsBad(soc) || !(_estimator.CellSocSigma(i) <= limit) || !(_estimator.CellCapacityAh(i) > 0)) return false;
            }
            return true;
        }

        private float MinCellSoc()
        {
            float min = float.MaxValue;
            for (int i = 0; i < _n; i++) min = FastMath.Min(min, _estimator.CellSoc(i));
            return min;
        }

        private void ComputeSocExcess(BalancingPolicy policy)
        {
            float minSoc = MinCellSoc();
            for (int i = 0; i < _n; i++)
            {
                float cap = _estimator.CellCapacityAh(i);
                _excess[i] = (_estimator.CellSoc(i) - minSoc) * cap;
                _shedAh[i] = _excess[i];
                _start[i] = policy.StartSocDeltaPercent / 100f * cap;
                _stop[i] = policy.StopSocDeltaPercent / 100f * cap;
            }
        }

        /// <summary>
        /// Voltage fallback: each cell's reading with its own bleed drop (bleed current through its R0) added back, so a
        /// bleeding cell is not taken for a lower one; the excess is over the lowest corrected reading.
        /// </summary>
        private void ComputeVoltageExcess(PackMeasurement m, BalancingPolicy policy)
        {
            float min = float.MaxValue;
            for (int i = 0; i < _n; i++)
            {
                float r0 = _estimator.CellR0MilliOhm(i);
                float drop = FastMath.IsBad(r0) ? 0f : BleedCurrentA(i, m) * r0;
                _excess[i] = m.CellMillivolts[i] + drop;
                min = FastMath.Min(min, _excess[i]);
            }
            for (int i = 0; i < _n; i++)
            {
                _excess[i] -= min;
                _start[i] = policy.StartMillivolts;
                _stop[i] = policy.StopMillivolts;
            }
        }

        /// <summary>
        /// Greedy choice, largest excess first: a cell qualifies above its start threshold, or above its stop threshold
        /// while it already bleeds (hysteresis); at most MaxCells, and no neighbours unless the rig allows them.
        /// </summary>
        private ulong Choose()
        {
            ulong mask = 0;
            for (int i = 0; i < _n; i++) _chosen[i] = false;
            for (int k = 0; k < _hw.MaxCells; k++)
            {
                int best = -1;
                for (int i = 0; i < _n; i++)
                {
                    if (_chosen[i]) continue;
                    bool bleeding = (_selected & (1UL << i)) != 0;
                    if (!(_excess[i] > (bleeding ? _stop[i] : _start[i]))) continue;
                    if (!_hw.AdjacentAllowed && ((i > 0 && _chosen[i - 1]) || (i < _n - 1 && _chosen[i + 1]))) continue;
                    if (best < 0 || _excess[i] > _excess[best]) best = i;
                }
                if (best < 0) break;
                _chosen[best] = true;
                mask |= 1UL << best;
            }
            return mask;
        }
    }
}
