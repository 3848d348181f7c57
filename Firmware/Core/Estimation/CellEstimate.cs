namespace SolidBms.Core.Estimation
{
    /// <summary>
    /// Everything <see cref="StateEstimator"/> keeps for one cell. The numbers are slots of three arrays, one per type,
    /// not fields: on the ESP32's interpreter every field is a 12-byte heap block whatever its type, a float array's
    /// element 4 bytes and a long's 8, so the cell's 60 numbers take about half the heap they took as fields (issue 20,
    /// docs/benchmarks.md, "The heap cut, third pass"). The tick takes a cell's arrays into locals once per method, so
    /// a slot costs one constant load more than a field did. The slot names below are the former fields' names; what
    /// each holds is documented at its constant.
    /// </summary>
    internal sealed class CellEstimate
    {
        // ---- float slots (F) ----
        /// <summary>SOC at the start (OCV or told): the plain coulomb count's origin.</summary>
        public const int InitialSoc = 0;
        /// <summary>Last good temperature, C (NaN before any).</summary>
        public const int LastTempC = 1;
        /// <summary>Last good cell voltage, mV (NaN: none last tick, no R0 step this tick).</summary>
        public const int LastMv = 2;
        /// <summary>RC voltages from the model alone (no Kalman correction), mV: for the R0 steps and the rest OCV.</summary>
        public const int V1Open = 3, V2Open = 4;
        /// <summary>The cell voltage averaged between current steps, mV (less noise before a step).</summary>
        public const int SmoothMv = 5;
        /// <summary>This tick's impedance (mOhm), time constants (s), OCV slope (mV per unit SOC) and temperature (C), for the SOP.</summary>
        public const int R0Now = 6, R1Now = 7, R2Now = 8, Tau1Now = 9, Tau2Now = 10, SlopeNow = 11, TempNow = 12;
        /// <summary>
        /// Temperature-dependent model values, refreshed only when the temperature moves by more than
        /// <see cref="StateEstimator.CacheTemperatureStepC"/> or the tick length changes: table look-ups and exponentials
        /// are the costly part of a tick on the ESP32's interpreter, and the temperature changes slowly.
        /// </summary>
        public const int CacheT = 13, R0Model = 14, R1Model = 15, R2Model = 16, A1 = 17, A2 = 18;
        /// <summary>exp(-horizon / tau) of the SOP prediction and the time constants they were taken at.</summary>
        public const int E1 = 19, E2 = 20, ETau1 = 21, ETau2 = 22;
        /// <summary>
        /// SOC-dependent impedance multipliers (cell file [impedance] socPoints), refreshed when the SOC moves by
        /// <see cref="StateEstimator.CacheSocStep"/>, and the charge-transfer numbers (refreshed with the temperature).
        /// </summary>
        public const int CacheSoc = 23, F0 = 24, F1 = 25, F2 = 26, CtFraction = 27, HalfInvI0 = 28;
        /// <summary>The fraction between the OCV table's rows around <see cref="CacheT"/> (refreshed with it; the rows are int slots).</summary>
        public const int OcvRowFraction = 29;
        /// <summary>The OCV looked up this tick and the SOC it was looked up at.</summary>
        public const int OcvNow = 30, OcvSoc = 31;
        /// <summary>The pack current at the cell's last turn (NaN: none, no R0 step).</summary>
        public const int LastCurrentA = 32;
        /// <summary>The R0 current factor at the cell's last turn's current (NaN: work it out).</summary>
        public const int KPrev = 33;
        /// <summary>Hysteresis M, M0 (mV) and rate at <see cref="CacheT"/> (0 for a cell file without [hysteresis]).</summary>
        public const int HystMv = 34, HystInstantMv = 35, HystRate = 36;
        /// <summary>
        /// The hysteresis state h and the instantaneous term's sign (open loop, from the cell's current), the voltage
        /// M h + M0 s they give this tick (mV), and how unsure h still is (1 at start-up, when the cell's history is
        /// unknown, shrinking as charge passes by the same factor that pulls h to its branch).
        /// </summary>
        public const int H = 37, HSign = 38, HystNowMv = 39, HUncertainty = 40;
        /// <summary>
        /// The diffusion ([diffusion]; 0 for a file without): steady SOC shift per C and time constant at <see cref="CacheT"/>,
        /// exp(-interval / tau), and the shift d itself (open loop, from the cell's current): the voltage follows OCV(SOC - d).
        /// </summary>
        public const int ShiftPerC = 41, ShiftTauS = 42, ShiftDecay = 43, Shift = 44;
        /// <summary>The filter's SOC standard deviation, taken in the cell's slow slot (for the bias growth of the SOC's variance).</summary>
        public const int SocSigmaSlow = 45;
        /// <summary>Net SOC moved by the count since the SOC was last pinned (start, rest correction): what a capacity error scales.</summary>
        public const int NetSoc = 46;
        /// <summary>The cell file's fit residual at the cached SOC, mV (refreshed with the SOC factors).</summary>
        public const int FitResidualMv = 47;
        /// <summary>Bleed (balancing) current, A.</summary>
        public const int BleedA = 48;
        public const int FloatSlots = 49;

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
        public const int CacheDtMs = 0;
        /// <summary>The OCV table's rows around <see cref="CacheT"/>, and the SOC interval the look-ups start from.</summary>
        public const int OcvRow = 1, OcvRow1 = 2, OcvSocHint = 3;
        /// <summary>Rest time (ms) at the last rest correction; 0 outside a rest.</summary>
        public const int RestAppliedAtMs = 4;
        /// <summary>1 when the cell's next turn does its slow work (StateEstimator.SlowCellsPerTick), else 0.</summary>
        public const int SlowTurn = 5;
        public const int IntSlots = 6;

        public readonly CellEkf Ekf = new CellEkf();
        public readonly ResistanceEstimator R0 = new ResistanceEstimator();
        public readonly CapacityEstimator Capacity;
        public readonly float[] F = new float[FloatSlots];
        public readonly long[] L = new long[LongSlots];
        public readonly int[] I = new int[IntSlots];

        public CellEstimate(float nominalCapacityAh, float capacityRelativeSigma)
        {
            Capacity = new CapacityEstimator(nominalCapacityAh, capacityRelativeSigma);
            F[LastTempC] = float.NaN;
            F[LastMv] = float.NaN;
            F[LastCurrentA] = float.NaN;
        }
    }
}
