using SolidBms.Core.Config;
using SolidBms.Core.Measurement;
using SolidBms.Core.Util;

namespace SolidBms.Core.Estimation
{
    /// <summary>
    /// State estimation for every cell, once per tick: SOC by an extended Kalman filter on the cell model
    /// (<see cref="CellEkf"/>), current-sensor offset learnt at rest, a rest-OCV correction, R0 from current
    /// steps (<see cref="ResistanceEstimator"/>), capacity from charge between rest points
    /// (<see cref="CapacityEstimator"/>), and the state-of-power current limits (<see cref="PowerLimits"/>).
    /// Plain coulomb counting runs alongside (integer charge, nominal capacity, raw current) for comparison.
    /// Everything is sized in the constructor; <see cref="Update"/> allocates nothing.
    /// Design and tuning: docs/estimation.md.
    /// </summary>
    public sealed class StateEstimator
    {
        // ---- tuning (reasoning in docs/estimation.md) ----
        /// <summary>Cell-voltage measurement noise assumed by the filter, mV (ADC noise, quantisation, OCV table error).</summary>
        public const float VoltageSigmaMv = 2f;
        /// <summary>
        /// Relative error of the cell model's impedance, so the voltage model's error grows with |I|: 5 % once the
        /// cell's own R0 is measured, 30 % before (an aged or low-pressure cell can be that far off the cell file).
        /// </summary>
        public const float ImpedanceErrorFraction = 0.05f, UnmeasuredImpedanceErrorFraction = 0.1f;
        /// <summary>
        /// Current error the SOC prediction allows for: A, plus a fraction of |I| (sensor gain) on top of the capacity
        /// estimate's own relative uncertainty (5 % before the first capacity update).
        /// </summary>
        public const float ProcessCurrentSigmaA = 0.05f, ProcessCurrentGainFraction = 0.005f;
        /// <summary>
        /// Weight of the capacity's relative uncertainty in the SOC process noise. A capacity error is a bias: its SOC
        /// error grows with the charge moved, faster than the random walk a white process noise models, so it is
        /// counted three times over (chosen on soc-capacity-25c, checked on all bench scenarios).
        /// </summary>
        public const float CapacityBiasFactor = 3f;
        /// <summary>
        /// RC-state process noise, mV per step. Small on purpose: V1 and V2 follow from the current through the model;
        /// loose RC states soak up slow SOC drift (capacity error) that belongs in the SOC.
        /// </summary>
        public const float RcProcessSigmaMv = 0.005f;
        /// <summary>The rest correction assumes the filter's SOC is no better than this (its covariance does not know the model's errors).</summary>
        public const float RestFloorSigma = 0.01f;
        /// <summary>SOC uncertainty of a start from OCV (pack assumed rested) and of a told start.</summary>
        public const float OcvStartSigma = 0.05f, ToldStartSigma = 0.3f;
        /// <summary>Rest needed before the OCV pulls the SOC: at least this, and 2 tau2 at the cell's temperature, ms.</summary>
        public const int RestMinMs = 600000;
        /// <summary>While resting, the OCV correction repeats this often, ms.</summary>
        public const int RestRepeatMs = 1800000;
        /// <summary>Temperature change that refreshes a cell's cached model values (R, tau, exponentials), C.</summary>
        public const float CacheTemperatureStepC = 0.25f;
        /// <summary>
        /// Cells whose slow work runs in a tick: the temperature-dependent model refresh (when the temperature moved by
        /// more than <see cref="CacheTemperatureStepC"/>) and the state-of-power prediction. The cells take turns, so
        /// each is refreshed every ceil(cells / this) ticks (0.8 s for 16 cells at 100 ms) and no tick pays for all:
        /// the temperature moves slowly, while its sensor noise crossed the step every few ticks (on the BQ76952
        /// board a third of all cell updates refreshed the model when this ran per cell per tick).
        /// </summary>
        public const int SlowCellsPerTick = 2;
        /// <summary>SOC change that refreshes a cell's cached SOC factors of the impedance (a table look-up each), 0..1.</summary>
        public const float CacheSocStep = 0.01f;
        /// <summary>Weight of the past in the between-steps voltage average (about 9 ticks of memory).</summary>
        public const float VoltageSmoothing = 0.8f;
        /// <summary>Rest before the current reading counts as the sensor's offset, ms; the offset's filter time constant, s.</summary>
        public const int OffsetRestMs = 60000;
        public const float OffsetTauS = 60f;
        /// <summary>Largest offset learnt, A: a bigger zero error is a sensor fault, not an offset.</summary>
        public const float OffsetLimitA = 0.2f;

