using SolidBms.Core.Config;
using SolidBms.Core.Measurement;
using SolidBms.Core.Util;
using static SolidBms.Core.Estimation.CellEstimate;

namespace SolidBms.Core.Estimation
{
    /// <summary>
    /// State estimation for every cell, a few cells a tick in turn (<see cref="FilterCellsPerTick"/>): SOC by an extended Kalman filter on the cell model
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
        /// White current error the SOC prediction allows for: A, plus a fraction of |I| (sensor gain noise). The bias part is
        /// <see cref="BiasCurrentA"/>; the capacity's uncertainty enters through the net charge (UpdateCell).
        /// </summary>
        public const float ProcessCurrentSigmaA = 0.05f, ProcessCurrentGainFraction = 0.005f;
        /// <summary>
        /// RC-state process noise, mV per step. Small on purpose: V1 and V2 follow from the current through the model;
        /// loose RC states soak up slow SOC drift (capacity error) that belongs in the SOC.
        /// </summary>
        public const float RcProcessSigmaMv = 0.005f;
        /// <summary>The rest correction assumes the filter's SOC is no better than this (its covariance does not know the model's errors).</summary>
        public const float RestFloorSigma = 0.01f;
        /// <summary>SOC uncertainty of a start from OCV (pack assumed rested) and of a told start.</summary>
        public const float OcvStartSigma = 0.05f, ToldStartSigma = 0.3f;
        /// <summary>SOC uncertainty of a start from the voltage under load (restart while driving).</summary>
        public const float LoadedStartSigma = 0.15f;
        /// <summary>
        /// Model error assumed when the cell file gives no fit residual ([fit] voltageRmsMillivolts), mV: none, so a
        /// hand-made file is trusted as before. A floor here would also slow the cell-to-cell SOC differences that
        /// balancing acts on (most model error is common to every cell of a pack): docs/estimation.md, "Balancing note".
        /// </summary>
        public const float DefaultFitResidualMv = 0f;
        /// <summary>
        /// Share of the model's known error (fit residual, unknown hysteresis and the impedance's error at this load, mV)
        /// taken as the correction's dead band (<see cref="CellEkf.Correct(float, float, float, float, float, float, float, float)"/>).
        /// Half, not all: the residual is an RMS over whole records, not a bound, and a band of all of it stops a wrong
        /// start's convergence at its SOC worth (reference rows of `bench soc` 0.53-0.56 RMS instead of 0.10-0.26; the
        /// A123 drives gain nearly as much with half): docs/estimation.md, "How far the voltage is trusted".
        /// </summary>
        public const float BiasBandShare = 0.5f;
        /// <summary>
        /// Doubt of a saved slow RC voltage at a restart, mV plus a share of it: it decays with tau2 (an hour or more on a
        /// real cell, the A123's fit 6000 s) and a record is at most 0.25 SOC points old.
        /// </summary>
        public const float SavedSlowRcSigmaMv = 2f, SavedSlowRcSigmaShare = 0.1f;
        /// <summary>
        /// How unsure the diffusion shift d is, as a share of it: the cell file's d is fitted only where its records reached
        /// the knee and interpolated between, so the voltage it explains in the knee (slope * d, 100s of mV) is a bias of
        /// the model, not information: it joins the trust floor as slope * share * d.
        /// </summary>
        public const float DiffusionUncertaintyShare = 0.5f;
        /// <summary>
        /// The current's bias that the SOC's uncertainty grows with, linearly (A, plus a fraction of |I|, to which the
        /// capacity estimate's own relative uncertainty is added: a capacity error is a gain error of the count): a
        /// residual offset after the rest learning, the sensor's gain error, and what a sampled current misses of the
        /// real charge (0.3 % of the charge moved on the A123 drive record logged at 1 Hz, docs/estimation.md).
        /// </summary>
        public const float BiasCurrentA = 0.005f, BiasGainFraction = 0.002f;
        /// <summary>Rest needed before the OCV pulls the SOC: at least this, and 2 tau2 at the cell's temperature, ms.</summary>
        public const int RestMinMs = 600000;
        /// <summary>While resting, the OCV correction repeats this often, ms.</summary>
        public const int RestRepeatMs = 1800000;
        /// <summary>Temperature change that refreshes a cell's cached model values (R, tau, exponentials), C.</summary>
        public const float CacheTemperatureStepC = 0.25f;
        /// <summary>
        /// Cells whose filter runs in a tick (predict from the charge since the cell's last turn, correct from this tick's
        /// voltage). The cells take turns, so each is updated every ceil(cells / this) ticks (0.8 s for 16 cells at
        /// 100 ms; every tick for up to this many cells): the SOC moves about 3e-5 a tick at 1C, and the charge between
        /// a cell's turns is counted exactly (the pack's count, not a sampled current), so a turn loses nothing but the
        /// voltage readings in between. On the ESP32's interpreter a cell's turn costs about 130,000 host instructions
        /// (docs/estimation.md, "Order of one tick"): 4 cells a tick were a quarter of the tick; `bench soc` moved by
        /// under 0.05 points RMS between 4 and 2.
        /// </summary>
        public const int FilterCellsPerTick = 2;
        /// <summary>
        /// Cells whose slow work runs in a tick: the temperature-dependent model refresh (when the temperature moved by
        /// more than <see cref="CacheTemperatureStepC"/>) and the state-of-power prediction. A cell's slow work runs in
        /// every other of its filter turns, half of each turn's cells at a time, so each is refreshed every
        /// 2 ceil(cells / <see cref="FilterCellsPerTick"/>) ticks (1.6 s for 16 cells at 100 ms) and no tick pays for all:
        /// the temperature moves slowly, while its sensor noise crossed the step every few ticks (on the BQ76952
        /// board a third of all cell updates refreshed the model when this ran per cell per tick).
        /// </summary>
        public const int SlowCellsPerTick = FilterCellsPerTick / 2;
        /// <summary>
        /// A cell's filter interval must move by more than 1/this of itself (2 %: 8 ms of a 0.4 s turn) to recompute its RC
        /// decay factors; a jitter of a few ms keeps them (their error then stays under 2 % of dt / tau per turn).
        /// </summary>
        public const int IntervalTolerance = 50;
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
        private readonly float[] _ccSoc; // filled when read (CoulombCountSoc): a comparison, nothing in the tick uses it
        private readonly float[] _cellSoc; // each cell's SOC, taken after its turn (CombineCells reads the array)
        private readonly float[] _r0Growth; // each cell's R0 growth, percent, taken with it
        private readonly CellEstimate[] _cells; // everything else per cell, in one object each (CellEstimate)
        private readonly double[] _anchorsAh; // each cell's capacity anchor, Ah counted (CapacityEstimator: a double, not a float slot)
        private float _cacheHorizonS = float.NaN;
        private readonly PowerLimits _limits;
        // The first cell whose filter runs this tick (_filterCount cells from here, wrapping); moves every Update.
        private int _filterSlot;
        private readonly int _filterCount; // FilterCellsPerTick, or fewer cells
        // The cells whose slow work runs this tick (a subset of the filter's), and how many.
        private readonly int[] _slowCells;
        private int _slowCount;
        // Time since start-up and the pack's counted charge (corrected current, uA ms) at which each cell's turn reads
        // its interval: both only grow, so a cell's charge since its last turn is one subtraction.
        private long _elapsedMs;
        private bool _firstUpdate; // the update after a (re)start: every cell's turn
        // The profile and horizon the per-cell SOP limits were computed with: a change recomputes every cell at once.
        private LimitProfile _sopProfile;
        private bool _sopPrimed;
        private readonly float _r0ModelAt25;
        private readonly bool _hasHysteresis, _hasHysteresisSocFactor;
        private readonly bool _hasDiffusion;
        private long _dischargedMicroampMs;
        private long _countedMicroampMs;
        // Rest for the OCV correction (|corrected current| below idle) and the offset learner's quiet band
        // (raw reading steady); both tolerate isolated noisy readings (QuietPeriod).
        private readonly QuietPeriod _rest = new QuietPeriod();
        private readonly QuietPeriod _offsetRest = new QuietPeriod();
        private bool _restReadingQuiet; // this tick's own reading is inside the rest band (an outlier tick never corrects)
        private float _offsetRestStartA;
        private float _idleA = 0.05f;
        private bool _initialised;
        private float _pendingInitialSoc = float.NaN;
        private SocSnapshot _pendingRestore; // a saved state to start from (SocMemory), taken at the next initialisation

