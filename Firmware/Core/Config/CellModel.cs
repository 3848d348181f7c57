using SolidBms.Core.Util;

namespace SolidBms.Core.Config
{
    /// <summary>
    /// The firmware's model of one cell: capacity, voltage window, open-circuit voltage over SOC and
    /// temperature, and the equivalent-circuit impedance (R0 plus two RC pairs) over temperature, optionally scaled over
    /// SOC and with a current-dependent (Butler-Volmer) charge-transfer part of R0.
    /// Loaded from a board/cells/*.cell file; the simulator reads the same file as its "true" cell, and a
    /// scenario may make the two differ.
    /// </summary>
    public sealed class CellModel
    {
        public string Name;
        public float CapacityAh;
        public int MinCellMillivolts;
        public int MaxCellMillivolts;
        public float PressedAreaCm2;
        /// <summary>
        /// How far the true capacity may lie from <see cref="CapacityAh"/>, percent (1 sigma; [cell] capacityUncertaintyPercent,
        /// default 5: datasheet tolerance and early fade). A file fitted to the cell's own C/20 test may say less.
        /// </summary>
        public float CapacityUncertaintyPercent = 5f;

        /// <summary>Absolute ratings ([ratings], optional): how far a key holder may move a trip over a port.</summary>
        public CellRatings Ratings = new CellRatings();

        /// <summary>SOC breakpoints (0..1, strictly increasing).</summary>
        public float[] SocPoints;

        /// <summary>Temperatures of the OCV table rows.</summary>
        public float[] OcvTemperaturesC;

        /// <summary>OCV, row-major: [temperature row * SocPoints.Length + soc column].</summary>
        public float[] OcvMillivolts;

        public float[] ImpedanceTemperaturesC;
        public float[] R0MilliOhm;
        public float[] R1MilliOhm;
        public float[] Tau1Seconds;
        public float[] R2MilliOhm;
        public float[] Tau2Seconds;

        /// <summary>
        /// Optional SOC axis of the impedance ([impedance] socPoints) and the multipliers of R0, R1, R2 over it (1 where
        /// the temperature rows hold), row-major [impedance temperature row * socPoints + column]: a file may give one row
        /// for all temperatures (copied into every row at load) or one per temperature (the diffusion-limited knee near
        /// empty grows differently with cold than the mid-SOC impedance). Null when the file has none: the impedance
        /// then does not depend on SOC.
        /// </summary>
        public float[] ImpedanceSocPoints;
        public float[] R0SocFactor;
        public float[] R1SocFactor;
        public float[] R2SocFactor;

        /// <summary>
        /// Optional charge-transfer part of R0 over the impedance temperatures, mOhm (its value at zero current; null:
        /// R0 is linear), and the exchange current of its Butler-Volmer term, A. The series drop is then
        /// R0 I - Rct I + Rct 2 I0 asinh(I / 2 I0): the charge-transfer resistance falls as |I| grows.
        /// </summary>
        public float[] ChargeTransferMilliOhm;
        public float[] ExchangeCurrentA;

        /// <summary>
        /// Optional voltage hysteresis ([hysteresis]), the one-state dynamic hysteresis of Plett's enhanced self-correcting
        /// cell model plus an instantaneous term, over temperature: the terminal voltage carries M h + M0 s, where h (-1..1)
        /// moves towards -1 on discharge and +1 on charge at a rate set by the charge passed (<see cref="StepHysteresis"/>),
        /// and s is the sign of the last non-zero current (-1 after a discharge, +1 after a charge). Null when the file has
        /// none: the model is then the plain average OCV, as before.
        /// </summary>
        public float[] HysteresisTemperaturesC;
        /// <summary>M, the dynamic part's full size, mV (the voltage lies M above the OCV table at h = 1).</summary>
        public float[] HysteresisMillivolts;
        /// <summary>M0, the instantaneous part, mV.</summary>
        public float[] InstantHysteresisMillivolts;
        /// <summary>Gamma: h moves by a fraction 1 - exp(-gamma |dSOC|) of its distance to +-1 for a change dSOC (unitless).</summary>
        public float[] HysteresisRate;
        /// <summary>
        /// Optional SOC multipliers of the hysteresis voltage ([hysteresis] socPoints, socFactor or socFactor&lt;T&gt;; null:
        /// 1 everywhere): a cold cell's charge and discharge branches part far more near full and empty than in the middle,
        /// which one M over SOC cannot follow. Rows over <see cref="HysteresisTemperaturesC"/>, columns over
        /// <see cref="HysteresisSocPoints"/>, read at the counted SOC.
        /// </summary>
        public float[] HysteresisSocPoints;
        public float[] HysteresisSocFactor;

        public bool HasHysteresisSocFactor { get { return HysteresisSocFactor != null; } }