        private readonly CellModel _cell;
        private readonly int _n;
        private readonly float[] _initialSoc;
        private readonly float[] _ccSoc;
        private readonly float[] _cellSoc;
        private readonly CellEkf[] _ekf;
        private readonly ResistanceEstimator[] _r0;
        private readonly CapacityEstimator[] _capacity;
        private readonly float[] _lastTempC;
        private readonly float[] _lastMv;
        private readonly float[] _v1Open, _v2Open; // RC voltages from the model alone (no Kalman correction), mV
        private readonly float[] _smoothMv;        // the cell voltage averaged between current steps, mV (less noise before a step)
        private readonly float[] _r0Now, _r1Now, _r2Now, _tau1Now, _tau2Now, _slopeNow, _tempNow;
        // Temperature-dependent model values per cell, refreshed only when the temperature moves by more than
        // CacheTemperatureStepC or the tick length changes: table look-ups and exponentials are the costly part of a
        // tick on the ESP32's interpreter, and the temperature changes slowly.
        private readonly float[] _cacheT, _r0Model, _r1Model, _r2Model, _a1, _a2, _e1, _e2, _eTau1, _eTau2;
        private readonly int[] _cacheDtMs;
        // SOC-dependent impedance multipliers per cell (cell file [impedance] socPoints), refreshed only when the SOC moves
        // by CacheSocStep, and the charge-transfer numbers (per temperature, refreshed with the temperature cache).
        private readonly float[] _cacheSoc, _f0, _f1, _f2, _ctFraction, _halfInvI0;
        private float _cacheHorizonS = float.NaN;
        private readonly float[] _ocvNow, _ocvSoc;
        private readonly int[] _ocvSocHint; // each cell's SOC interval of the OCV table (look-ups start there)
        private readonly float[] _kPrev; // each cell's R0 current factor at the last tick's current (NaN: work it out)
        private readonly int[] _restAppliedAtMs;
        private readonly PowerLimits _limits;
        // The first cell whose slow work runs this tick (SlowCellsPerTick cells from here, wrapping); moves every Update.
        private int _slowSlot;
        private int _slowCount; // SlowCellsPerTick, or fewer cells
        // The profile and horizon the per-cell SOP limits were computed with: a change recomputes every cell at once.
        private LimitProfile _sopProfile;
        private bool _sopPrimed;
        private readonly float _r0ModelAt25;
        private long _dischargedMicroampMs;
        private long _countedMicroampMs;
        private float _ccDropSoc; // DischargedAh / nominal capacity, this tick
        private float _lastCurrentA = float.NaN;
        // Rest for the OCV correction (|corrected current| below idle) and the offset learner's quiet band
        // (raw reading steady); both tolerate isolated noisy readings (QuietPeriod).
        private readonly QuietPeriod _rest = new QuietPeriod();
        private readonly QuietPeriod _offsetRest = new QuietPeriod();
        private bool _restReadingQuiet; // this tick's own reading is inside the rest band (an outlier tick never corrects)
        private float _offsetRestStartA;
        private float _idleA = 0.05f;
        private bool _initialised;
        private float _pendingInitialSoc = float.NaN;

