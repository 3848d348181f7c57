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

        public float Soc;
        public float V1Millivolts;
        public float V2Millivolts;

        private float _p00, _p01, _p02, _p11, _p12, _p22;

        /// <summary>Last measurement residual (measured - predicted terminal voltage), mV.</summary>
        public float LastInnovationMillivolts;

        /// <summary>Standard deviation of the SOC estimate (0..1 units).</summary>
        public float SocSigma { get { return (float)FastMath.Sqrt(_p00 > 0 ? _p00 : 0); } }

        public float SocVariance { get { return _p00; } }

        public void Reset(float soc, float socSigma, float rcSigmaMillivolts)
        {
            Soc = FastMath.Clamp(soc, 0f, 1f);
            V1Millivolts = 0;
            V2Millivolts = 0;
            _p00 = socSigma * socSigma;
            _p11 = rcSigmaMillivolts * rcSigmaMillivolts;
            _p22 = _p11;
            _p01 = _p02 = _p12 = 0;
            LastInnovationMillivolts = 0;
        }

        /// <summary>
        /// Time update. socPerAmpSecond = 1 / (3600 capacity in Ah); a1, a2 = exp(-dt/tau); r1, r2 in mOhm;
        /// qSoc, qV1, qV2 = process variances added this step.
        /// </summary>
        public void Predict(float currentA, float dtS, float socPerAmpSecond, float r1MilliOhm, float a1, float r2MilliOhm, float a2,
            float qSoc, float qV1, float qV2)
        {
            Soc = FastMath.Clamp(Soc - currentA * dtS * socPerAmpSecond, 0f, 1f);
            V1Millivolts = a1 * V1Millivolts + r1MilliOhm * (1f - a1) * currentA;
            V2Millivolts = a2 * V2Millivolts + r2MilliOhm * (1f - a2) * currentA;
            // P = F P F' + Q with F = diag(1, a1, a2)
            _p00 += qSoc;
            _p01 *= a1;
            _p02 *= a2;
            _p11 = a1 * a1 * _p11 + qV1;
            _p12 *= a1 * a2;
            _p22 = a2 * a2 * _p22 + qV2;
        }

        /// <summary>Sets the slow RC voltage from a saved state with its own doubt, uncorrelated with the rest (after <see cref="Reset"/>).</summary>
        public void RestoreSlowRc(float v2Millivolts, float sigmaMillivolts)
        {
            if (FastMath.IsBad(v2Millivolts) || !(sigmaMillivolts > 0)) return;
            V2Millivolts = v2Millivolts;
            _p22 = sigmaMillivolts * sigmaMillivolts;
            _p02 = 0;
            _p12 = 0;
        }

        /// <summary>Grows the SOC uncertainty without moving the state (time passed with the current unknown).</summary>
        public void InflateSoc(float variance) { if (variance > 0 && !FastMath.IsBad(variance)) _p00 += variance; }

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
        public bool Correct(float measuredMillivolts, float ocvMillivolts, float slope, float r0MilliOhm, float currentA, float noiseVariance, float socFloorVariance, float biasBandMillivolts)
        {
            float predicted = ocvMillivolts - r0MilliOhm * currentA - V1Millivolts - V2Millivolts;
            float y = measuredMillivolts - predicted;
            if (FastMath.IsBad(y) || FastMath.IsBad(slope) || !(noiseVariance > 0)) return false;
            LastInnovationMillivolts = y;
            if (biasBandMillivolts > 0f)
            {
                if (y > biasBandMillivolts) y -= biasBandMillivolts;
                else if (y < -biasBandMillivolts) y += biasBandMillivolts;
                else return false;
            }

            // P H' for H = [s, -1, -1]
            float ph0 = _p00 * slope - _p01 - _p02;
            float ph1 = _p01 * slope - _p11 - _p12;
            float ph2 = _p02 * slope - _p12 - _p22;
            float hph = slope * ph0 - ph1 - ph2;
            float s = hph + noiseVariance;
            if (socFloorVariance > 0f && !(_p00 > socFloorVariance)) return false;
            // Robust gate: a residual far outside what the filter expects inflates R rather than yanking the state.
            float gate = GateSigmas * GateSigmas * s;
            if (y * y > gate) s = y * y / (GateSigmas * GateSigmas);
            // P00 after the update is P00 - ph0^2 / s: keep it at or above the floor.
            if (socFloorVariance > 0f)
            {
                float least = ph0 * ph0 / (_p00 - socFloorVariance);
                if (s < least) s = least;
            }
            if (!(s > 0) || FastMath.IsBad(s)) return false;

            float inverseS = 1f / s; // one division for the three gains
            float k0 = ph0 * inverseS, k1 = ph1 * inverseS, k2 = ph2 * inverseS;
            float soc = Soc + k0 * y;
            float v1 = V1Millivolts + k1 * y;
            float v2 = V2Millivolts + k2 * y;
            // P -= K (P H')' ; symmetric form
            float n00 = _p00 - k0 * ph0, n01 = _p01 - k0 * ph1, n02 = _p02 - k0 * ph2;
            // A large step was taken on the curve's slope at the old SOC, not at the new one: part of it stays uncertain,
            // so the next ticks may still correct (a filter that trusts its own first big jump stalls where the OCV bends).
            // Never above the variance before the update: a measurement must not make the filter less sure (a gated
            // 3-sigma step would otherwise raise it 2.25 times and let the next spike pull harder).
            float stepDoubt = LinearisationShare * (soc - Soc);
            stepDoubt *= stepDoubt;
            if (stepDoubt > _p00) stepDoubt = _p00;
            if (n00 < stepDoubt) n00 = stepDoubt;
            float n11 = _p11 - k1 * ph1, n12 = _p12 - k1 * ph2, n22 = _p22 - k2 * ph2;
            // x - x is 0 for every finite x and NaN for NaN and the infinities: one test for the nine numbers.
            float finite = (soc - soc) + (v1 - v1) + (v2 - v2) + (n00 - n00) + (n11 - n11) + (n22 - n22) + (n01 - n01) + (n02 - n02) + (n12 - n12);
            if (!(finite == 0f)) return false;
            Soc = FastMath.Clamp(soc, 0f, 1f);
            V1Millivolts = v1;
            V2Millivolts = v2;
            // Keep the diagonal positive: float rounding must never make the filter over-confident.
            _p00 = FastMath.Max(n00, 1e-10f);
            _p11 = FastMath.Max(n11, 1e-6f);
            _p22 = FastMath.Max(n22, 1e-6f);
            _p01 = n01; _p02 = n02; _p12 = n12;
            return true;
        }

        /// <summary>Direct SOC observation (rest OCV) with its variance: a scalar update on the SOC state only.</summary>
        public bool ObserveSoc(float socObserved, float variance)
        {
            if (FastMath.IsBad(socObserved) || !(variance > 0) || FastMath.IsBad(variance)) return false;
            float s = _p00 + variance;
            float k0 = _p00 / s, k1 = _p01 / s, k2 = _p02 / s;
            float y = socObserved - Soc;
            Soc = FastMath.Clamp(Soc + k0 * y, 0f, 1f);
            V1Millivolts += k1 * y;
            V2Millivolts += k2 * y;
            float p00 = _p00, p01 = _p01, p02 = _p02;
            _p00 = FastMath.Max(p00 - k0 * p00, 1e-10f);
            _p01 = p01 - k0 * p01;
            _p02 = p02 - k0 * p02;
            _p11 = FastMath.Max(_p11 - k1 * p01, 1e-6f);
            _p12 = _p12 - k1 * p02;
            _p22 = FastMath.Max(_p22 - k2 * p02, 1e-6f);
            return true;
        }
    }
}