        /// <summary>The hysteresis voltage's SOC multiplier at an SOC and temperature (1 without the rows).</summary>
        public float HysteresisSocFactorAt(float soc, float temperatureC)
        {
            if (HysteresisSocFactor == null) return 1f;
            return Interpolation.Lookup2D(HysteresisTemperaturesC, HysteresisSocPoints, HysteresisSocFactor, temperatureC, soc);
        }

        /// <summary>
        /// Optional solid-state diffusion ([diffusion]) over temperature: under load the particles' surface runs ahead of their
        /// average charge, so the voltage follows the OCV at the surface's SOC, OCV(SOC - d), not at the counted SOC. d (SOC,
        /// + while discharging) follows the C-rate through a first-order lag: d -> socShiftPerC * I / Q with time constant
        /// tauSeconds. On a flat plateau it moves the voltage by a few mV; in the knee near empty, where the OCV falls 100s
        /// of mV per percent, it is why a cell under a drive cycle reaches its cut-off 3 to 4 % of charge earlier than at C/30
        /// (the first-order reduction of a single-particle model's surface concentration). Null when the file has none.
        /// </summary>
        public float[] DiffusionTemperaturesC;
        /// <summary>The steady SOC shift at 1C, SOC per C (d = socShiftPerC * I / Q once the current has held for a few tau).</summary>
        public float[] DiffusionSocShiftPerC;
        /// <summary>Its time constant, s.</summary>
        public float[] DiffusionTauSeconds;
        /// <summary>
        /// How much the shift per C grows towards empty ([diffusion] kneeGain, optional, 0 by default): socShiftPerC (1 +
        /// kneeGain r), r rising from 0 at <see cref="DiffusionKneeSoc"/> to 1 at SOC 0. The particles' solid diffusion
        /// slows as they fill, so near empty the surface runs further ahead of the average for the same current.
        /// </summary>
        public float[] DiffusionKneeGain;

        /// <summary>The SOC below which the shift per C grows (<see cref="DiffusionKneeGain"/>).</summary>
        public const float DiffusionKneeSoc = 0.1f;

        public bool HasDiffusion { get { return DiffusionTemperaturesC != null; } }

        /// <summary>The diffusion's steady SOC shift per C, its time constant and knee gain at a temperature (0, 1 s and 0 without diffusion).</summary>
        public void DiffusionAt(float temperatureC, out float socShiftPerC, out float tauSeconds, out float kneeGain)
        {
            if (DiffusionTemperaturesC == null) { socShiftPerC = 0f; tauSeconds = 1f; kneeGain = 0f; return; }
            float f;
            int i = Interpolation.Locate(DiffusionTemperaturesC, temperatureC, out f);
            socShiftPerC = Interpolation.Between(DiffusionSocShiftPerC, i, f);
            tauSeconds = Interpolation.Between(DiffusionTauSeconds, i, f);
            kneeGain = Interpolation.Between(DiffusionKneeGain, i, f);
        }

        /// <summary>The shift per C at an SOC: socShiftPerC (1 + kneeGain r), r = (KneeSoc - SOC) / KneeSoc within 0..1.</summary>
        public static float DiffusionShiftPerCAt(float soc, float socShiftPerC, float kneeGain)
        {
            if (soc >= DiffusionKneeSoc || kneeGain == 0f) return socShiftPerC;
            float r = soc <= 0f ? 1f : (DiffusionKneeSoc - soc) / DiffusionKneeSoc;
            return socShiftPerC * (1f + kneeGain * r);
        }

        /// <summary>
        /// The diffusion shift after a step of <paramref name="dtS"/> at <paramref name="currentA"/> (+ = discharge): the
        /// zero-order-hold step of the lag towards socShiftPerC * I / Q, written with socPerAmpSecond = 1 / (3600 Q) and
        /// <paramref name="decay"/> = exp(-dt / tau) (the caller keeps it: one exponential per interval, not per step). One
        /// body for the estimator and the simulator's true cell.
        /// </summary>
        public static float StepDiffusion(float shift, float currentA, float socPerAmpSecond, float socShiftPerC, float decay)
        {
            float magnitudeA = currentA < 0f ? -currentA : currentA;
            return decay * shift + (1f - decay) * socShiftPerC * magnitudeA * socPerAmpSecond * 3600f;
        }

        /// <summary>
        /// RMS of the voltage the cell file's model missed on the records it was fitted to, mV, over SOC ([fit]
        /// voltageRmsMillivolts, one value or one per [fit] socPoints; null when the file does not say): how far the
        /// estimator may trust the model's voltage at an SOC.
        /// </summary>
        public float[] FitResidualSocPoints, FitResidualMillivolts;

        /// <summary>The fit residual at an SOC, mV (NaN when the file gives none).</summary>
        public float FitResidualAt(float soc)
        {
            if (FitResidualMillivolts == null) return float.NaN;
            if (FitResidualSocPoints == null) return FitResidualMillivolts[0];
            return Interpolation.Lookup(FitResidualSocPoints, FitResidualMillivolts, soc);
        }

        public bool HasHysteresis { get { return HysteresisTemperaturesC != null; } }

