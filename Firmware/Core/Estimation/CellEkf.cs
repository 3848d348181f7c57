using SolidBms.Core.Util;

namespace SolidBms.Core.Estimation
{
    /// <summary>
    /// Extended Kalman filter for one cell on the equivalent circuit of <see cref="Config.CellModel"/>:
    /// state x = [SOC, V1, V2] (V1, V2 = voltages over the two RC pairs, mV), input I (A, + = discharge).
    ///   predict: SOC -= I dt / (3600 Q);  Vk = ak Vk + Rk (1 - ak) I,  ak = exp(-dt / tauk)   (exact zero-order hold)
    ///   measure: V = OCV(SOC, T) - R0 I - V1 - V2,  H = [dOCV/dSOC, -1, -1]
    /// The covariance is symmetric and kept as six floats (no matrix library, no allocation).
    /// Tuning and reasoning: docs/estimation.md.
    /// </summary>
    public sealed class CellEkf
    {
        /// <summary>Innovations beyond this many standard deviations are down-weighted (spikes, model breaks).</summary>
        public const float GateSigmas = 3f;

        /// <summary>Share of an update's SOC step whose square the SOC variance keeps at least (see <see cref="Correct(float, float, float, float, float, float, float)"/>).</summary>
        public const float LinearisationShare = 0.5f;

        /// <summary>
        /// The filter's numbers are slots of a float array, not fields (a field is a 12-byte heap block on the ESP32's
        /// interpreter, a float element 4 bytes): its own array, or the first <see cref="FloatSlots"/> slots of the
        /// estimator's array for the cell (<see cref="CellEstimate"/>), which the estimator then reads directly.
        /// </summary>
        internal const int SocSlot = 0, V1Slot = 1, V2Slot = 2, P00 = 3, P01 = 4, P02 = 5, P11 = 6, P12 = 7, P22 = 8, InnovationSlot = 9;
        internal const int FloatSlots = 10;

        private readonly float[] _s;

        public CellEkf() : this(new float[FloatSlots]) { }

        /// <summary>A filter whose numbers are the first <see cref="FloatSlots"/> slots of <paramref name="state"/> (x in the formulas above).</summary>
        internal CellEkf(float[] state) { _s = state; }

        public float Soc { get { return _s[SocSlot]; } set { _s[SocSlot] = value; } }

        public float V1Millivolts { get { return _s[V1Slot]; } set { _s[V1Slot] = value; } }

        public float V2Millivolts { get { return _s[V2Slot]; } set { _s[V2Slot] = value; } }

        /// <summary>Last measurement residual (measured - predicted terminal voltage), mV.</summary>
        public float LastInnovationMillivolts { get { return _s[InnovationSlot]; } }

        /// <summary>Standard deviation of the SOC estimate (0..1 units).</summary>
        public float SocSigma { get { return SigmaOf(_s); } }

        /// <summary>The SOC's standard deviation from the numbers in <paramref name="x"/> (a cell's slots).</summary>
        internal static float SigmaOf(float[] x) { float p00 = x[P00]; return (float)FastMath.Sqrt(p00 > 0 ? p00 : 0); }

        public float SocVariance { get { return _s[P00]; } }

        public void Reset(float soc, float socSigma, float rcSigmaMillivolts) { Reset(_s, soc, socSigma, rcSigmaMillivolts); }

        /// <summary>The same on the numbers in <paramref name="x"/> (a cell's slots: <see cref="StateEstimator"/>).</summary>
        internal static void Reset(float[] x, float soc, float socSigma, float rcSigmaMillivolts)
        {
            x[SocSlot] = FastMath.Clamp(soc, 0f, 1f);
            x[V1Slot] = 0;
            x[V2Slot] = 0;
            x[P00] = socSigma * socSigma;
            x[P11] = rcSigmaMillivolts * rcSigmaMillivolts;
            x[P22] = x[P11];
            x[P01] = x[P02] = x[P12] = 0;
            x[InnovationSlot] = 0;
        }

        /// <summary>
        /// Time update. socPerAmpSecond = 1 / (3600 capacity in Ah); a1, a2 = exp(-dt/tau); r1, r2 in mOhm;
        /// qSoc, qV1, qV2 = process variances added this step.
        /// </summary>
        public void Predict(float currentA, float dtS, float socPerAmpSecond, float r1MilliOhm, float a1, float r2MilliOhm, float a2,
            float qSoc, float qV1, float qV2) { Predict(_s, currentA, dtS, socPerAmpSecond, r1MilliOhm, a1, r2MilliOhm, a2, qSoc, qV1, qV2); }