        public StateEstimator(CellModel cell, int cellCount)
        {
            _cell = cell;
            _n = cellCount;
            _ccSoc = new float[cellCount];
            _cellSoc = new float[cellCount];
            _r0Growth = new float[cellCount];
            _cells = new CellEstimate[cellCount];
            _anchorsAh = new double[cellCount];
            _limits = new PowerLimits(cellCount);
            _filterCount = cellCount < FilterCellsPerTick ? cellCount : FilterCellsPerTick;
            _slowCells = new int[_filterCount];
            for (int i = 0; i < cellCount; i++)
            {
                _cells[i] = new CellEstimate(cell.CapacityAh, cell.CapacityUncertaintyPercent / 100f);
                // Half of each turn's cells do their slow work in it, the other half in their next turn.
                _cells[i].I[SlowTurn] = _filterCount < 2 || i % _filterCount < (_filterCount + 1) / 2 ? 1 : 0;
                _cellSoc[i] = float.NaN;
                _r0Growth[i] = float.NaN;
                _ccSoc[i] = float.NaN;
            }
            _r0ModelAt25 = cell.R0MilliOhmAt(25f);
            _hasHysteresis = cell.HasHysteresis;
            _hasHysteresisSocFactor = cell.HasHysteresisSocFactor;
            _hasDiffusion = cell.HasDiffusion;
            PackSoc = float.NaN;
            RestoreOutcome = -1;
            R0GrowthPercentMax = float.NaN;
            _limits.Clear();
        }

        public bool Initialised { get { return _initialised; } }


        /// <summary>
        /// Bleed (balancing) current of one cell, A: it discharges that cell alone, past the pack's current sensor, so the
        /// cell's SOC prediction and voltage model use pack current plus this (set by the balancing stage; 0 when off).
        /// </summary>
        public void SetCellBleedCurrent(int cell, float amps)
        {
            CellEstimate c = _cells[cell];
            float[] cf = c.F;
            long[] cl = c.L;
            float a = FastMath.IsBad(amps) ? 0f : amps;
            if (a == cf[BleedA]) return;
            // The charge bled at the old current since it was set waits for the cell's next turn, exactly.
            cl[BleedPendingMicroampMs] += (long)(cf[BleedA] * 1e6f) * (_elapsedMs - cl[BleedSinceMs]);
            cl[BleedSinceMs] = _elapsedMs;
            cf[BleedA] = a;
        }

        /// <summary>Pack SOC 0..1 (NaN until initialised), see <see cref="CombineCells"/>.</summary>
        public float PackSoc { get; private set; }

        public float CellSoc(int cell) { return _cellSoc[cell]; }

        /// <summary>Pack SOC by plain coulomb counting (raw current, nominal capacity) from the same start: the comparison.</summary>
        public float CoulombCountSoc
        {
            get
            {
                // Worked out when read: a comparison, not used by the tick. Every cell starts at its own start SOC and
                // drops by the same raw count (nominal capacity), as it would tick by tick.
                float drop = _cell.CapacityAh > 0 ? (float)(DischargedAh / _cell.CapacityAh) : 0f;
                if (_initialised) for (int i = 0; i < _n; i++) _ccSoc[i] = FastMath.Clamp(_cells[i].F[InitialSoc] - drop, 0f, 1f);
                return CombineCells(_ccSoc);
            }
        }

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

        /// <summary>
        /// A view of a cell's filter, R0 estimate or capacity estimate over its slots (live: it reads and writes the
        /// estimator's numbers). Made per call, for tests and tools: the firmware reads the Cell* methods instead.
        /// </summary>
        public CellEkf Filter(int cell) { return new CellEkf(_cells[cell].F); }

        /// <inheritdoc cref="Filter"/>
        public ResistanceEstimator Resistance(int cell) { return new ResistanceEstimator(_cells[cell].F, _cells[cell].I); }

        /// <inheritdoc cref="Filter"/>
        public CapacityEstimator Capacity(int cell) { return new CapacityEstimator(_cells[cell].F, _cells[cell].I, _anchorsAh, cell); }

        /// <summary>Estimated R0 of a cell at its present temperature, mOhm (NaN before the first current step).</summary>
        public float CellR0MilliOhm(int cell)
        {
            float at25 = _cells[cell].F[ResistanceEstimator.R0Slot];
            if (float.IsNaN(at25)) return float.NaN;
            return at25 * _cell.R0MilliOhmAt(TemperatureOf(_cells[cell].F)) / _r0ModelAt25;
        }

        public float CellCapacityAh(int cell) { return _cells[cell].F[CapacityAh]; }

        /// <summary>A cell's SOC standard deviation (0..1), its last voltage innovation (measured - model, mV) and the hysteresis voltage in its model, mV: for traces.</summary>
        public float CellSocSigma(int cell) { return CellEkf.SigmaOf(_cells[cell].F); }