        /// <summary>
        /// Currents below this C-rate move neither hysteresis state: at rest the sensor reads noise around zero, and the
        /// instantaneous term keeps the sign of the last real load (C/100: below any C/20 or C/30 OCV test's current).
        /// </summary>
        public const float HysteresisMinCRate = 0.01f;

        /// <summary>The instantaneous term's sign after a step: -1 after a discharge, +1 after a charge, kept at rest.</summary>
        public static float StepHysteresisSign(float sign, float currentA, float socPerAmpSecond)
        {
            if (FastMath.Abs(currentA) < HysteresisMinCRate / (3600f * socPerAmpSecond)) return sign;
            return currentA > 0f ? -1f : 1f;
        }

        /// <summary>M, M0 and gamma at a temperature (all 0 for a cell without hysteresis).</summary>
        public void HysteresisAt(float temperatureC, out float millivolts, out float instantMillivolts, out float rate)
        {
            if (HysteresisTemperaturesC == null) { millivolts = instantMillivolts = rate = 0f; return; }
            float f;
            int i = Interpolation.Locate(HysteresisTemperaturesC, temperatureC, out f);
            millivolts = Interpolation.Between(HysteresisMillivolts, i, f);
            instantMillivolts = Interpolation.Between(InstantHysteresisMillivolts, i, f);
            rate = Interpolation.Between(HysteresisRate, i, f);
        }

        /// <summary>
        /// The hysteresis state after a step: h relaxes towards -sign(I) (I + = discharge) by the factor exp(-gamma |I| dt /
        /// (3600 Q)), written socPerAmpSecond = 1 / (3600 Q). One body for the estimator and the simulator's true cell. The
        /// exponent is a few thousandths per 100 ms tick, so the second-order series stands in for the exponential (error
        /// below 2e-8 at 0.01; the interpreter pays for every call).
        /// </summary>
        public static float StepHysteresis(float h, float currentA, float dtS, float socPerAmpSecond, float rate)
        {
            // Sensor noise at rest (a few mA either way) would otherwise walk h towards 0 over hours of rest.
            if (!(rate > 0f) || FastMath.Abs(currentA) < HysteresisMinCRate / (3600f * socPerAmpSecond)) return h;
            float x = FastMath.Abs(currentA) * dtS * socPerAmpSecond * rate;
            float decay = x < 0.01f ? 1f - x * (1f - 0.5f * x) : (float)FastMath.Exp(-x);
            float target = currentA > 0f ? -1f : 1f;
            return target + (h - target) * decay;
        }

        /// <summary>Samples of asinh(x)/x at x = k * BvStep, k = 0..BvSamples-1 (built at load: the tick only interpolates).</summary>
        public const float BvStep = 0.125f;
        public const int BvSamples = 513;
        private float[] _bvRatio;

        public float OcvMillivoltsAt(float soc, float temperatureC)
        {
            return Interpolation.Lookup2D(OcvTemperaturesC, SocPoints, OcvMillivolts, temperatureC, soc);
        }

        /// <summary><see cref="OcvMillivoltsAt(float, float)"/> with the SOC interval tried from the caller's hint: the same number.</summary>
        public float OcvMillivoltsAt(float soc, float temperatureC, ref int socHint)
        {
            int r1;
            float fr;
            int r = Interpolation.LocateRow(OcvTemperaturesC, temperatureC, out r1, out fr);
            return Interpolation.LookupBetweenRows(SocPoints, OcvMillivolts, r, r1, fr, soc, ref socHint);
        }

        /// <summary>Slope dOCV/dSOC in mV per unit SOC at a point: small on the flat parts of the curve.</summary>
        public float OcvSlopeMillivoltsPerSoc(float soc, float temperatureC)
        {
            float slope;
            OcvAndSlopeAt(soc, temperatureC, out slope);
            return slope;
        }

        /// <summary>
        /// OCV (returned) and its slope (<see cref="OcvSlopeMillivoltsPerSoc"/>) at one point, with the temperature row
        /// located once: the estimator needs both for every cell every tick. The slope is the chord over SOC +-0.01; where
        /// that window lies inside one interval of the table it is the interval's own slope, read with the OCV.
        /// </summary>
        public float OcvAndSlopeAt(float soc, float temperatureC, out float slopeMillivoltsPerSoc)
        {
            int hint = -1;
            return OcvAndSlopeAt(soc, temperatureC, ref hint, out slopeMillivoltsPerSoc);
        }

        /// <summary>
        /// <see cref="OcvAndSlopeAt(float, float, out float)"/> with the SOC interval tried from the caller's
        /// <paramref name="socHint"/> (one per cell, kept between ticks): the same numbers without searching while the
        /// SOC stays in one interval of the table.
        /// </summary>
        public float OcvAndSlopeAt(float soc, float temperatureC, ref int socHint, out float slopeMillivoltsPerSoc)
        {
            int r1;
            float fr;
            int r = LocateOcvRow(temperatureC, out r1, out fr);
            return OcvAndSlopeBetweenRows(soc, r, r1, fr, ref socHint, out slopeMillivoltsPerSoc);
        }