        /// <summary>The same on the numbers in <paramref name="x"/> (a cell's slots: <see cref="StateEstimator"/>).</summary>
        internal static void Predict(float[] x, float currentA, float dtS, float socPerAmpSecond, float r1MilliOhm, float a1, float r2MilliOhm, float a2,
            float qSoc, float qV1, float qV2)
        {
            x[SocSlot] = FastMath.Clamp(x[SocSlot] - currentA * dtS * socPerAmpSecond, 0f, 1f);
            x[V1Slot] = a1 * x[V1Slot] + r1MilliOhm * (1f - a1) * currentA;
            x[V2Slot] = a2 * x[V2Slot] + r2MilliOhm * (1f - a2) * currentA;
            // P = F P F' + Q with F = diag(1, a1, a2)
            x[P00] += qSoc;
            x[P01] *= a1;
            x[P02] *= a2;
            x[P11] = a1 * a1 * x[P11] + qV1;
            x[P12] *= a1 * a2;
            x[P22] = a2 * a2 * x[P22] + qV2;
        }

        /// <summary>Sets the slow RC voltage from a saved state with its own doubt, uncorrelated with the rest (after <see cref="Reset"/>).</summary>
        public void RestoreSlowRc(float v2Millivolts, float sigmaMillivolts) { RestoreSlowRc(_s, v2Millivolts, sigmaMillivolts); }

        /// <summary>The same on the numbers in <paramref name="x"/> (a cell's slots: <see cref="StateEstimator"/>).</summary>
        internal static void RestoreSlowRc(float[] x, float v2Millivolts, float sigmaMillivolts)
        {
            if (FastMath.IsBad(v2Millivolts) || !(sigmaMillivolts > 0)) return;
            x[V2Slot] = v2Millivolts;
            x[P22] = sigmaMillivolts * sigmaMillivolts;
            x[P02] = 0;
            x[P12] = 0;
        }

        /// <summary>Grows the SOC uncertainty without moving the state (time passed with the current unknown).</summary>
        public void InflateSoc(float variance) { InflateSoc(_s, variance); }

        /// <summary>The same on the numbers in <paramref name="x"/> (a cell's slots: <see cref="StateEstimator"/>).</summary>
        internal static void InflateSoc(float[] x, float variance) { if (variance > 0 && !FastMath.IsBad(variance)) x[P00] += variance; }

        /// <summary>
        /// Measurement update from the terminal voltage. slope = dOCV/dSOC at the predicted SOC (mV per unit SOC): on
        /// the flat parts of the curve it is small, so the voltage moves the SOC little and the coulomb count carries it.
        /// Returns false (state untouched) when the numbers cannot be trusted.
        /// </summary>
        public bool Correct(float measuredMillivolts, float ocvMillivolts, float slope, float r0MilliOhm, float currentA, float noiseVariance)
        {
            return Correct(measuredMillivolts, ocvMillivolts, slope, r0MilliOhm, currentA, noiseVariance, 0f);
        }

        /// <summary>
        /// <see cref="Correct(float, float, float, float, float, float)"/> with a floor on the SOC variance it may leave:
        /// the innovation's variance is raised so that the update cannot take the SOC's variance below
        /// <paramref name="socFloorVariance"/>, and no update is made while it is already there. The floor is what the
        /// voltage can tell about the SOC when the model carries an error that does not average out (bias / slope).
        /// </summary>
        public bool Correct(float measuredMillivolts, float ocvMillivolts, float slope, float r0MilliOhm, float currentA, float noiseVariance, float socFloorVariance)
        {
            return Correct(measuredMillivolts, ocvMillivolts, slope, r0MilliOhm, currentA, noiseVariance, socFloorVariance, 0f);
        }

        /// <summary>
        /// <see cref="Correct(float, float, float, float, float, float, float)"/> with a dead band: the part of the innovation
        /// that the model's known error (<paramref name="biasBandMillivolts"/>: e.g. its fit residual, the unknown part of its
        /// hysteresis, its impedance's error at this load) can explain moves nothing, and an innovation inside the band makes no update. A biased model then
        /// cannot walk the SOC off the coulomb count by bias / slope, however long the bias lasts, while an SOC error that
        /// shows more than the band in the voltage is still corrected (down to the band).
        /// </summary>
        public bool Correct(float measuredMillivolts, float ocvMillivolts, float slope, float r0MilliOhm, float currentA, float noiseVariance, float socFloorVariance, float biasBandMillivolts) { return Correct(_s, measuredMillivolts, ocvMillivolts, slope, r0MilliOhm, currentA, noiseVariance, socFloorVariance, biasBandMillivolts); }

