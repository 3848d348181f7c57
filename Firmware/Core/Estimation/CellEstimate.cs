namespace SolidBms.Core.Estimation
{
    /// <summary>
    /// Everything <see cref="StateEstimator"/> keeps for one cell, in one object. The tick reads some forty of these
    /// numbers for every cell: held together, each is one field load from the cell's object (and on the host one
    /// bounds check per cell, and a few cache lines), where an array per quantity cost the ESP32's interpreter an array
    /// load, an index and a bounds check for each.
    /// </summary>
    internal sealed class CellEstimate
    {
        public readonly CellEkf Ekf = new CellEkf();
        public readonly ResistanceEstimator R0 = new ResistanceEstimator();
        public readonly CapacityEstimator Capacity;

        /// <summary>SOC at the start (OCV or told): the plain coulomb count's origin.</summary>
        public float InitialSoc;

        /// <summary>Last good temperature, C (NaN before any).</summary>
        public float LastTempC = float.NaN;

        /// <summary>Last good cell voltage, mV (NaN: none last tick, no R0 step this tick).</summary>
        public float LastMv = float.NaN;

        /// <summary>RC voltages from the model alone (no Kalman correction), mV: for the R0 steps and the rest OCV.</summary>
        public float V1Open, V2Open;

        /// <summary>The cell voltage averaged between current steps, mV (less noise before a step).</summary>
        public float SmoothMv;

        /// <summary>This tick's impedance (mOhm), time constants (s), OCV slope (mV per unit SOC) and temperature (C), for the SOP.</summary>
        public float R0Now, R1Now, R2Now, Tau1Now, Tau2Now, SlopeNow, TempNow;

        /// <summary>
        /// Temperature-dependent model values, refreshed only when the temperature moves by more than
        /// <see cref="StateEstimator.CacheTemperatureStepC"/> or the tick length changes: table look-ups and exponentials
        /// are the costly part of a tick on the ESP32's interpreter, and the temperature changes slowly.
        /// </summary>
        public float CacheT, R0Model, R1Model, R2Model, A1, A2;
        public int CacheDtMs;

        /// <summary>exp(-horizon / tau) of the SOP prediction and the time constants they were taken at.</summary>
        public float E1, E2, ETau1, ETau2;

        /// <summary>
        /// SOC-dependent impedance multipliers (cell file [impedance] socPoints), refreshed when the SOC moves by
        /// <see cref="StateEstimator.CacheSocStep"/>, and the charge-transfer numbers (refreshed with the temperature).
        /// </summary>
        public float CacheSoc, F0, F1, F2, CtFraction, HalfInvI0;

        /// <summary>The OCV table's rows around <see cref="CacheT"/> and the fraction between them (refreshed with it).</summary>
        public int OcvRow, OcvRow1;
        public float OcvRowFraction;

        /// <summary>The OCV looked up this tick and the SOC it was looked up at.</summary>
        public float OcvNow, OcvSoc;

        /// <summary>The SOC interval of the OCV table the look-ups start from.</summary>
        public int OcvSocHint;

        /// <summary>
        /// The cell's last filter turn (StateEstimator.FilterCellsPerTick): the estimator's clock (ms) and the pack's counted
        /// charge (uA ms) then, so the turn's interval and charge are differences; the pack current then (NaN: none, no
        /// R0 step); and whether the cell's next turn does its slow work.
        /// </summary>
        public long TurnAtMs, TurnCountedMicroampMs;
        public float LastCurrentA = float.NaN;
        public bool SlowTurn;

        /// <summary>Bleed charge at an earlier bleed current not yet taken by a turn (uA ms), and since when the present one flows (ms).</summary>
        public long BleedPendingMicroampMs, BleedSinceMs;

        /// <summary>The R0 current factor at the cell's last turn's current (NaN: work it out).</summary>
        public float KPrev;

        /// <summary>Rest time (ms) at the last rest correction; 0 outside a rest.</summary>
        public int RestAppliedAtMs;

        /// <summary>Hysteresis M, M0 (mV) and rate at <see cref="CacheT"/> (0 for a cell file without [hysteresis]).</summary>
        public float HystMv, HystInstantMv, HystRate;

        /// <summary>
        /// The hysteresis state h and the instantaneous term's sign (open loop, from the cell's current), the voltage
        /// M h + M0 s they give this tick (mV), and how unsure h still is (1 at start-up, when the cell's history is
        /// unknown, shrinking as charge passes by the same factor that pulls h to its branch).
        /// </summary>
        public float H, HSign, HystNowMv, HUncertainty;

        /// <summary>
        /// The diffusion ([diffusion]; 0 for a file without): steady SOC shift per C and time constant at <see cref="CacheT"/>,
        /// exp(-interval / tau), and the shift d itself (open loop, from the cell's current): the voltage follows OCV(SOC - d).
        /// </summary>
        public float ShiftPerC, ShiftTauS, ShiftKneeGain, ShiftDecay, Shift;

        /// <summary>The filter's SOC standard deviation, taken in the cell's slow slot (for the bias growth of the SOC's variance).</summary>
        public float SocSigmaSlow;

        /// <summary>Net SOC moved by the count since the SOC was last pinned (start, rest correction): what a capacity error scales.</summary>
        public float NetSoc;

        /// <summary>The cell file's fit residual at the cached SOC, mV (refreshed with the SOC factors).</summary>
        public float FitResidualMv;

        /// <summary>Bleed (balancing) current, A.</summary>
        public float BleedA;

        /// <summary>
        /// Charge bled since start-up (uA ms): the cell lost it on top of the pack's counted charge, so a capacity anchor
        /// must count it too, or a bleeding cell's capacity reads low by the bled share.
        /// </summary>
        public long BledMicroampMs;

        public CellEstimate(float nominalCapacityAh, float capacityRelativeSigma)
        {
            Capacity = new CapacityEstimator(nominalCapacityAh, capacityRelativeSigma);
        }
    }
}