        /// <summary>The OCV table's rows around a temperature (<see cref="Interpolation.LocateRow"/>): r (returned), r1 and the fraction.</summary>
        public int LocateOcvRow(float temperatureC, out int r1, out float fraction)
        {
            return Interpolation.LocateRow(OcvTemperaturesC, temperatureC, out r1, out fraction);
        }

        /// <summary>
        /// <see cref="OcvAndSlopeAt(float, float, ref int, out float)"/> between OCV rows already located
        /// (<see cref="LocateOcvRow"/>): the estimator locates them with its other temperature-dependent values.
        /// </summary>
        public float OcvAndSlopeBetweenRows(float soc, int r, int r1, float fr, ref int socHint, out float slopeMillivoltsPerSoc)
        {
            const float h = 0.01f;
            float lo = FastMath.Max(0f, soc - h), hi = FastMath.Min(1f, soc + h);
            float intervalSlope;
            float ocv = Interpolation.LookupAndSlopeBetweenRows(SocPoints, OcvMillivolts, r, r1, fr, soc, ref socHint, out intervalSlope);
            // The chord over [lo, hi] of a curve that is a straight line there is that line's slope: when the window lies
            // in the interval the OCV was read from (60 % of the time with 0.05 SOC steps), no more look-ups.
            int c = socHint;
            if (!float.IsNaN(intervalSlope) && SocPoints[c] <= lo && hi <= SocPoints[c + 1])
            {
                slopeMillivoltsPerSoc = intervalSlope;
                return ocv;
            }
            int hint = socHint;
            float ocvHi = Interpolation.LookupBetweenRows(SocPoints, OcvMillivolts, r, r1, fr, hi, ref hint);
            hint = socHint;
            float ocvLo = Interpolation.LookupBetweenRows(SocPoints, OcvMillivolts, r, r1, fr, lo, ref hint);
            slopeMillivoltsPerSoc = (ocvHi - ocvLo) / (hi - lo);
            return ocv;
        }

        /// <summary>Inverse of the OCV curve by bisection (the curve is strictly increasing, checked at load).</summary>
        public float SocFromOcv(float ocvMillivolts, float temperatureC)
        {
            float lo = 0f, hi = 1f;
            if (ocvMillivolts <= OcvMillivoltsAt(0f, temperatureC)) return 0f;
            if (ocvMillivolts >= OcvMillivoltsAt(1f, temperatureC)) return 1f;
            for (int i = 0; i < 30; i++)
            {
                float mid = 0.5f * (lo + hi);
                if (OcvMillivoltsAt(mid, temperatureC) < ocvMillivolts) lo = mid; else hi = mid;
            }
            return 0.5f * (lo + hi);
        }

        /// <summary>
        /// All five impedance values at one temperature, the axis located once (the estimator's model refresh and the
        /// simulator's cell step need them together); each equals its single look-up below.
        /// </summary>
        public void ImpedanceAt(float temperatureC, out float r0MilliOhm, out float r1MilliOhm, out float tau1Seconds, out float r2MilliOhm, out float tau2Seconds)
        {
            float f;
            int i = Interpolation.Locate(ImpedanceTemperaturesC, temperatureC, out f);
            r0MilliOhm = Interpolation.Between(R0MilliOhm, i, f);
            r1MilliOhm = Interpolation.Between(R1MilliOhm, i, f);
            tau1Seconds = Interpolation.Between(Tau1Seconds, i, f);
            r2MilliOhm = Interpolation.Between(R2MilliOhm, i, f);
            tau2Seconds = Interpolation.Between(Tau2Seconds, i, f);
        }

        public float R0MilliOhmAt(float temperatureC) { return Interpolation.Lookup(ImpedanceTemperaturesC, R0MilliOhm, temperatureC); }

        public float R1MilliOhmAt(float temperatureC) { return Interpolation.Lookup(ImpedanceTemperaturesC, R1MilliOhm, temperatureC); }

        public float Tau1SecondsAt(float temperatureC) { return Interpolation.Lookup(ImpedanceTemperaturesC, Tau1Seconds, temperatureC); }

        public float R2MilliOhmAt(float temperatureC) { return Interpolation.Lookup(ImpedanceTemperaturesC, R2MilliOhm, temperatureC); }

        public float Tau2SecondsAt(float temperatureC) { return Interpolation.Lookup(ImpedanceTemperaturesC, Tau2Seconds, temperatureC); }

        /// <summary>Multiplier of R0, R1 or R2 at an SOC and temperature (1 when the file has no SOC axis).</summary>
        public float SocFactorAt(float[] factors, float soc, float temperatureC)
        {
            if (factors == null || ImpedanceSocPoints == null) return 1f;
            return Interpolation.Lookup2D(ImpedanceTemperaturesC, ImpedanceSocPoints, factors, temperatureC, soc);
        }