        /// <summary>The same on the numbers in <paramref name="x"/> (a cell's slots: <see cref="StateEstimator"/>).</summary>
        internal static bool Correct(float[] x, float measuredMillivolts, float ocvMillivolts, float slope, float r0MilliOhm, float currentA, float noiseVariance, float socFloorVariance, float biasBandMillivolts)
        {
            float predicted = ocvMillivolts - r0MilliOhm * currentA - x[V1Slot] - x[V2Slot];
            float y = measuredMillivolts - predicted;
            if (FastMath.IsBad(y) || FastMath.IsBad(slope) || !(noiseVariance > 0)) return false;
            x[InnovationSlot] = y;
            if (biasBandMillivolts > 0f)
            {
                if (y > biasBandMillivolts) y -= biasBandMillivolts;
                else if (y < -biasBandMillivolts) y += biasBandMillivolts;
                else return false;
            }

            // P H' for H = [s, -1, -1]
            float ph0 = x[P00] * slope - x[P01] - x[P02];
            float ph1 = x[P01] * slope - x[P11] - x[P12];
            float ph2 = x[P02] * slope - x[P12] - x[P22];
            float hph = slope * ph0 - ph1 - ph2;
            float s = hph + noiseVariance;
            if (socFloorVariance > 0f && !(x[P00] > socFloorVariance)) return false;
            // Robust gate: a residual far outside what the filter expects inflates R rather than yanking the state.
            float gate = GateSigmas * GateSigmas * s;
            if (y * y > gate) s = y * y / (GateSigmas * GateSigmas);
            // P00 after the update is P00 - ph0^2 / s: keep it at or above the floor.
            if (socFloorVariance > 0f)
            {
                float least = ph0 * ph0 / (x[P00] - socFloorVariance);
                if (s < least) s = least;
            }
            if (!(s > 0) || FastMath.IsBad(s)) return false;

            float inverseS = 1f / s; // one division for the three gains
            float k0 = ph0 * inverseS, k1 = ph1 * inverseS, k2 = ph2 * inverseS;
            float soc = x[SocSlot] + k0 * y;
            float v1 = x[V1Slot] + k1 * y;
            float v2 = x[V2Slot] + k2 * y;
            // P -= K (P H')' ; symmetric form
            float n00 = x[P00] - k0 * ph0, n01 = x[P01] - k0 * ph1, n02 = x[P02] - k0 * ph2;
            // A large step was taken on the curve's slope at the old SOC, not at the new one: part of it stays uncertain,
            // so the next ticks may still correct (a filter that trusts its own first big jump stalls where the OCV bends).
            // Never above the variance before the update: a measurement must not make the filter less sure (a gated
            // 3-sigma step would otherwise raise it 2.25 times and let the next spike pull harder).
            float stepDoubt = LinearisationShare * (soc - x[SocSlot]);
            stepDoubt *= stepDoubt;
            if (stepDoubt > x[P00]) stepDoubt = x[P00];
            if (n00 < stepDoubt) n00 = stepDoubt;
            float n11 = x[P11] - k1 * ph1, n12 = x[P12] - k1 * ph2, n22 = x[P22] - k2 * ph2;
            // x - x is 0 for every finite x and NaN for NaN and the infinities: one test for the nine numbers.
            float finite = (soc - soc) + (v1 - v1) + (v2 - v2) + (n00 - n00) + (n11 - n11) + (n22 - n22) + (n01 - n01) + (n02 - n02) + (n12 - n12);
            if (!(finite == 0f)) return false;
            x[SocSlot] = FastMath.Clamp(soc, 0f, 1f);
            x[V1Slot] = v1;
            x[V2Slot] = v2;
            // Keep the diagonal positive: float rounding must never make the filter over-confident.
            x[P00] = FastMath.Max(n00, 1e-10f);
            x[P11] = FastMath.Max(n11, 1e-6f);
            x[P22] = FastMath.Max(n22, 1e-6f);
            x[P01] = n01; x[P02] = n02; x[P12] = n12;
            return true;
        }

        /// <summary>Direct SOC observation (rest OCV) with its variance: a scalar update on the SOC state only.</summary>
        public bool ObserveSoc(float socObserved, float variance) { return ObserveSoc(_s, socObserved, variance); }

        /// <summary>The same on the numbers in <paramref name="x"/> (a cell's slots: <see cref="StateEstimator"/>).</summary>
        internal static bool ObserveSoc(float[] x, float socObserved, float variance)
        {
            if (FastMath.IsBad(socObserved) || !(variance > 0) || FastMath.IsBad(variance)) return false;
            float s = x[P00] + variance;
            float k0 = x[P00] / s, k1 = x[P01] / s, k2 = x[P02] / s;
            float y = socObserved - x[SocSlot];
            x[SocSlot] = FastMath.Clamp(x[SocSlot] + k0 * y, 0f, 1f);
            x[V1Slot] += k1 * y;
            x[V2Slot] += k2 * y;
            float p00 = x[P00], p01 = x[P01], p02 = x[P02];
            x[P00] = FastMath.Max(p00 - k0 * p00, 1e-10f);
            x[P01] = p01 - k0 * p01;
            x[P02] = p02 - k0 * p02;
            x[P11] = FastMath.Max(x[P11] - k1 * p01, 1e-6f);
            x[P12] = x[P12] - k1 * p02;
            x[P22] = FastMath.Max(x[P22] - k2 * p02, 1e-6f);
            return true;
        }
    }
}