        public StateEstimator(CellModel cell, int cellCount)
        {
            _cell = cell;
            _n = cellCount;
            _initialSoc = new float[cellCount];
            _ccSoc = new float[cellCount];
            _cellSoc = new float[cellCount];
            _ekf = new CellEkf[cellCount];
            _r0 = new ResistanceEstimator[cellCount];
            _capacity = new CapacityEstimator[cellCount];
            _lastTempC = new float[cellCount];
            _lastMv = new float[cellCount];
            _v1Open = new float[cellCount];
            _v2Open = new float[cellCount];
            _smoothMv = new float[cellCount];
            _r0Now = new float[cellCount];
            _r1Now = new float[cellCount];
            _r2Now = new float[cellCount];
            _tau1Now = new float[cellCount];
            _tau2Now = new float[cellCount];
            _slopeNow = new float[cellCount];
            _tempNow = new float[cellCount];
            _restAppliedAtMs = new int[cellCount];
            _cacheT = new float[cellCount];
            _r0Model = new float[cellCount];
            _r1Model = new float[cellCount];
            _r2Model = new float[cellCount];
            _a1 = new float[cellCount];
            _a2 = new float[cellCount];
            _e1 = new float[cellCount];
            _e2 = new float[cellCount];
            _eTau1 = new float[cellCount];
            _eTau2 = new float[cellCount];
            _cacheDtMs = new int[cellCount];
            _cacheSoc = new float[cellCount];
            _f0 = new float[cellCount];
            _f1 = new float[cellCount];
            _f2 = new float[cellCount];
            _ctFraction = new float[cellCount];
            _halfInvI0 = new float[cellCount];
            _ocvNow = new float[cellCount];
            _ocvSoc = new float[cellCount];
            _ocvSocHint = new int[cellCount];
            _kPrev = new float[cellCount];
            _bleedA = new float[cellCount];
            _bledMicroampMs = new long[cellCount];
            _limits = new PowerLimits(cellCount);
            _slowCount = cellCount < SlowCellsPerTick ? cellCount : SlowCellsPerTick;
            for (int i = 0; i < cellCount; i++)
            {
                _ekf[i] = new CellEkf();
                _r0[i] = new ResistanceEstimator();
                _capacity[i] = new CapacityEstimator(cell.CapacityAh);
                _cellSoc[i] = float.NaN;
                _ccSoc[i] = float.NaN;
                _lastTempC[i] = float.NaN;
                _lastMv[i] = float.NaN;
            }
            _r0ModelAt25 = cell.R0MilliOhmAt(25f);
            PackSoc = float.NaN;
            R0GrowthPercentMax = float.NaN;
            _limits.Clear();
        }

        public bool Initialised { get { return _initialised; } }

        private readonly float[] _bleedA;
        // Charge each cell has bled since start-up (uA ms): the cell lost it on top of the pack's counted charge, so a
        // capacity anchor must count it too, or a bleeding cell's capacity reads low by the bled share.
        private readonly long[] _bledMicroampMs;

        /// <summary>
        /// Bleed (balancing) current of one cell, A: it discharges that cell alone, past the pack's current sensor, so the
        /// cell's SOC prediction and voltage model use pack current plus this (set by the balancing stage; 0 when off).
        /// </summary>
        public void SetCellBleedCurrent(int cell, float amps) { _bleedA[cell] = FastMath.IsBad(amps) ? 0f : amps; }

        /// <summary>Pack SOC 0..1 (NaN until initialised), see <see cref="CombineCells"/>.</summary>
        public float PackSoc { get; private set; }

        public float CellSoc(int cell) { return _cellSoc[cell]; }

        /// <summary>Pack SOC by plain coulomb counting (raw current, nominal capacity) from the same start: the comparison.</summary>
        public float CoulombCountSoc { get { return CombineCells(_ccSoc); } } // combined when read: a comparison, not used by the tick

        /// <summary>Charge counted since the starting point from the raw current, Ah (positive = discharged).</summary>
        public double DischargedAh { get { return _dischargedMicroampMs / 3.6e12; } }

        /// <summary>The current sensor's learnt zero offset, A (subtracted before use).</summary>
        public float CurrentOffsetA { get; private set; }

        /// <summary>Current after offset compensation, A (NaN when the reading is invalid).</summary>
        public float CorrectedCurrentA { get; private set; }

        /// <summary>Largest R0 growth over the cells against their commissioning baselines, percent (NaN until known).</summary>
        public float R0GrowthPercentMax { get; private set; }

        /// <summary>SOP limits of this tick, A (0 until initialised); the controller reports min(these, the supervisor's).</summary>
        public float ChargeLimitA { get { return _limits.ChargeLimitA; } }

        public float DischargeLimitA { get { return _limits.DischargeLimitA; } }

        public PowerLimits Limits { get { return _limits; } }

        public CellEkf Filter(int cell) { return _ekf[cell]; }

        public ResistanceEstimator Resistance(int cell) { return _r0[cell]; }

        public CapacityEstimator Capacity(int cell) { return _capacity[cell]; }