        /// <summary>
        /// The three SOC multipliers (<see cref="SocFactorAt"/> of R0, R1, R2) at one SOC and temperature, each axis
        /// located once: the same numbers as the three single look-ups.
        /// </summary>
        public void SocFactorsAt(float soc, float temperatureC, out float r0Factor, out float r1Factor, out float r2Factor)
        {
            int hint = -1;
            SocFactorsAt(soc, temperatureC, ref hint, out r0Factor, out r1Factor, out r2Factor);
        }

        /// <summary>
        /// <see cref="SocFactorsAt(float, float, out float, out float, out float)"/> with the SOC interval tried from the
        /// caller's <paramref name="socHint"/> (kept per cell between steps): the same numbers, no search while it holds.
        /// </summary>
        public void SocFactorsAt(float soc, float temperatureC, ref int socHint, out float r0Factor, out float r1Factor, out float r2Factor)
        {
            if (ImpedanceSocPoints == null) { r0Factor = r1Factor = r2Factor = 1f; return; } // no SOC axis: no look-up
            int r1;
            float fr;
            int r = Interpolation.LocateRow(ImpedanceTemperaturesC, temperatureC, out r1, out fr);
            int column = socHint; // found by the first table (from the hint), tried first by the others
            r0Factor = R0SocFactor != null ? Interpolation.LookupBetweenRows(ImpedanceSocPoints, R0SocFactor, r, r1, fr, soc, ref column) : 1f;
            r1Factor = R1SocFactor != null ? Interpolation.LookupBetweenRows(ImpedanceSocPoints, R1SocFactor, r, r1, fr, soc, ref column) : 1f;
            r2Factor = R2SocFactor != null ? Interpolation.LookupBetweenRows(ImpedanceSocPoints, R2SocFactor, r, r1, fr, soc, ref column) : 1f;
            socHint = column;
        }

        /// <summary>
        /// <see cref="ChargeTransferFractionAt"/> and <see cref="HalfInverseExchangeCurrentAt"/> with the temperature
        /// axis located once: the same numbers.
        /// </summary>
        public void ChargeTransferAt(float temperatureC, out float chargeTransferFraction, out float halfInverseExchangeA)
        {
            if (ImpedanceTemperaturesC.Length == 1 || (ChargeTransferMilliOhm == null && ExchangeCurrentA == null))
            {
                // a linear cell (no look-up at all), or a one-point table
                chargeTransferFraction = ChargeTransferFractionAt(temperatureC);
                halfInverseExchangeA = HalfInverseExchangeCurrentAt(temperatureC);
                return;
            }
            float f;
            int i = Interpolation.Locate(ImpedanceTemperaturesC, temperatureC, out f);
            chargeTransferFraction = 0f;
            if (ChargeTransferMilliOhm != null)
            {
                float r0 = Interpolation.Between(R0MilliOhm, i, f);
                chargeTransferFraction = r0 > 0 ? FastMath.Clamp(Interpolation.Between(ChargeTransferMilliOhm, i, f) / r0, 0f, 1f) : 0f;
            }
            halfInverseExchangeA = ExchangeCurrentA != null ? 0.5f / Interpolation.Between(ExchangeCurrentA, i, f) : 0f;
        }

        /// <summary>Share of R0 that is charge transfer at a temperature (0 for a linear cell).</summary>
        public float ChargeTransferFractionAt(float temperatureC)
        {
            if (ChargeTransferMilliOhm == null) return 0f;
            float r0 = R0MilliOhmAt(temperatureC);
            return r0 > 0 ? FastMath.Clamp(Interpolation.Lookup(ImpedanceTemperaturesC, ChargeTransferMilliOhm, temperatureC) / r0, 0f, 1f) : 0f;
        }

        /// <summary>1 / (2 I0) at a temperature, 1/A (0 for a linear cell).</summary>
        public float HalfInverseExchangeCurrentAt(float temperatureC)
        {
            if (ExchangeCurrentA == null) return 0f;
            return 0.5f / Interpolation.Lookup(ImpedanceTemperaturesC, ExchangeCurrentA, temperatureC);
        }

        /// <summary>
        /// R0 at a current as a multiple of its zero-current value: 1 - f + f asinh(x)/x with f the charge-transfer fraction
        /// and x = |I| / (2 I0). The two per-temperature numbers come from the caller's cache; the ratio from a table.
        /// </summary>
        public float R0CurrentFactor(float currentA, float chargeTransferFraction, float halfInverseExchangeA)
        {
            if (!(chargeTransferFraction > 0) || _bvRatio == null) return 1f;
            float x = FastMath.Abs(currentA) * halfInverseExchangeA * (1f / BvStep);
            float ratio;
            if (x < BvSamples - 1)
            {
                int k = (int)x;
                ratio = _bvRatio[k] + (_bvRatio[k + 1] - _bvRatio[k]) * (x - k);
            }
            else
            {
                float xa = x * BvStep; // beyond the table (|I| > 128 I0): asinh(x) = ln(2x) to 1e-5
                ratio = (float)FastMath.Log(2.0 * xa) / xa;
            }
            return 1f - chargeTransferFraction + chargeTransferFraction * ratio;
        }