        /// <inheritdoc cref="CellSocSigma"/>
        public float CellInnovationMillivolts(int cell) { return _cells[cell].F[CellEkf.InnovationSlot]; }

        /// <inheritdoc cref="CellSocSigma"/>
        public float CellHysteresisMillivolts(int cell) { return _cells[cell].F[HystNowMv]; }

        /// <summary>A cell's filter RC voltages V1 + V2, mV: for traces.</summary>
        public float CellRcMillivolts(int cell) { float[] cf = _cells[cell].F; return cf[V1] + cf[V2]; }

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

        /// <summary>
        /// Starts the next initialisation from a saved state (<see cref="SocMemory"/>, after a reset) instead of the voltage
        /// alone: each cell's saved SOC, widened by what may have moved after it was saved, is combined with the SOC its
        /// voltage gives (hysteresis and load allowed for), and the saved hysteresis state and current offset are taken
        /// back. A saved SOC more than three combined sigmas from the voltage's on any cell (the cells were charged by
        /// something else while the firmware was off) is not used: <see cref="RestoreOutcome"/>.
        /// </summary>
        public void RestoreFrom(SocSnapshot saved)
        {
            if (saved == null || saved.CellCount != _n) return;
            _pendingRestore = saved;
            _initialised = false;
        }

        /// <summary>The last initialisation's use of a saved state: -1 none offered, else <see cref="SocMemory.Restored"/> or <see cref="SocMemory.DisagreesWithVoltage"/>.</summary>
        public int RestoreOutcome { get; private set; }

        /// <summary>
        /// Copies what a reset must not lose into a snapshot; false while any cell's SOC is unknown. The SOC sigmas (a square
        /// root each) only when <paramref name="withSigma"/>: the once-a-second compare does not need them, a record does.
        /// </summary>
        public bool CopyStateTo(SocSnapshot s, bool withSigma)
        {
            if (!_initialised || s.CellCount != _n) return false;
            for (int i = 0; i < _n; i++)
            {
                CellEstimate c = _cells[i];
                float[] cf = c.F;
                if (FastMath.IsBad(cf[Soc])) return false;
                s.Soc[i] = cf[Soc];
                if (withSigma) s.SocSigma[i] = CellEkf.SigmaOf(cf);
                s.H[i] = cf[H];
                s.HSign[i] = cf[HSign];
                s.HUncertainty[i] = cf[HUncertainty];
                s.V2Millivolts[i] = cf[V2];
                s.DiffusionSoc[i] = cf[Shift];
            }
            s.CurrentOffsetA = CurrentOffsetA;
            return true;
        }

        /// <summary>Initialised, and every cell's SOC known: a state worth keeping (<see cref="SocMemory"/>).</summary>
        public bool StateKnown()
        {
            if (!_initialised) return false;
            for (int i = 0; i < _n; i++) if (FastMath.IsBad(_cells[i].F[Soc])) return false;
            return true;
        }

        /// <summary>
        /// Whether the state moved from a saved record by at least one of the steps: a cell's SOC or hysteresis state, or
        /// the current offset (<see cref="SocMemory"/>'s once-a-second test, made on the estimator's own numbers: no copy).
        /// </summary>
        public bool MovedFrom(SocSnapshot saved, float socStep, float hStep, float offsetStepA)
        {
            if (saved.CellCount != _n) return true;
            if (FastMath.Abs(CurrentOffsetA - saved.CurrentOffsetA) >= offsetStepA) return true;
            for (int i = 0; i < _n; i++)
            {
                float[] cf = _cells[i].F;
                if (FastMath.Abs(cf[Soc] - saved.Soc[i]) >= socStep) return true;
                if (FastMath.Abs(cf[H] - saved.H[i]) >= hStep) return true;
            }
            return false;
        }

        /// <summary>First of the cells whose slow work (model refresh, SOP) runs in this tick, -1 if none (for tests).</summary>
        public int SlowSlot { get { return _slowCount > 0 ? _slowCells[0] : -1; } }

        /// <summary>Whether a cell's filter runs in this tick (<see cref="FilterCellsPerTick"/>).</summary>
        public bool IsFilterCellDue(int cell)
        {
            int k = cell - _filterSlot;
            if (k < 0) k += _n;
            return k < _filterCount;
        }

        /// <summary>The temperature a cell's model values (R, tau, exponentials) were last taken at, C (0 before the estimator starts, NaN from then until its first update).</summary>
        public float ModelTemperatureC(int cell) { return _cells[cell].F[CacheT]; }

        /// <summary>The filter interval a cell's RC decay factors were last computed for, ms (for tests).</summary>
        public int ModelIntervalMs(int cell) { return _cells[cell].I[CacheDtMs]; }

        /// <summary>Whether a cell's slow work runs in this tick (<see cref="SlowCellsPerTick"/>).</summary>
        public bool IsSlowCellDue(int cell)
        {
            for (int k = 0; k < _slowCount; k++) if (_slowCells[k] == cell) return true;
            return false;
        }

        /// <summary>Moves the filter's turn on by one tick's cells and picks the ones among them whose slow work is due.</summary>
        private void NextTurn()
        {
            if (_n == 0) return;
            _filterSlot += _filterCount;
            if (_filterSlot >= _n) _filterSlot -= _n;
            _slowCount = 0;
            int i = _filterSlot;
            for (int k = 0; k < _filterCount; k++)
            {
                CellEstimate c = _cells[i];
                int[] ci = c.I;
                if (ci[SlowTurn] != 0 || _filterCount < 2) _slowCells[_slowCount++] = i;
                ci[SlowTurn] = 1 - ci[SlowTurn];
                if (++i == _n) i = 0;
            }
        }