        /// <summary>Estimated R0 of a cell at its present temperature, mOhm (NaN before the first current step).</summary>
        public float CellR0MilliOhm(int cell)
        {
            float at25 = _r0[cell].R0At25MilliOhm;
            if (float.IsNaN(at25)) return float.NaN;
            return at25 * _cell.R0MilliOhmAt(TemperatureOf(cell)) / _r0ModelAt25;
        }

        public float CellCapacityAh(int cell) { return _capacity[cell].CapacityAh; }

        /// <summary>Rest corrections applied so far, all cells (for reports and tests).</summary>
        public int RestCorrections { get; private set; }

        /// <summary>Tells the estimator where every cell starts (a commissioning value); used at the next update.</summary>
        public bool TrySetInitialSoc(float soc)
        {
            if (FastMath.IsBad(soc) || soc < 0f || soc > 1f) return false;
            _pendingInitialSoc = soc;
            _initialised = false;
            return true;
        }

        /// <summary>First of the cells whose slow work (model refresh, SOP) runs in this tick (for tests).</summary>
        public int SlowSlot { get { return _slowSlot; } }

        /// <summary>The temperature a cell's model values (R, tau, exponentials) were last taken at, C (NaN before).</summary>
        public float ModelTemperatureC(int cell) { return _cacheT[cell]; }

        /// <summary>Whether a cell's slow work runs in this tick (<see cref="SlowCellsPerTick"/>).</summary>
        public bool IsSlowCellDue(int cell)
        {
            int k = cell - _slowSlot;
            if (k < 0) k += _n;
            return k < _slowCount;
        }

        public void Update(PackMeasurement m, int elapsedMs)
        {
            // The slow slot moves every tick, whatever the readings: the refresh rate is the tick rate, not the data's.
            if (_n > 0)
            {
                _slowSlot += _slowCount;
                if (_slowSlot >= _n) _slowSlot -= _n;
            }
            if (!_initialised)
            {
                if (!TryInitialise(m)) return;
                Publish();
                return;
            }
            float dt = elapsedMs / 1000f;
            bool currentOk = m.PackCurrentStatus == SensorStatus.Ok && !FastMath.IsBad(m.PackCurrentA) && elapsedMs > 0;
            if (!currentOk)
            {
                // An invalid current is not counted: the supervisor raises the sensor fault; guessing would hide it.
                // The SOC stays, its uncertainty grows by what the rated current could have moved.
                CorrectedCurrentA = float.NaN;
                _lastCurrentA = float.NaN;
                _rest.Reset();
                _offsetRest.Reset();
                for (int i = 0; i < _n; i++)
                {
                    float q = CapacityOf(i);
                    if (q > 0 && elapsedMs > 0)
                    {
                        float d = 3f * dt / 3600f; // 3C for dt: generous, the sensor fault trips long before it matters
                        _ekf[i].InflateSoc(d * d);
                    }
                    _capacity[i].BreakAnchor();
                }
                Publish();
                return;
            }

            float raw = m.PackCurrentA;
            _dischargedMicroampMs += (long)(raw * 1e6f) * elapsedMs;
            float current = raw - CurrentOffsetA;
            CorrectedCurrentA = current;
            _countedMicroampMs += (long)(current * 1e6f) * elapsedMs;

            _restReadingQuiet = FastMath.Abs(current) < _idleA;
            _rest.Update(_restReadingQuiet, elapsedMs);
            // The offset's own rest test is on the raw reading: below OffsetLimitA and steady within +-idleA of where the
            // rest began (an offset larger than the idle current would otherwise hide every rest from its own
            // correction, and a steady small load such as a DST step leaves the band when it starts or stops).
            bool inBand = FastMath.Abs(raw) < OffsetLimitA && FastMath.Abs(raw - _offsetRestStartA) < _idleA;
            if (!_offsetRest.Update(inBand, elapsedMs)) _offsetRestStartA = raw;
            if (_offsetRest.Ms >= OffsetRestMs && inBand)
            {
                // Nothing flows at a long rest: what the sensor reads is its zero error.
                float a = FastMath.Min(1f, dt / OffsetTauS);
                CurrentOffsetA = FastMath.Clamp(CurrentOffsetA + a * (raw - CurrentOffsetA), -OffsetLimitA, OffsetLimitA);
            }

            // The plain coulomb count's SOC drop, the same for every cell (one division per tick, not per cell).
            _ccDropSoc = _cell.CapacityAh > 0 ? (float)(DischargedAh / _cell.CapacityAh) : 0f;
            int dtMs = (int)(dt * 1000f + 0.5f);
            for (int i = 0; i < _n; i++) UpdateCell(i, m, current, dt, dtMs);
            _lastCurrentA = current;
            Publish();
        }