        private void BuildBvTable()
        {
            _bvRatio = new float[BvSamples];
            _bvRatio[0] = 1f;
            for (int k = 1; k < BvSamples; k++)
            {
                double x = k * (double)BvStep;
                _bvRatio[k] = (float)(FastMath.Log(x + FastMath.Sqrt(x * x + 1.0)) / x);
            }
        }

        /// <summary>The largest capacityAh a cell file may state (host tools judge units by it too).</summary>
        public const double MaxCapacityAh = 2000;

        /// <summary>Reads [cell], [ocv], [impedance] and [ratings]; other sections are left for the simulator.</summary>
        public static CellModel Load(KeyValueDocument doc)
        {
            var m = new CellModel();
            m.Name = doc.GetString("cell", "name");
            doc.GetString("cell", "chemistry");
            m.CapacityAh = (float)doc.GetNumber("cell", "capacityAh", 0.001, MaxCapacityAh);
            m.MinCellMillivolts = doc.GetInt("cell", "minCellMillivolts", 500, 5000);
            m.MaxCellMillivolts = doc.GetInt("cell", "maxCellMillivolts", 500, 5000);
            if (m.MaxCellMillivolts <= m.MinCellMillivolts) throw doc.Error("cell", "maxCellMillivolts", "must be above minCellMillivolts");
            m.PressedAreaCm2 = (float)doc.GetNumber("cell", "pressedAreaCm2", 0.01, 100000);
            m.CapacityUncertaintyPercent = (float)doc.GetNumber("cell", "capacityUncertaintyPercent", 0.1, 50, 5);

            m.SocPoints = doc.GetNumberList("ocv", "socPoints", 0, 1, 0);
            RequireIncreasing(doc, "ocv", "socPoints", m.SocPoints);
            if (m.SocPoints[0] != 0f || m.SocPoints[m.SocPoints.Length - 1] != 1f) throw doc.Error("ocv", "socPoints", "must run from 0 to 1");
            m.OcvTemperaturesC = doc.GetNumberList("ocv", "temperaturesC", -60, 120, 0);
            RequireIncreasing(doc, "ocv", "temperaturesC", m.OcvTemperaturesC);
            int n = m.SocPoints.Length;
            m.OcvMillivolts = new float[m.OcvTemperaturesC.Length * n];
            for (int t = 0; t < m.OcvTemperaturesC.Length; t++)
            {
                string key = "ocvMillivolts" + ((int)m.OcvTemperaturesC[t]).ToString();
                float[] row = doc.GetNumberList("ocv", key, 500, 5000, n);
                RequireIncreasing(doc, "ocv", key, row);
                for (int i = 0; i < n; i++) m.OcvMillivolts[t * n + i] = row[i];
            }

            m.ImpedanceTemperaturesC = doc.GetNumberList("impedance", "temperaturesC", -60, 120, 0);
            RequireIncreasing(doc, "impedance", "temperaturesC", m.ImpedanceTemperaturesC);
            int nt = m.ImpedanceTemperaturesC.Length;
            m.R0MilliOhm = doc.GetNumberList("impedance", "r0MilliOhm", 1e-6, 1e6, nt);
            m.R1MilliOhm = doc.GetNumberList("impedance", "r1MilliOhm", 1e-6, 1e6, nt);
            m.Tau1Seconds = doc.GetNumberList("impedance", "tau1Seconds", 1e-3, 1e6, nt);
            m.R2MilliOhm = doc.GetNumberList("impedance", "r2MilliOhm", 1e-6, 1e6, nt);
            m.Tau2Seconds = doc.GetNumberList("impedance", "tau2Seconds", 1e-3, 1e6, nt);
            m.Ratings = CellRatings.Load(doc);
            LoadImpedanceExtensions(doc, m, nt);
            CheckImpedanceBand(doc, "r0MilliOhm", m.R0MilliOhm, m.CapacityAh, MinR0MilliOhmAh);
            CheckImpedanceBand(doc, "r1MilliOhm", m.R1MilliOhm, m.CapacityAh, 0);
            CheckImpedanceBand(doc, "r2MilliOhm", m.R2MilliOhm, m.CapacityAh, 0);
            m.Ratings.CheckAgainst(doc, m);
            LoadHysteresis(doc, m);
            LoadDiffusion(doc, m);
            LoadFitResidual(doc, m);
            return m;
        }

        /// <summary>
        /// The plausible band of a cell's resistance times its capacity, mOhm Ah (a bigger cell has more area in parallel,
        /// so this product, not the resistance, is what cells share). High-power cells reach about 10 mOhm Ah for R0
        /// (a 2.5 Ah cell of 6 mOhm = 15), energy cells 50..150 at 25 C, ten times that in the cold. The band leaves a
        /// factor of ten either side; a value given in ohms (1000 times too small) or in micro-ohms falls outside it.
        /// R1 and R2 are checked from above only: a fitted RC pair can be close to zero where the cell barely relaxes.
        /// </summary>
        public const float MinR0MilliOhmAh = 1f, MaxResistanceMilliOhmAh = 10000f;

