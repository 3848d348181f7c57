namespace SolidBms.Core.Estimation
{
    /// <summary>
    /// Everything <see cref="StateEstimator"/> keeps for one cell. The numbers are slots of three arrays, one per type,
    /// not fields: on the ESP32's interpreter every field is a 12-byte heap block whatever its type, a float array's
    /// element 4 bytes and a long's 8 (issue 20, docs/benchmarks.md, "The heap cut, third pass"). The cell's filter, R0
    /// and capacity estimates keep their numbers in the first slots of the same arrays, and the estimator runs their
    /// static forms on them (a view object is made only when a test or tool asks for one). The tick takes a cell's arrays
    /// into locals once per method: an element load costs the interpreter about what a field load did (the field's
    /// token is resolved on every access). What each slot holds is documented at its constant.
    /// </summary>
    internal sealed class CellEstimate
    {
        // The cell's filter, R0 and capacity estimates keep their numbers in the same arrays, in the slots below these
        // (the capacity anchor's charge, a double, in StateEstimator's array of them).
        private const int FirstFloat = CapacityEstimator.FloatEnd, FirstInt = CapacityEstimator.IntEnd;

        /// <summary>
        /// The filter's, the R0 estimate's and the capacity estimate's slots that the tick reads directly: their
        /// properties are calls on the interpreter, a slot an element load.
        /// </summary>
        public const int Soc = CellEkf.SocSlot, V1 = CellEkf.V1Slot, V2 = CellEkf.V2Slot, ImpedanceScale = ResistanceEstimator.ScaleSlot,
            R0Growth = ResistanceEstimator.GrowthSlot, CapacityAh = CapacityEstimator.CapacitySlot,
            SocPerAmpSecond = CapacityEstimator.SocPerAmpSecondSlot, CapacityRelativeSigma = CapacityEstimator.RelativeSigmaSlot;
        /// <summary>The R0 estimate's converged flag (int slot, 1 when converged).</summary>
        public const int R0Converged = ResistanceEstimator.ConvergedSlot;

        // ---- float slots (F) ----
        /// <summary>SOC at the start (OCV or told): the plain coulomb count's origin.</summary>
        public const int InitialSoc = FirstFloat + 0;
        /// <summary>Last good temperature, C (NaN before any).</summary>
        public const int LastTempC = FirstFloat + 1;
        /// <summary>Last good cell voltage, mV (NaN: none last tick, no R0 step this tick).</summary>
        public const int LastMv = FirstFloat + 2;
        /// <summary>RC voltages from the model alone (no Kalman correction), mV: for the R0 steps and the rest OCV.</summary>
        public const int V1Open = FirstFloat + 3, V2Open = FirstFloat + 4;
        /// <summary>The cell voltage averaged between current steps, mV (less noise before a step).</summary>
        public const int SmoothMv = FirstFloat + 5;
        /// <summary>This tick's impedance (mOhm), time constants (s), OCV slope (mV per unit SOC) and temperature (C), for the SOP.</summary>
        public const int R0Now = FirstFloat + 6, R1Now = FirstFloat + 7, R2Now = FirstFloat + 8, Tau1Now = FirstFloat + 9, Tau2Now = FirstFloat + 10, SlopeNow = FirstFloat + 11, TempNow = FirstFloat + 12;
        /// <summary>
        /// Temperature-dependent model values, refreshed only when the temperature moves by more than
        /// <see cref="StateEstimator.CacheTemperatureStepC"/> or the tick length changes: table look-ups and exponentials
        /// are the costly part of a tick on the ESP32's interpreter, and the temperature changes slowly.
        /// </summary>
        public const int CacheT = FirstFloat + 13, R0Model = FirstFloat + 14, R1Model = FirstFloat + 15, R2Model = FirstFloat + 16, A1 = FirstFloat + 17, A2 = FirstFloat + 18;
        /// <summary>exp(-horizon / tau) of the SOP prediction and the time constants they were taken at.</summary>
        public const int E1 = FirstFloat + 19, E2 = FirstFloat + 20, ETau1 = FirstFloat + 21, ETau2 = FirstFloat + 22;
        /// <summary>
        /// SOC-dependent impedance multipliers (cell file [impedance] socPoints), refreshed when the SOC moves by
        /// <see cref="StateEstimator.CacheSocStep"/>, and the charge-transfer numbers (refreshed with the temperature).
        /// </summary>
        public const int CacheSoc = FirstFloat + 23, F0 = FirstFloat + 24, F1 = FirstFloat + 25, F2 = FirstFloat + 26, CtFraction = FirstFloat + 27, HalfInvI0 = FirstFloat + 28;
        /// <summary>The fraction between the OCV table's rows around <see cref="CacheT"/> (refreshed with it; the rows are int slots).</summary>
        public const int OcvRowFraction = FirstFloat + 29;
        /// <summary>The OCV looked up this tick and the SOC it was looked up at.</summary>
        public const int OcvNow = FirstFloat + 30, OcvSoc = FirstFloat + 31;
        /// <summary>The pack current at the cell's last turn (NaN: none, no R0 step).</summary>
        public const int LastCurrentA = FirstFloat + 32;
        /// <summary>The R0 current factor at the cell's last turn's current (NaN: work it out).</summary>
        public const int KPrev = FirstFloat + 33;
        /// <summary>Hysteresis M, M0 (mV) and rate at <see cref="CacheT"/> (0 for a cell file without [hysteresis]).</summary>
        public const int HystMv = FirstFloat + 34, HystInstantMv = FirstFloat + 35, HystRate = FirstFloat + 36;
        /// <summary>
        /// The hysteresis state h and the instantaneous term's sign (open loop, from the cell's current), the voltage
        /// M h + M0 s they give this tick (mV), and how unsure h still is (1 at start-up, when the cell's history is
        /// unknown, shrinking as charge passes by the same factor that pulls h to its branch).
        /// </summary>
        public const int H = FirstFloat + 37, HSign = FirstFloat + 38, HystNowMv = FirstFloat + 39, HUncertainty = FirstFloat + 40;
        /// <summary>
        /// The diffusion ([diffusion]; 0 for a file without): steady SOC shift per C and time constant at <see cref="CacheT"/>,
        /// exp(-interval / tau), and the shift d itself (open loop, from the cell's current): the voltage follows OCV(SOC - d).
        /// </summary>
        public const int ShiftPerC = FirstFloat + 41, ShiftTauS = FirstFloat + 42, ShiftDecay = FirstFloat + 43, Shift = FirstFloat + 44;
        /// <summary>The filter's SOC standard deviation, taken in the cell's slow slot (for the bias growth of the SOC's variance).</summary>
        public const int SocSigmaSlow = FirstFloat + 45;
        /// <summary>Net SOC moved by the count since the SOC was last pinned (start, rest correction): what a capacity error scales.</summary>
        public const int NetSoc = FirstFloat + 46;
        /// <summary>The cell file's fit residual at the cached SOC, mV (refreshed with the SOC factors).</summary>
        public const int FitResidualMv = FirstFloat + 47;
        /// <summary>Bleed (balancing) current, A.</summary>
        public const int BleedA = FirstFloat + 48;
        /// <summary>The diffusion's knee gain at <see cref="CacheT"/> ([diffusion] kneeGain; 0 without): the shift per C grows below SOC 0.1.</summary>
        public const int ShiftKneeGain = FirstFloat + 49;
        public const int FloatSlots = FirstFloat + 50;

        // ---- long slots (L) ----
        /// <summary>
        /// The cell's last filter turn (StateEstimator.FilterCellsPerTick): the estimator's clock (ms) and the pack's counted
        /// charge (uA ms) then, so the turn's interval and charge are differences.
        /// </summary>
        public const int TurnAtMs = 0, TurnCountedMicroampMs = 1;
        /// <summary>Bleed charge at an earlier bleed current not yet taken by a turn (uA ms), and since when the present one flows (ms).</summary>
        public const int BleedPendingMicroampMs = 2, BleedSinceMs = 3;
        /// <summary>
        /// Charge bled since start-up (uA ms): the cell lost it on top of the pack's counted charge, so a capacity anchor
        /// must count it too, or a bleeding cell's capacity reads low by the bled share.
        /// </summary>
        public const int BledMicroampMs = 4;
        public const int LongSlots = 5;

        // ---- int slots (I) ----
        /// <summary>The tick length the RC decay factors were computed for, ms.</summary>
        public const int CacheDtMs = FirstInt + 0;
        /// <summary>The OCV table's rows around <see cref="CacheT"/>, and the SOC interval the look-ups start from.</summary>
        public const int OcvRow = FirstInt + 1, OcvRow1 = FirstInt + 2, OcvSocHint = FirstInt + 3;
        /// <summary>Rest time (ms) at the last rest correction; 0 outside a rest.</summary>
        public const int RestAppliedAtMs = FirstInt + 4;
        /// <summary>1 when the cell's next turn does its slow work (StateEstimator.SlowCellsPerTick), else 0.</summary>
        public const int SlowTurn = FirstInt + 5;
        public const int IntSlots = FirstInt + 6;

        public readonly float[] F = new float[FloatSlots];
        public readonly long[] L = new long[LongSlots];
        public readonly int[] I = new int[IntSlots];

        public CellEstimate(float nominalCapacityAh, float capacityRelativeSigma)
        {
            ResistanceEstimator.Init(F);
            CapacityEstimator.Init(F, nominalCapacityAh, capacityRelativeSigma);
            F[LastTempC] = float.NaN;
            F[LastMv] = float.NaN;
            F[LastCurrentA] = float.NaN;
        }
    }
}