        private void UpdateCell(int i, PackMeasurement m, float current, float dt, int dtMs)
        {
            CellEkf f = _ekf[i];
            float t = TemperatureOf(i, m);
            CapacityEstimator capacity = _capacity[i];
            float q = CapacityOf(i);
            // A new tick length refreshes at once (the exponentials depend on it); a temperature move in the cell's slow slot.
            if (float.IsNaN(_cacheT[i]) || dtMs != _cacheDtMs[i] || (FastMath.Abs(t - _cacheT[i]) > CacheTemperatureStepC && IsSlowCellDue(i)))
            {
                _cacheT[i] = t;
                _cacheDtMs[i] = dtMs;
                float r0At, r1At, tau1At, r2At, tau2At;
                _cell.ImpedanceAt(t, out r0At, out r1At, out tau1At, out r2At, out tau2At);
                _r0Model[i] = r0At; _r1Model[i] = r1At; _r2Model[i] = r2At;
                _tau1Now[i] = tau1At; _tau2Now[i] = tau2At;
                _a1[i] = (float)FastMath.Exp(-dt / _tau1Now[i]);
                _a2[i] = (float)FastMath.Exp(-dt / _tau2Now[i]);
                _cell.ChargeTransferAt(t, out _ctFraction[i], out _halfInvI0[i]);
                _kPrev[i] = float.NaN; // the factor's numbers changed with the temperature
                _cacheSoc[i] = float.NaN; // the SOC factors may have a row per temperature
            }
            if (float.IsNaN(_cacheSoc[i]) || FastMath.Abs(f.Soc - _cacheSoc[i]) > CacheSocStep)
            {
                _cacheSoc[i] = f.Soc;
                _cell.SocFactorsAt(f.Soc, t, out _f0[i], out _f1[i], out _f2[i]);
            }
            float r0Model = _r0Model[i] * _f0[i];
            // The whole impedance scales with the measured R0 (contact loss raises all interface terms).
            float scale = r0Model > 0 ? _r0[i].ImpedanceScale : 1f;
            float r0 = r0Model * scale, r1 = _r1Model[i] * _f1[i] * scale, r2 = _r2Model[i] * _f2[i] * scale;
            // R0 at this current (charge transfer falls with |I|); the SOP prediction keeps the zero-current R0 (conservative).
            bool nonlinear = _ctFraction[i] > 0; // a linear cell skips the calls (each costs microseconds on the device)
            float kNow = nonlinear ? _cell.R0CurrentFactor(current, _ctFraction[i], _halfInvI0[i]) : 1f;
            float kBefore = _kPrev[i]; // this factor at the last tick's current, kept from then: not worked out twice
            _kPrev[i] = kNow;
            float tau2 = _tau2Now[i];
            _r0Now[i] = r0; _r1Now[i] = r1; _r2Now[i] = r2; _tempNow[i] = t;
            if (!(q > 0))
            {
                // No usable capacity (a bad cell file): never divide by it; the SOC holds.
                _slopeNow[i] = _cell.OcvSlopeMillivoltsPerSoc(f.Soc, t);
                _ocvNow[i] = _cell.OcvMillivoltsAt(f.Soc, t);
                _ocvSoc[i] = f.Soc;
                return;
            }
            float a1 = _a1[i], a2 = _a2[i];

            float socBefore = f.Soc;
            float socPerAmpSecond = capacity.SocPerAmpSecond;
            float dq = (ProcessCurrentSigmaA + (ProcessCurrentGainFraction + CapacityBiasFactor * capacity.RelativeSigma) * FastMath.Abs(current)) * dt * socPerAmpSecond;
            // Open-loop RC voltages: what the model alone says, for the R0 steps and the rest OCV.
            float v1Open = _v1Open[i], v2Open = _v2Open[i];
            _v1Open[i] = a1 * v1Open + r1 * (1f - a1) * current;
            _v2Open[i] = a2 * v2Open + r2 * (1f - a2) * current;
            float rcq = RcProcessSigmaMv * RcProcessSigmaMv;
            float cellA = current + _bleedA[i]; // the cell's own current: the pack's plus its bleed
            if (_bleedA[i] != 0f) _bledMicroampMs[i] += (long)(_bleedA[i] * 1e6f) * dtMs;
            f.Predict(cellA, dt, socPerAmpSecond, r1, a1, r2, a2, dq * dq, rcq, rcq);

            // Plain coulomb count of this cell (raw current through the pack, nominal capacity).
            if (_cell.CapacityAh > 0) _ccSoc[i] = FastMath.Clamp(_initialSoc[i] - _ccDropSoc, 0f, 1f);

            float slope;
            float ocv = _cell.OcvAndSlopeAt(f.Soc, t, ref _ocvSocHint[i], out slope);
            _slopeNow[i] = slope;
            _ocvNow[i] = ocv;
            _ocvSoc[i] = f.Soc;
            bool voltageOk = m.CellVoltageStatus[i] == SensorStatus.Ok && !FastMath.IsBad(m.CellMillivolts[i]);
            if (!voltageOk)
            {
                _lastMv[i] = float.NaN;
                return;
            }
            float v = m.CellMillivolts[i];

            // R0 from the step since the last tick, with the RC and OCV changes the model predicts removed. The voltage
            // before the step is the average since the previous step (carried forward by the model's predicted change),
            // which takes most of the "before" reading's noise out of the difference.
            if (!float.IsNaN(_lastMv[i]) && !float.IsNaN(_lastCurrentA))
            {
                float dI = current - _lastCurrentA;
                // The step sees the chord of the nonlinear drop R0(I) I between the two currents.
                float chord = nonlinear && FastMath.Abs(dI) > 1e-3f
                    ? (kNow * current - (float.IsNaN(kBefore) ? _cell.R0CurrentFactor(_lastCurrentA, _ctFraction[i], _halfInvI0[i]) : kBefore) * _lastCurrentA) / dI : kNow;
                // dOCV over one tick from the local slope (the SOC moves 1e-5 a tick; a second table look-up is not worth it)
                float modelChange = slope * (f.Soc - socBefore) - (_v1Open[i] - v1Open) - (_v2Open[i] - v2Open);
                float before = float.IsNaN(_smoothMv[i]) ? _lastMv[i] : _smoothMv[i];
                // A step below MinStepA is refused by AddStep before it changes anything: not worked out on most ticks.
                if (!(FastMath.Abs(dI) < ResistanceEstimator.MinStepA))
                    _r0[i].AddStep(modelChange - (v - before), dI, _r0ModelAt25 / (r0Model * chord), _r0ModelAt25);
                _smoothMv[i] = FastMath.Abs(dI) >= ResistanceEstimator.MinStepA
                    ? v
                    : VoltageSmoothing * (before + modelChange - r0 * chord * dI) + (1f - VoltageSmoothing) * v;
            }
            else _smoothMv[i] = v;
            _lastMv[i] = v;

            float model = (_r0[i].Converged ? ImpedanceErrorFraction : UnmeasuredImpedanceErrorFraction) * (r0 * kNow + r1 + r2) * FastMath.Abs(current);
            f.Correct(v, ocv, slope, r0 * kNow, cellA, VoltageSigmaMv * VoltageSigmaMv + model * model);

            // Rest correction: after a long enough rest the relaxed OCV is a well-known SOC point.
            int restMs = _rest.Ms;
            if (restMs < RestMinMs) { _restAppliedAtMs[i] = 0; return; } // the usual case, decided before the cell's own time
            int required = RestMinMs;
            float twoTau2Ms = 2000f * tau2;
            if (twoTau2Ms > required && twoTau2Ms < int.MaxValue) required = (int)twoTau2Ms;
            if (restMs < required) { _restAppliedAtMs[i] = 0; return; }
            // The first ticks of a real load are tolerated as outliers by the rest count; their voltage is not an OCV.
            if (!_restReadingQuiet) return;
            if (_restAppliedAtMs[i] != 0 && restMs - _restAppliedAtMs[i] < RestRepeatMs) return;
            _restAppliedAtMs[i] = restMs;
            ApplyRestCorrection(i, v, t);
        }