        private static void CheckImpedanceBand(KeyValueDocument doc, string key, float[] milliOhm, float capacityAh, float minMilliOhmAh)
        {
            for (int i = 0; i < milliOhm.Length; i++)
            {
                float product = milliOhm[i] * capacityAh;
                if (product < minMilliOhmAh || product > MaxResistanceMilliOhmAh)
                    throw doc.Error("impedance", key, "item " + (i + 1).ToString() + ": " + ConfigEntry.Fmt(milliOhm[i]) + " mOhm for the cell's " + ConfigEntry.Fmt(capacityAh)
                        + " Ah ([cell] capacityAh) is " + ConfigEntry.Fmt(product) + " mOhm Ah, outside the plausible " + ConfigEntry.Fmt(minMilliOhmAh) + " .. "
                        + ConfigEntry.Fmt(MaxResistanceMilliOhmAh) + " mOhm Ah (the key is in milliohms: a value in ohms is 1000 times too small)");
            }
        }

        /// <summary>The optional SOC axis and charge-transfer term of [impedance]; files without them load as before.</summary>
        private static void LoadImpedanceExtensions(KeyValueDocument doc, CellModel m, int nt)
        {
            if (doc.Has("impedance", "socPoints"))
            {
                m.ImpedanceSocPoints = doc.GetNumberList("impedance", "socPoints", 0, 1, 0);
                RequireIncreasing(doc, "impedance", "socPoints", m.ImpedanceSocPoints);
                int ns = m.ImpedanceSocPoints.Length;
                m.R0SocFactor = OptionalFactors(doc, "impedance", "r0SocFactor", m.ImpedanceTemperaturesC, ns);
                m.R1SocFactor = OptionalFactors(doc, "impedance", "r1SocFactor", m.ImpedanceTemperaturesC, ns);
                m.R2SocFactor = OptionalFactors(doc, "impedance", "r2SocFactor", m.ImpedanceTemperaturesC, ns);
            }
            else if (HasFactors(doc, "impedance", "r0SocFactor", m.ImpedanceTemperaturesC) || HasFactors(doc, "impedance", "r1SocFactor", m.ImpedanceTemperaturesC)
                || HasFactors(doc, "impedance", "r2SocFactor", m.ImpedanceTemperaturesC))
                throw doc.Error("impedance", "socPoints", "is needed by the SOC factors");
            bool ct = doc.Has("impedance", "chargeTransferMilliOhm"), i0 = doc.Has("impedance", "exchangeCurrentA");
            if (ct != i0) throw doc.Error("impedance", ct ? "exchangeCurrentA" : "chargeTransferMilliOhm", "is needed with " + (ct ? "chargeTransferMilliOhm" : "exchangeCurrentA"));
            if (!ct) return;
            m.ChargeTransferMilliOhm = doc.GetNumberList("impedance", "chargeTransferMilliOhm", 0, 1e6, nt);
            m.ExchangeCurrentA = doc.GetNumberList("impedance", "exchangeCurrentA", 1e-4, 1e5, nt);
            for (int t = 0; t < nt; t++)
                if (m.ChargeTransferMilliOhm[t] > m.R0MilliOhm[t])
                    throw doc.Error("impedance", "chargeTransferMilliOhm", "item " + (t + 1).ToString() + " is above r0MilliOhm (it is a part of R0)");
            m.BuildBvTable();
        }

        /// <summary>The optional [fit] section: voltageRmsMillivolts, one value, or one per socPoints (0..1, increasing).</summary>
        private static void LoadFitResidual(KeyValueDocument doc, CellModel m)
        {
            if (!doc.HasSection("fit")) return;
            if (doc.Has("fit", "socPoints"))
            {
                m.FitResidualSocPoints = doc.GetNumberList("fit", "socPoints", 0, 1, 0);
                RequireIncreasing(doc, "fit", "socPoints", m.FitResidualSocPoints);
            }
            m.FitResidualMillivolts = doc.GetNumberList("fit", "voltageRmsMillivolts", 0, 5000, m.FitResidualSocPoints == null ? 1 : m.FitResidualSocPoints.Length);
        }