        public void Update(PackMeasurement m, int elapsedMs)
        {
            // The turns move every tick, whatever the readings: the refresh rate is the tick rate, not the data's.
            NextTurn();
            if (!_initialised)
            {
                if (!TryInitialise(m)) return;
                TakeAll();
                Publish();
                return;
            }
            if (elapsedMs > 0) _elapsedMs += elapsedMs; // time passes for the RC voltages whether or not the current is known
            float dt = elapsedMs / 1000f;
            bool currentOk = m.PackCurrentStatus == SensorStatus.Ok && !FastMath.IsBad(m.PackCurrentA) && elapsedMs > 0;
            if (!currentOk)
            {
                // An invalid current is not counted: the supervisor raises the sensor fault; guessing would hide it.
                // The SOC stays, its uncertainty grows by what the rated current could have moved.
                CorrectedCurrentA = float.NaN;
                _rest.Reset();
                _offsetRest.Reset();
                for (int i = 0; i < _n; i++)
                {
                    CellEstimate c = _cells[i];
                    float[] cf = c.F;
                    float q = CapacityOf(cf);
                    if (q > 0 && elapsedMs > 0)
                    {
                        float d = 3f * dt / 3600f; // 3C for dt: generous, the sensor fault trips long before it matters
                        CellEkf.InflateSoc(cf, d * d);
                    }
                    CapacityEstimator.BreakAnchor(c.I);
                    cf[LastCurrentA] = float.NaN; // no R0 step across the gap
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

            // The first update after a start takes every cell (a start's doubt is large: no cell waits its turn for the
            // first correction); from then on, this tick's turn.
            int cell = _firstUpdate ? 0 : _filterSlot;
            int count = _firstUpdate ? _n : _filterCount;
            _firstUpdate = false;
            for (int k = 0; k < count; k++)
            {
                UpdateCell(cell, m, current, elapsedMs, IsSlowCellDue(cell));
                Take(cell);
                if (++cell == _n) cell = 0;
            }
            Publish();
        }

        /// <summary>
        /// One cell's turn: the filter predicts over the time since the cell's last turn, with the charge the pack
        /// counted in it (its mean current; this tick's own when the interval is one tick) plus the cell's own bleed, and
        /// corrects from this tick's voltage at this tick's current.
        /// </summary>
        private void UpdateCell(int i, PackMeasurement m, float current, int tickMs, bool slow)
        {
            CellEstimate c = _cells[i];
            float[] cf = c.F;
            long[] cl = c.L;
            int[] ci = c.I;
            int dtMs = (int)(_elapsedMs - cl[TurnAtMs]);
            if (dtMs <= 0) return;
            float dt = dtMs / 1000f;
            long packMicroampMs = _countedMicroampMs - cl[TurnCountedMicroampMs];
            long bleedMicroampMs = cl[BleedPendingMicroampMs] + (long)(cf[BleedA] * 1e6f) * (_elapsedMs - cl[BleedSinceMs]);
            cl[TurnAtMs] = _elapsedMs;
            cl[TurnCountedMicroampMs] = _countedMicroampMs;
            cl[BleedPendingMicroampMs] = 0;
            cl[BleedSinceMs] = _elapsedMs;
            // The interval's mean pack current; over one tick, the tick's own (the count holds it to the microamp).
            float meanA = dtMs == tickMs ? current : packMicroampMs / (1e6f * dtMs);
            if (bleedMicroampMs != 0) cl[BledMicroampMs] += bleedMicroampMs;
            float cellA = meanA + (bleedMicroampMs == 0 ? 0f : bleedMicroampMs / (1e6f * dtMs)); // the cell's own: the pack's plus its bleed
            float t = TemperatureOf(cf, i, m);
            float q = CapacityOf(cf);
            // The temperature-dependent model: at the first turn, and after a temperature move, in the cell's slow turn.
            bool refresh = float.IsNaN(cf[CacheT]) || (slow && FastMath.Abs(t - cf[CacheT]) > CacheTemperatureStepC);
            if (refresh)
            {
                cf[CacheT] = t;
                float r0At, r1At, tau1At, r2At, tau2At;
                _cell.ImpedanceAt(t, out r0At, out r1At, out tau1At, out r2At, out tau2At);
                cf[R0Model] = r0At; cf[R1Model] = r1At; cf[R2Model] = r2At;
                cf[Tau1Now] = tau1At; cf[Tau2Now] = tau2At;
                _cell.ChargeTransferAt(t, out cf[CtFraction], out cf[HalfInvI0]);
                _cell.HysteresisAt(t, out cf[HystMv], out cf[HystInstantMv], out cf[HystRate]);
                _cell.DiffusionAt(t, out cf[ShiftPerC], out cf[ShiftTauS], out cf[ShiftKneeGain]);
                // The OCV's temperature rows too. The OCV moves little with temperature (the entropic term: at most 0.07 mV/K
                // on the default cell; on the fitted one up to 0.03 mV/K mid-SOC and 0.2 mV/K near full, its rows parting by
                // up to 4 mV/K only below SOC 0.05, where the curve is steepest), so a refresh step of 0.25 C moves it by
                // 0.02 to 0.05 mV away from the empty end, against the 2 mV the filter allows for voltage noise.
                ci[OcvRow] = _cell.LocateOcvRow(t, out ci[OcvRow1], out cf[OcvRowFraction]);
                cf[KPrev] = float.NaN; // the factor's numbers changed with the temperature
                cf[CacheSoc] = float.NaN; // the SOC factors may have a row per temperature
            }
            // The RC decay over the interval, with the time constants or when the interval itself moves by more than
            // 1 / IntervalTolerance: a device's ticks jitter by a millisecond or two, which would otherwise cost two
            // exponentials a turn for a change in the decay far below the model's own error.
            int intervalChangeMs = dtMs - ci[CacheDtMs];
            if (intervalChangeMs < 0) intervalChangeMs = -intervalChangeMs;
            if (refresh || intervalChangeMs * IntervalTolerance > ci[CacheDtMs])
            {
                ci[CacheDtMs] = dtMs;
                cf[A1] = (float)FastMath.Exp(-dt / cf[Tau1Now]);
                cf[A2] = (float)FastMath.Exp(-dt / cf[Tau2Now]);
                if (_hasDiffusion) cf[ShiftDecay] = (float)FastMath.Exp(-dt / cf[ShiftTauS]);
            }
            if (float.IsNaN(cf[CacheSoc]) || FastMath.Abs(cf[Soc] - cf[CacheSoc]) > CacheSocStep)
            {
                cf[CacheSoc] = cf[Soc];
                _cell.SocFactorsAt(cf[Soc], t, out cf[F0], out cf[F1], out cf[F2]);
                cf[FitResidualMv] = FitResidualMvAt(cf[Soc]);
            }
            float r0Model = cf[R0Model] * cf[F0];
            // The whole impedance scales with the measured R0 (contact loss raises all interface terms).
            float scale = r0Model > 0 ? cf[ImpedanceScale] : 1f;
            float r0 = r0Model * scale, r1 = cf[R1Model] * cf[F1] * scale, r2 = cf[R2Model] * cf[F2] * scale;
            // R0 at this current (charge transfer falls with |I|); the SOP prediction keeps the zero-current R0 (conservative).
            bool nonlinear = cf[CtFraction] > 0; // a linear cell skips the calls (each costs microseconds on the device)
            float kNow = nonlinear ? _cell.R0CurrentFactor(current, cf[CtFraction], cf[HalfInvI0]) : 1f;
            float kBefore = cf[KPrev]; // this factor at the last tick's current, kept from then: not worked out twice
            cf[KPrev] = kNow;
            float tau2 = cf[Tau2Now];
            cf[R0Now] = r0; cf[R1Now] = r1; cf[R2Now] = r2; cf[TempNow] = t;
            if (!(q > 0))
            {
                // No usable capacity (a bad cell file): never divide by it; the SOC holds.
                cf[SlopeNow] = _cell.OcvSlopeMillivoltsPerSoc(cf[Soc], t);
                cf[OcvNow] = _cell.OcvMillivoltsAt(cf[Soc], t);
                cf[OcvSoc] = cf[Soc];
                return;
            }
            float a1 = cf[A1], a2 = cf[A2];

            float socBefore = cf[Soc];
            float socPerAmpSecond = cf[SocPerAmpSecond];
            float meanAbsA = meanA < 0f ? -meanA : meanA;
            float dq = (ProcessCurrentSigmaA + ProcessCurrentGainFraction * meanAbsA) * dt * socPerAmpSecond;
            // Open-loop RC voltages: what the model alone says, for the R0 steps and the rest OCV.
            float v1Open = cf[V1Open], v2Open = cf[V2Open];
            cf[V1Open] = a1 * v1Open + r1 * (1f - a1) * meanA;
            cf[V2Open] = a2 * v2Open + r2 * (1f - a2) * meanA;
            float rcq = RcProcessSigmaMv * RcProcessSigmaMv;
            // The current's error is mostly a bias (offset, gain, a logger's sampling), whose SOC error grows with time and
            // charge rather than as a random walk: the SOC's standard deviation grows by dBias a turn, linearly. Its
            // sigma is taken in the cell's slow turn (a square root a turn would cost the interpreter for nothing).
            if (slow) cf[SocSigmaSlow] = CellEkf.SigmaOf(cf);
            float dBias = (BiasCurrentA + BiasGainFraction * meanAbsA) * dt * socPerAmpSecond;
            // A capacity error is a gain error of the count, but of the net charge since the SOC was last pinned (a rest
            // correction or the start), not of the charge moved: regeneration cancels it. Its variance grows when the
            // net SOC moved grows.
            float net = cf[NetSoc] - cellA * dt * socPerAmpSecond;
            float capacityGrowth = cf[CapacityRelativeSigma] * cf[CapacityRelativeSigma] * (net * net - cf[NetSoc] * cf[NetSoc]);
            cf[NetSoc] = net;
            CellEkf.Predict(cf, cellA, dt, socPerAmpSecond, r1, a1, r2, a2,
                dq * dq + dBias * (2f * cf[SocSigmaSlow] + dBias) + (capacityGrowth > 0f ? capacityGrowth : 0f), rcq, rcq);
            float hystMv = 0f, hystFactor = 1f;
            if (_hasHysteresis)
            {
                float hBefore = cf[H];
                cf[H] = CellModel.StepHysteresis(hBefore, cellA, dt, socPerAmpSecond, cf[HystRate]);
                cf[HSign] = CellModel.StepHysteresisSign(cf[HSign], cellA, socPerAmpSecond);
                // h's start is unknown; whatever it was, it is pulled to the branch by the same factor as the state itself.
                float toward = cellA > 0f ? -1f : 1f;
                float gap = hBefore - toward;
                if (gap != 0f) cf[HUncertainty] *= (cf[H] - toward) / gap;
                // Near full and empty a cold cell's branches part further than M says ([hysteresis] socFactor; 1 without).
                if (_hasHysteresisSocFactor) hystFactor = _cell.HysteresisSocFactorAt(cf[Soc], t);
                hystMv = (cf[HystMv] * cf[H] + cf[HystInstantMv] * cf[HSign]) * hystFactor;
            }
            cf[HystNowMv] = hystMv;
            // The voltage follows the OCV at the particles' surface, d behind the counted SOC (0 without [diffusion]).
            if (_hasDiffusion)
                cf[Shift] = CellModel.StepDiffusion(cf[Shift], cellA, socPerAmpSecond, CellModel.DiffusionShiftPerCAt(cf[Soc], cf[ShiftPerC], cf[ShiftKneeGain]), cf[ShiftDecay]);

            float slope;
            float ocv = _cell.OcvAndSlopeBetweenRows(cf[Soc] - cf[Shift], ci[OcvRow], ci[OcvRow1], cf[OcvRowFraction], ref ci[OcvSocHint], out slope);
            cf[SlopeNow] = slope;
            cf[OcvNow] = ocv;
            cf[OcvSoc] = cf[Soc];
            bool voltageOk = m.CellVoltageStatus[i] == SensorStatus.Ok && !FastMath.IsBad(m.CellMillivolts[i]);
            if (!voltageOk)
            {
                cf[LastMv] = float.NaN;
                return;
            }
            float v = m.CellMillivolts[i];

            // R0 from the step since the cell's last turn, with the RC and OCV changes the model predicts removed. The voltage
            // before the step is the average since the previous step (carried forward by the model's predicted change),
            // which takes most of the "before" reading's noise out of the difference.
            float lastA = cf[LastCurrentA];
            cf[LastCurrentA] = current;
            if (!float.IsNaN(cf[LastMv]) && !float.IsNaN(lastA))
            {
                float dI = current - lastA;
                // The step sees the chord of the nonlinear drop R0(I) I between the two currents.
                float chord = nonlinear && FastMath.Abs(dI) > 1e-3f
                    ? (kNow * current - (float.IsNaN(kBefore) ? _cell.R0CurrentFactor(lastA, cf[CtFraction], cf[HalfInvI0]) : kBefore) * lastA) / dI : kNow;
                // dOCV over one turn from the local slope (the SOC moves 1e-4 a turn; a second table look-up is not worth it)
                float modelChange = slope * (cf[Soc] - socBefore) - (cf[V1Open] - v1Open) - (cf[V2Open] - v2Open);
                float before = float.IsNaN(cf[SmoothMv]) ? cf[LastMv] : cf[SmoothMv];
                // A step below MinStepA is refused by AddStep before it changes anything: not worked out on most ticks.
                if (!(FastMath.Abs(dI) < ResistanceEstimator.MinStepA))
                    ResistanceEstimator.AddStep(cf, ci, modelChange - (v - before), dI, _r0ModelAt25 / (r0Model * chord), _r0ModelAt25);
                cf[SmoothMv] = FastMath.Abs(dI) >= ResistanceEstimator.MinStepA
                    ? v
                    : VoltageSmoothing * (before + modelChange - r0 * chord * dI) + (1f - VoltageSmoothing) * v;
            }
            else cf[SmoothMv] = v;
            cf[LastMv] = v;

            // How far the model's voltage can be trusted (docs/estimation.md, "How far the voltage is trusted"): white
            // sensor noise, the impedance's error (of the ohmic drop at this current and of the RC voltages the model holds,
            // which outlast a pulse), and two errors that do not average out over ticks: the
            // cell file's own fit residual and the part of the hysteresis whose state is still unknown. Those two set the
            // floor below which the voltage may not push the SOC's variance: a biased voltage tells the SOC no better
            // than bias / slope, however many ticks repeat it, so where the curve is flat the coulomb count carries it. Part
            // of the same errors is a dead band: an innovation they could explain moves nothing (BiasBandShare).
            float model = (ci[R0Converged] != 0 ? ImpedanceErrorFraction : UnmeasuredImpedanceErrorFraction)
                * (r0 * kNow * FastMath.Abs(current) + FastMath.Abs(cf[V1]) + FastMath.Abs(cf[V2]));
            float hystUnknown = (cf[HystMv] * cf[HUncertainty] + (cf[HSign] == 0f ? cf[HystInstantMv] : 0f)) * hystFactor;
            float biasVariance = cf[FitResidualMv] * cf[FitResidualMv] + hystUnknown * hystUnknown;
            float diffusionUnknown = 0f;
            if (_hasDiffusion)
            {
                diffusionUnknown = DiffusionUncertaintyShare * cf[Shift] * FastMath.Abs(slope);
                biasVariance += diffusionUnknown * diffusionUnknown;
            }
            float floor = 0f; // a file without [fit], hysteresis or diffusion: no floor, and no division on the interpreter
            if (biasVariance > 0f)
            {
                // The real slope: where the table is flat the floor is large (or infinite) and the voltage is not used.
                float absSlope = FastMath.Abs(slope);
                floor = biasVariance / (absSlope * absSlope);
            }
            CellEkf.Correct(cf, v, ocv + hystMv, slope, r0 * kNow, current + cf[BleedA], VoltageSigmaMv * VoltageSigmaMv + model * model + biasVariance, floor,
                BiasBandShare * (cf[FitResidualMv] + hystUnknown + diffusionUnknown + model));

            // Rest correction: after a long enough rest the relaxed OCV is a well-known SOC point.
            int restMs = _rest.Ms;
            if (restMs < RestMinMs) { ci[RestAppliedAtMs] = 0; return; } // the usual case, decided before the cell's own time
            int required = RestMinMs;
            float twoTau2Ms = 2000f * tau2;
            if (twoTau2Ms > required && twoTau2Ms < int.MaxValue) required = (int)twoTau2Ms;
            if (restMs < required) { ci[RestAppliedAtMs] = 0; return; }
            // The first ticks of a real load are tolerated as outliers by the rest count; their voltage is not an OCV.
            if (!_restReadingQuiet) return;
            if (ci[RestAppliedAtMs] != 0 && restMs - ci[RestAppliedAtMs] < RestRepeatMs) return;
            ci[RestAppliedAtMs] = restMs;
            ApplyRestCorrection(i, v, t);
        }

        private void ApplyRestCorrection(int i, float v, float t)
        {
            CellEstimate c = _cells[i];
            float[] cf = c.F;
            long[] cl = c.L;
            // What polarisation the model says is left is added back: the reading is then the OCV. The open-loop
            // model is used, not the filter's RC states, which also carry the filter's corrections.
            float left = cf[V1Open] + cf[V2Open];
            float ocv = v + left - cf[HystNowMv]; // the relaxed voltage still carries the hysteresis of the branch it came from
            float surfaceSoc = _cell.SocFromOcv(ocv, t);
            float slope = FastMath.Max(_cell.OcvSlopeMillivoltsPerSoc(surfaceSoc, t), 50f);
            float soc = surfaceSoc + cf[Shift]; // what of the diffusion shift the rest has not relaxed yet
            // Confidence: sensor and table error, a share of the modelled relaxation left, more in the cold
            // (slower relaxation, less certain OCV table), divided by the local slope.
            float hystUnknown = (cf[HystMv] * cf[HUncertainty] + (cf[HSign] == 0f ? cf[HystInstantMv] : 0f)) * _cell.HysteresisSocFactorAt(soc, t);
            float sigmaMv = VoltageSigmaMv + 0.2f * FastMath.Abs(left) + (t < 25f ? 0.1f * (25f - t) : 0f) + hystUnknown;
            float sigmaSoc = sigmaMv / slope;
            if (CellEkf.SigmaOf(cf) < RestFloorSigma) CellEkf.InflateSoc(cf, RestFloorSigma * RestFloorSigma - cf[CellEkf.P00]);
            if (CellEkf.ObserveSoc(cf, soc, sigmaSoc * sigmaSoc))
            {
                RestCorrections++;
                cf[NetSoc] = 0f; // the SOC is pinned here: a capacity error counts from this point
                CapacityEstimator.AddAnchor(cf, c.I, _anchorsAh, i, soc, sigmaSoc, (_countedMicroampMs + cl[BledMicroampMs]) / 3.6e12);
            }
        }

        /// <summary>
        /// State of power from the estimator's state and the profile in force (see <see cref="PowerLimits"/>).
        /// Called by the controller after <see cref="Update"/>; also caches the profile's rest current. The prediction
        /// moves slowly, so it runs at the slow rate: the cells whose slow work ran in this tick are predicted again, and
        /// the derating tables are looked up when cell 0's does; the first call after initialisation
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
            if (all || (_slowCount > 0 && _slowCells[0] == 0)) UpdateTableLimits(m, profile);
            float maxMv = _cell.MaxCellMillivolts, minMv = _cell.MinCellMillivolts;
            if (profile.CellOverVoltage.Enabled) maxMv = FastMath.Min(maxMv, profile.CellOverVoltage.Warning);
            if (profile.CellUnderVoltage.Enabled) minMv = FastMath.Max(minMv, profile.CellUnderVoltage.Warning);
            bool horizonChanged = h != _cacheHorizonS;
            _cacheHorizonS = h;
            if (all) for (int i = 0; i < _n; i++) PredictCellLimits(i, h, horizonChanged, minMv, maxMv);
            else for (int k = 0; k < _slowCount; k++) PredictCellLimits(_slowCells[k], h, horizonChanged, minMv, maxMv);
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
            CellEstimate c = _cells[i];
            float[] cf = c.F;
            float q = CapacityOf(cf);
            if (horizonChanged || cf[ETau1] != cf[Tau1Now] || cf[ETau2] != cf[Tau2Now])
            {
                cf[ETau1] = cf[Tau1Now];
                cf[ETau2] = cf[Tau2Now];
                cf[E1] = (float)FastMath.Exp(-h / cf[Tau1Now]);
                cf[E2] = (float)FastMath.Exp(-h / cf[Tau2Now]);
            }
            float e1 = cf[E1], e2 = cf[E2];
            // OCV at the corrected SOC from the one looked up at the predicted SOC and the local slope.
            float ocv = float.IsNaN(cf[OcvSoc]) ? _cell.OcvMillivoltsAt(cf[Soc], cf[TempNow]) : cf[OcvNow] + cf[SlopeNow] * (cf[Soc] - cf[OcvSoc]);
            float rest = ocv + cf[HystNowMv] - cf[V1] * e1 - cf[V2] * e2;
            float perAmp = cf[R0Now] + cf[R1Now] * (1f - e1) + cf[R2Now] * (1f - e2)
                + (q > 0 ? cf[SlopeNow] * h / (3600f * q) : 0f);
            _limits.SetCell(i, rest, perAmp, minMv, maxMv);
        }

        private static float TemperatureOf(float[] cf, int i, PackMeasurement m)
        {
            if (m.CellTemperatureStatus[i] == SensorStatus.Ok && !FastMath.IsBad(m.CellTemperatureC[i])) cf[LastTempC] = m.CellTemperatureC[i];
            return TemperatureOf(cf);
        }

        /// <summary>Last good temperature of the cell; 25 C before any (the estimate needs a number, the supervisor flags the fault).</summary>
        private static float TemperatureOf(float[] cf) { return float.IsNaN(cf[LastTempC]) ? 25f : cf[LastTempC]; }

        private static float CapacityOf(float[] cf)
        {
            float q = cf[CapacityAh];
            return FastMath.IsBad(q) ? 0f : q;
        }

        /// <summary>Takes a cell's SOC and R0 growth into the arrays <see cref="Publish"/> reads (after its turn, or every cell at start).</summary>
        private void Take(int i)
        {
            CellEstimate c = _cells[i];
            float[] cf = c.F;
            _cellSoc[i] = cf[Soc];
            _r0Growth[i] = cf[R0Growth];
        }

        private void TakeAll()
        {
            for (int i = 0; i < _n; i++) Take(i);
        }

        private void Publish()
        {
            // One pass over two arrays, the comparisons written out (x - x is 0 unless x is NaN or infinite): no call per
            // cell on the interpreter.
            float[] socs = _cellSoc, growth = _r0Growth;
            float worst = float.NaN;
            float min = 1f, max = 0f;
            bool unknown = false;
            for (int i = 0; i < socs.Length; i++)
            {
                float soc = socs[i];
                if (!(soc - soc == 0f)) unknown = true;
                else
                {
                    if (soc < min) min = soc; // the extremes CombineCells takes, in the same pass
                    if (soc > max) max = soc;
                }
                float g = growth[i];
                if (g - g == 0f && (!(worst - worst == 0f) || g > worst)) worst = g;
            }
            R0GrowthPercentMax = worst;
            PackSoc = unknown ? float.NaN : Combine(min, max);
        }

        private bool TryInitialise(PackMeasurement m)
        {
            float sigma;
            SocSnapshot restore = null;
            float loadA = 0f; // the current at a start from the voltage (its RC voltages are unknown when it flows)
            bool loadedStart = false;
            if (!float.IsNaN(_pendingInitialSoc))
            {
                for (int i = 0; i < _n; i++) _cells[i].F[InitialSoc] = _pendingInitialSoc;
                _pendingInitialSoc = float.NaN;
                sigma = ToldStartSigma; // a told SOC (commissioning) overrides a saved one
                RestoreOutcome = -1;
            }
            else
            {
                // OCV guess: good at rest, which is how the pack sits at power-up. A restart under load (a watchdog
                // reset while driving) reads the voltage behind the load: the ohmic drop is added back, and the guess is
                // given a wider doubt (the RC pairs' and the hysteresis' share is unknown).
                if (!m.AllCellVoltagesValid()) return false;
                loadA = m.PackCurrentStatus == SensorStatus.Ok && !FastMath.IsBad(m.PackCurrentA) ? m.PackCurrentA : 0f;
                bool loaded = FastMath.Abs(loadA) >= _idleA;
                loadedStart = loaded;
                for (int i = 0; i < _n; i++)
                {
                    if (FastMath.IsBad(m.CellMillivolts[i])) return false;
                    _cells[i].F[InitialSoc] = SocFromStartVoltage(m, i, StartTemperatureC(m, i), loaded ? loadA : 0f, 0f);
                }
                sigma = loaded ? LoadedStartSigma : OcvStartSigma;
                if (_pendingRestore != null && TryCombineSaved(_pendingRestore, m, loadA, sigma)) restore = _pendingRestore;
                RestoreOutcome = _pendingRestore == null ? -1 : restore != null ? SocMemory.Restored : SocMemory.DisagreesWithVoltage;
            }
            _pendingRestore = null;
            for (int i = 0; i < _n; i++)
            {
                CellEstimate c = _cells[i];
                float[] cf = c.F;
                int[] ci = c.I;
                float t = TemperatureOf(cf, i, m);
                cf[R0Now] = _cell.R0MilliOhmAt(t); cf[R1Now] = _cell.R1MilliOhmAt(t); cf[R2Now] = _cell.R2MilliOhmAt(t);
                // At rest at start-up the RC voltages are near zero; under load they hold up to (R1 + R2) |I|, unknown.
                float cellSigma = restore != null ? cf[SocSigmaSlow] : sigma; // TryCombineSaved left each cell's there
                CellEkf.Reset(cf, cf[InitialSoc], cellSigma, loadedStart ? FastMath.Max(1f, (cf[R1Now] + cf[R2Now]) * FastMath.Abs(loadA)) : 1f);
                cf[LastMv] = float.NaN;
                cf[SmoothMv] = float.NaN;
                cf[CacheT] = float.NaN;
                cf[CacheSoc] = float.NaN;
                cf[KPrev] = float.NaN;
                cf[OcvSoc] = float.NaN;
                cf[V1Open] = 0f;
                cf[V2Open] = 0f;
                // Without a saved state the history before power-up is unknown: h starts in the middle, fully unsure.
                cf[H] = restore != null ? restore.H[i] : 0f;
                cf[HSign] = restore != null ? restore.HSign[i] : 0f;
                cf[HUncertainty] = restore != null ? restore.HUncertainty[i] : 1f;
                if (restore != null) CellEkf.RestoreSlowRc(cf, restore.V2Millivolts[i], SavedSlowRcSigmaMv + SavedSlowRcSigmaShare * FastMath.Abs(restore.V2Millivolts[i]));
                // The open-loop model starts from the same slow RC voltage: a rest correction after the restart adds back
                // what of it is left (the fast one has decayed during the reset).
                cf[V2Open] = cf[V2];
                cf[HystNowMv] = 0f;
                // Without a saved state a start finds the cell rested, or under a load whose history is unknown.
                cf[Shift] = restore != null ? restore.DiffusionSoc[i] : 0f;
                cf[SocSigmaSlow] = cellSigma;
                cf[NetSoc] = 0f;
                ci[RestAppliedAtMs] = 0;
                CapacityEstimator.BreakAnchor(c.I);
                cf[Tau1Now] = _cell.Tau1SecondsAt(t); cf[Tau2Now] = _cell.Tau2SecondsAt(t); cf[TempNow] = t;
                cf[SlopeNow] = _cell.OcvSlopeMillivoltsPerSoc(cf[InitialSoc], t);
            }
            if (restore != null) CurrentOffsetA = FastMath.Clamp(restore.CurrentOffsetA, -OffsetLimitA, OffsetLimitA);
            _dischargedMicroampMs = 0;
            for (int i = 0; i < _n; i++)
            {
                // Each cell's first turn counts from here.
                CellEstimate c = _cells[i];
                float[] cf = c.F;
                long[] cl = c.L;
                cl[TurnAtMs] = _elapsedMs;
                cl[TurnCountedMicroampMs] = _countedMicroampMs;
                cl[BleedPendingMicroampMs] = 0;
                cl[BleedSinceMs] = _elapsedMs;
                cf[LastCurrentA] = float.NaN;
            }
            _rest.Reset();
            _sopPrimed = false;
            _firstUpdate = true;
            _initialised = true;
            return true;
        }

        /// <summary>The cell file's fit residual at an SOC, mV; <see cref="DefaultFitResidualMv"/> for a file without [fit].</summary>
        private float FitResidualMvAt(float soc)
        {
            float residual = _cell.FitResidualAt(soc);
            return float.IsNaN(residual) ? DefaultFitResidualMv : residual;
        }

        /// <summary>A cell's temperature at start-up: its reading, or 25 C without a good one (the start needs a number).</summary>
        private static float StartTemperatureC(PackMeasurement m, int i)
        {
            float t = m.CellTemperatureC[i];
            return m.CellTemperatureStatus[i] == SensorStatus.Ok && !FastMath.IsBad(t) ? t : 25f;
        }

        /// <summary>
        /// The SOC a cell's voltage gives at start-up: the ohmic drop at <paramref name="loadA"/> added back and
        /// <paramref name="hysteresisMv"/> (what the hysteresis state, less a known slow RC voltage, holds the voltage off its OCV by) taken off.
        /// </summary>
        private float SocFromStartVoltage(PackMeasurement m, int i, float t, float loadA, float hysteresisMv)
        {
            return _cell.SocFromOcv(m.CellMillivolts[i] + _cell.R0MilliOhmAt(t) * loadA - hysteresisMv, t);
        }

        /// <summary>
        /// Combines each cell's saved SOC (its sigma widened by <see cref="SocMemory.SaveStepSoc"/>, the most that moved
        /// unsaved) with the SOC its voltage gives now, by their variances, into InitialSoc and SocSigmaSlow; false, changing
        /// nothing, when a cell's two disagree by more than three combined sigmas. The voltage is read with the saved
        /// hysteresis state taken off (on a flat curve the hysteresis alone is worth many points).
        /// </summary>
        private bool TryCombineSaved(SocSnapshot saved, PackMeasurement m, float loadA, float voltageSigma)
        {
            for (int pass = 0; pass < 2; pass++) // check every cell first, then write: all cells or none
            {
                for (int i = 0; i < _n; i++)
                {
                    float t = StartTemperatureC(m, i);
                    float hystMv = 0f, hystInstantMv = 0f, rate;
                    if (_hasHysteresis)
                    {
                        _cell.HysteresisAt(t, out hystMv, out hystInstantMv, out rate);
                        float hystFactor = _cell.HysteresisSocFactorAt(saved.Soc[i], t);
                        hystMv *= hystFactor;
                        hystInstantMv *= hystFactor;
                    }
                    // The slow RC voltage (tau2) moved little since it was saved; the fast one may have: only the slow one is taken off.
                    float fromVoltage = SocFromStartVoltage(m, i, t, loadA, hystMv * saved.H[i] + hystInstantMv * saved.HSign[i] - saved.V2Millivolts[i]);
                    // What the voltage's SOC is worth: the SOCs its doubt in mV (noise, the fit's residual, the unknown part
                    // of the hysteresis, the fast RC voltage under load) spans on the curve, half of it, and never less than
                    // the start's own sigma. On a plateau under load that is tens of points (also just past its end, where the
                    // doubt reaches back onto it): the saved SOC then carries the start.
                    float doubtMv = VoltageSigmaMv + FitResidualMvAt(fromVoltage) + hystMv * saved.HUncertainty[i] + _cell.R1MilliOhmAt(t) * FastMath.Abs(loadA);
                    float ocvMv = _cell.OcvMillivoltsAt(fromVoltage, t);
                    float spanSoc = _cell.SocFromOcv(ocvMv + doubtMv, t) - _cell.SocFromOcv(ocvMv - doubtMv, t);
                    float sigmaV = FastMath.Max(voltageSigma, 0.5f * FastMath.Abs(spanSoc));
                    float vv = sigmaV * sigmaV;
                    float ss = saved.SocSigma[i] * saved.SocSigma[i] + SocMemory.SaveStepSoc * SocMemory.SaveStepSoc;
                    float gap = fromVoltage - saved.Soc[i];
                    if (pass == 0)
                    {
                        if (gap * gap > 9f * (vv + ss)) return false;
                        continue;
                    }
                    CellEstimate c = _cells[i];
                    float[] cf = c.F;
                    cf[InitialSoc] = saved.Soc[i] + gap * ss / (vv + ss);
                    cf[SocSigmaSlow] = (float)FastMath.Sqrt(vv * ss / (vv + ss));
                }
            }
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
            return Combine(min, max);
        }

        /// <summary><see cref="CombineCells"/> from the lowest and highest cell SOC (min starting at 1, max at 0).</summary>
        private static float Combine(float min, float max)
        {
            float span = 1f - (max - min);
            return span <= 0f ? 0.5f : FastMath.Clamp(min / span, 0f, 1f);
        }
    }
}