        private void ApplyRestCorrection(int i, float v, float t)
        {
            CellEkf f = _ekf[i];
            // What polarisation the model says is left is added back: the reading is then the OCV. The open-loop
            // model is used, not the filter's RC states, which also carry the filter's corrections.
            float left = _v1Open[i] + _v2Open[i];
            float ocv = v + left;
            float soc = _cell.SocFromOcv(ocv, t);
            float slope = FastMath.Max(_cell.OcvSlopeMillivoltsPerSoc(soc, t), 50f);
            // Confidence: sensor and table error, a share of the modelled relaxation left, more in the cold
            // (slower relaxation, less certain OCV table), divided by the local slope.
            float sigmaMv = VoltageSigmaMv + 0.2f * FastMath.Abs(left) + (t < 25f ? 0.1f * (25f - t) : 0f);
            float sigmaSoc = sigmaMv / slope;
            if (f.SocSigma < RestFloorSigma) f.InflateSoc(RestFloorSigma * RestFloorSigma - f.SocVariance);
            if (f.ObserveSoc(soc, sigmaSoc * sigmaSoc))
            {
                RestCorrections++;
                _capacity[i].AddAnchor(soc, sigmaSoc, (_countedMicroampMs + _bledMicroampMs[i]) / 3.6e12);
            }
        }