        /// <summary>
        /// The optional [hysteresis] section: temperaturesC and, per temperature, maxMillivolts (M), instantMillivolts (M0)
        /// and rate (gamma). Files without it load as before (no hysteresis).
        /// </summary>
        private static void LoadHysteresis(KeyValueDocument doc, CellModel m)
        {
            if (!doc.HasSection("hysteresis")) return;
            m.HysteresisTemperaturesC = TemperatureAxis(doc, "hysteresis");
            int n = m.HysteresisTemperaturesC.Length;
            // A few hundred mV is more than any chemistry's charge/discharge gap at rest: a larger number is a unit slip.
            m.HysteresisMillivolts = doc.GetNumberList("hysteresis", "maxMillivolts", 0, 300, n);
            m.InstantHysteresisMillivolts = doc.GetNumberList("hysteresis", "instantMillivolts", 0, 300, n);
            m.HysteresisRate = doc.GetNumberList("hysteresis", "rate", 0, 10000, n);
            if (doc.Has("hysteresis", "socPoints"))
            {
                m.HysteresisSocPoints = doc.GetNumberList("hysteresis", "socPoints", 0, 1, 0);
                RequireIncreasing(doc, "hysteresis", "socPoints", m.HysteresisSocPoints);
                m.HysteresisSocFactor = OptionalFactors(doc, "hysteresis", "socFactor", m.HysteresisTemperaturesC, m.HysteresisSocPoints.Length);
                if (m.HysteresisSocFactor == null) throw doc.Error("hysteresis", "socPoints", "is given without socFactor rows");
            }
            else if (HasFactors(doc, "hysteresis", "socFactor", m.HysteresisTemperaturesC))
                throw doc.Error("hysteresis", "socFactor", "needs socPoints in the same section");
        }

        /// <summary>
        /// The optional [diffusion] section: temperaturesC and, per temperature, socShiftPerC (0 to 1: a shift of the whole
        /// SOC range per C is beyond any cell), tauSeconds (1 s to a day) and optionally kneeGain (0 to 1000). Files
        /// without it load as before.
        /// </summary>
        private static void LoadDiffusion(KeyValueDocument doc, CellModel m)
        {
            if (!doc.HasSection("diffusion")) return;
            m.DiffusionTemperaturesC = TemperatureAxis(doc, "diffusion");
            int n = m.DiffusionTemperaturesC.Length;
            m.DiffusionSocShiftPerC = doc.GetNumberList("diffusion", "socShiftPerC", 0, 1, n);
            m.DiffusionTauSeconds = doc.GetNumberList("diffusion", "tauSeconds", 1, 86400, n);
            m.DiffusionKneeGain = doc.Has("diffusion", "kneeGain") ? doc.GetNumberList("diffusion", "kneeGain", 0, 1000, n) : new float[n];
        }

        /// <summary>An optional section's own temperature breakpoints (temperaturesC, -60 to 120 C, strictly increasing).</summary>
        private static float[] TemperatureAxis(KeyValueDocument doc, string section)
        {
            float[] axis = doc.GetNumberList(section, "temperaturesC", -60, 120, 0);
            RequireIncreasing(doc, section, "temperaturesC", axis);
            return axis;
        }

        /// <summary>
        /// Bounds of an SOC multiplier: wide enough for the knee near empty (the slow pair of a diffusion-limited cell grows
        /// tens of times there), narrow enough to catch a misplaced decimal point.
        /// </summary>
        public const double MinSocFactor = 0.01, MaxSocFactor = 200;

        /// <summary>
        /// One multiplier row for every temperature (key) or one per temperature (key + temperature, as the OCV rows:
        /// r2SocFactor10, r2SocFactor25), never both; null when there are none.
        /// </summary>
        private static float[] OptionalFactors(KeyValueDocument doc, string section, string key, float[] temperaturesC, int count)
        {
            int nt = temperaturesC.Length, perTemperature = 0;
            for (int t = 0; t < nt; t++) if (doc.Has(section, FactorKey(key, temperaturesC[t]))) perTemperature++;
            bool shared = doc.Has(section, key);
            if (!shared && perTemperature == 0) return null;
            if (shared && perTemperature > 0) throw doc.Error(section, key, "is given both for all temperatures and per temperature");
            var table = new float[nt * count];
            for (int t = 0; t < nt; t++)
            {
                if (!shared && !doc.Has(section, FactorKey(key, temperaturesC[t])))
                    throw doc.Error(section, FactorKey(key, temperaturesC[t]), "is missing: per-temperature SOC factors need a row for every temperature");
                float[] row = doc.GetNumberList(section, shared ? key : FactorKey(key, temperaturesC[t]), MinSocFactor, MaxSocFactor, count);
                for (int i = 0; i < count; i++) table[t * count + i] = row[i];
            }
            return table;
        }

        private static bool HasFactors(KeyValueDocument doc, string section, string key, float[] temperaturesC)
        {
            if (doc.Has(section, key)) return true;
            for (int t = 0; t < temperaturesC.Length; t++) if (doc.Has(section, FactorKey(key, temperaturesC[t]))) return true;
            return false;
        }

        private static string FactorKey(string key, float temperatureC) { return key + ((int)temperatureC).ToString(); }

        private static void RequireIncreasing(KeyValueDocument doc, string section, string key, float[] values)
        {
            for (int i = 1; i < values.Length; i++)
                if (!(values[i] > values[i - 1])) throw doc.Error(section, key, "must be strictly increasing (item " + (i + 1).ToString() + ")");
        }
    }
}