        /// <summary>
        /// State of power from the estimator's state and the profile in force (see <see cref="PowerLimits"/>).
        /// Called by the controller after <see cref="Update"/>; also caches the profile's rest current. The prediction
        /// moves slowly, so it runs at the slow rate: the cells of this tick's slow slot are predicted again, and the
        /// derating tables are looked up when the slot starts over at cell 0; the first call after initialisation
        /// and a new profile compute everything at once. The supervisor's own limits and trips stay per tick.
        /// </summary>
        public void UpdatePowerLimits(PackMeasurement m, LimitProfile profile)
        {
            if (profile == null) { _limits.Clear(); _sopPrimed = false; return; }
            if (profile.IdleCurrentA > 0) _idleA = profile.IdleCurrentA;
            if (!_initialised) { _limits.Clear(); _sopPrimed = false; return; }
            float h = profile.Derating != null ? profile.Derating.HorizonS : DeratingTables.DefaultHorizonS;
            bool all = !_sopPrimed || profile != _sopProfile || h != _cacheHorizonS;
            _sopPrimed = true;
            _sopProfile = profile;
            if (all || _slowSlot == 0) UpdateTableLimits(m, profile);
            float maxMv = _cell.MaxCellMillivolts, minMv = _cell.MinCellMillivolts;
            if (profile.CellOverVoltage.Enabled) maxMv = FastMath.Min(maxMv, profile.CellOverVoltage.Warning);
            if (profile.CellUnderVoltage.Enabled) minMv = FastMath.Max(minMv, profile.CellUnderVoltage.Warning);
            bool horizonChanged = h != _cacheHorizonS;
            _cacheHorizonS = h;
            int count = all ? _n : _slowCount;
            int i = all ? 0 : _slowSlot;
            for (int k = 0; k < count; k++)
            {
                PredictCellLimits(i, h, horizonChanged, minMv, maxMv);
                if (++i == _n) i = 0;
            }
            _limits.Finish();
        }

        private void UpdateTableLimits(PackMeasurement m, LimitProfile profile)
        {
            float minSoc = 1f, maxSoc = 0f;
            for (int i = 0; i < _n; i++)
            {
                minSoc = FastMath.Min(minSoc, _cellSoc[i]);
                maxSoc = FastMath.Max(maxSoc, _cellSoc[i]);
            }
            _limits.SetTableLimits(profile, m.MinTemperatureC(), m.MaxTemperatureC(), minSoc, maxSoc, m.MinPressureKpa(), m.MaxPressureKpa());
        }

        /// <summary>One cell's voltage-limited currents over the horizon h, s (see <see cref="PowerLimits"/>).</summary>
        private void PredictCellLimits(int i, float h, bool horizonChanged, float minMv, float maxMv)
        {
            CellEkf f = _ekf[i];
            float q = CapacityOf(i);
            if (horizonChanged || _eTau1[i] != _tau1Now[i] || _eTau2[i] != _tau2Now[i])
            {
                _eTau1[i] = _tau1Now[i];
                _eTau2[i] = _tau2Now[i];
                _e1[i] = (float)FastMath.Exp(-h / _tau1Now[i]);
                _e2[i] = (float)FastMath.Exp(-h / _tau2Now[i]);
            }
            float e1 = _e1[i], e2 = _e2[i];
            // OCV at the corrected SOC from the one looked up at the predicted SOC and the local slope.
            float ocv = float.IsNaN(_ocvSoc[i]) ? _cell.OcvMillivoltsAt(f.Soc, _tempNow[i]) : _ocvNow[i] + _slopeNow[i] * (f.Soc - _ocvSoc[i]);
            float rest = ocv - f.V1Millivolts * e1 - f.V2Millivolts * e2;
            float perAmp = _r0Now[i] + _r1Now[i] * (1f - e1) + _r2Now[i] * (1f - e2)
                + (q > 0 ? _slopeNow[i] * h / (3600f * q) : 0f);
            _limits.SetCell(i, rest, perAmp, minMv, maxMv);
        }

        private float TemperatureOf(int i, PackMeasurement m)
        {
            if (m.CellTemperatureStatus[i] == SensorStatus.Ok && !FastMath.IsBad(m.CellTemperatureC[i])) _lastTempC[i] = m.CellTemperatureC[i];
            return TemperatureOf(i);
        }

        /// <summary>Last good temperature of the cell; 25 C before any (the estimate needs a number, the supervisor flags the fault).</summary>
        private float TemperatureOf(int i) { return float.IsNaN(_lastTempC[i]) ? 25f : _lastTempC[i]; }

        private float CapacityOf(int i)
        {
            float q = _capacity[i].CapacityAh;
            return FastMath.IsBad(q) ? 0f : q;
        }

        private void Publish()
        {
            float worst = float.NaN;
            for (int i = 0; i < _n; i++)
            {
                _cellSoc[i] = _ekf[i].Soc;
                float g = _r0[i].GrowthPercent;
                if (!float.IsNaN(g) && (float.IsNaN(worst) || g > worst)) worst = g;
            }
            R0GrowthPercentMax = worst;
            PackSoc = CombineCells(_cellSoc);
        }

        private bool TryInitialise(PackMeasurement m)
        {
            float sigma;
            if (!float.IsNaN(_pendingInitialSoc))
            {
                for (int i = 0; i < _n; i++) _initialSoc[i] = _pendingInitialSoc;
                _pendingInitialSoc = float.NaN;
                sigma = ToldStartSigma;
            }
            else
            {
                // OCV guess: only valid at rest, which is how the pack sits at power-up.
                if (!m.AllCellVoltagesValid()) return false;
                for (int i = 0; i < _n; i++)
                {
                    float t = m.CellTemperatureStatus[i] == SensorStatus.Ok ? m.CellTemperatureC[i] : 25f;
                    if (FastMath.IsBad(m.CellMillivolts[i])) return false;
                    _initialSoc[i] = _cell.SocFromOcv(m.CellMillivolts[i], FastMath.IsBad(t) ? 25f : t);
                }
                sigma = OcvStartSigma;
            }
            for (int i = 0; i < _n; i++)
            {
                _ekf[i].Reset(_initialSoc[i], sigma, 1f); // at rest at start-up: the RC voltages are near zero
                _ccSoc[i] = _initialSoc[i];
                _lastMv[i] = float.NaN;
                _smoothMv[i] = float.NaN;
                _cacheT[i] = float.NaN;
                _cacheSoc[i] = float.NaN;
                _kPrev[i] = float.NaN;
                _ocvSoc[i] = float.NaN;
                _v1Open[i] = 0f;
                _v2Open[i] = 0f;
                _restAppliedAtMs[i] = 0;
                _capacity[i].BreakAnchor();
                float t = TemperatureOf(i, m);
                _r0Now[i] = _cell.R0MilliOhmAt(t); _r1Now[i] = _cell.R1MilliOhmAt(t); _r2Now[i] = _cell.R2MilliOhmAt(t);
                _tau1Now[i] = _cell.Tau1SecondsAt(t); _tau2Now[i] = _cell.Tau2SecondsAt(t); _tempNow[i] = t;
                _slopeNow[i] = _cell.OcvSlopeMillivoltsPerSoc(_initialSoc[i], t);
            }
            _dischargedMicroampMs = 0;
            _lastCurrentA = float.NaN;
            _rest.Reset();
            _sopPrimed = false;
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
