using SolidBms.Core.Util;

namespace SolidBms.Core.Estimation
{
    /// <summary>
    /// Online R0 of one cell from current steps between consecutive ticks. Across one tick
    ///   dV = dOCV - R0 dI - dV1 - dV2,
    /// so with the RC changes taken from the cell model (the EKF's prediction) each step gives
    ///   z = dOCV - dV1 - dV2 - dV = R0 dI.
    /// Samples are normalised to 25 C with the cell file's R0(T) shape and combined by least squares with
    /// exponential forgetting (weight dI^2, so big steps count most). Growth is reported against the
    /// commissioning baseline: told (stored at commissioning) or the estimate once it has enough evidence.
    /// </summary>
    public sealed class ResistanceEstimator
    {
        /// <summary>Smallest current step used, A: below it the voltage noise dominates the sample.</summary>
        public const float MinStepA = 0.2f;

        /// <summary>Forgetting factor per accepted step: a memory of about 100 steps (an hour of DST), so a delaminating cell shows within hours, not days.</summary>
        public const float Forgetting = 0.99f;

        /// <summary>Steps (weighted by dI^2, in A^2) before the estimate counts as converged.</summary>
        public const float ConvergedWeightA2 = 4f;

        /// <summary>
        /// More evidence before an automatic commissioning baseline is taken (weight, A^2, and steps): the baseline is
        /// kept for the life of the pack, so it should carry less noise than a running estimate.
        /// </summary>
        public const float BaselineWeightA2 = 20f;
        public const int BaselineSteps = 50;

        /// <summary>
        /// A step whose voltage misses the expected one (current estimate, or the model before convergence) by more than
        /// this many mV plus half the expected drop is a glitch. The gate is symmetric in volts: a gate on the ratio
        /// (sample within x3 of the estimate) cuts more of the noise below than above and biases R0 high.
        /// </summary>
        public const float OutlierMillivolts = 10f;

        private float _num, _den;
        private int _steps;
        private int _rejectStreak;

        /// <summary>After this many gated steps in a row the next one is taken: the cell has changed, not glitched.</summary>
        public const int RejectStreakAccepted = 5;

        /// <summary>Weight left to the history when such a change is detected.</summary>
        public const float ChangeDiscount = 0.1f;

        public ResistanceEstimator() { R0At25MilliOhm = float.NaN; BaselineAt25MilliOhm = float.NaN; ImpedanceScale = 1f; }

        /// <summary>Bounds of <see cref="ImpedanceScale"/>: a cell's impedance is taken as half to five times its model's.</summary>
        public const float MinImpedanceScale = 0.5f, MaxImpedanceScale = 5f;

        /// <summary>
        /// The measured R0 over the model's at 25 C, bounded, once converged (1 before): the estimator scales the cell's
        /// whole impedance by it (contact loss raises every interface term). Set with the estimate, on a step, not
        /// divided out for every cell every tick.
        /// </summary>
        public float ImpedanceScale { get; private set; }

        /// <summary>Estimated R0 referred to 25 C, mOhm (NaN until the first accepted step).</summary>
        public float R0At25MilliOhm { get; private set; }

        /// <summary>Commissioning baseline referred to 25 C, mOhm (NaN until known).</summary>
        public float BaselineAt25MilliOhm { get; private set; }

        /// <summary>True once the estimate has had enough steps; stays true (a detected change re-weights, it does not forget the cell).</summary>
        public bool Converged { get; private set; }

        public int Steps { get { return _steps; } }

        /// <summary>
        /// R0 growth against the baseline, percent (NaN until both are known). Kept when either changes, not worked
        /// out on every read: the estimator takes the worst cell's every tick, and the estimate moves only on a step.
        /// </summary>
        public float GrowthPercent { get { return _growthPercent; } }

        private float _growthPercent = float.NaN;

        private void UpdateGrowth()
        {
            _growthPercent = !Converged || !(BaselineAt25MilliOhm > 0) ? float.NaN : (R0At25MilliOhm / BaselineAt25MilliOhm - 1f) * 100f;
        }

        /// <summary>Sets the commissioning baseline (from storage); a bad value is refused.</summary>
        public bool TrySetBaseline(float r0At25MilliOhm)
        {
            if (FastMath.IsBad(r0At25MilliOhm) || r0At25MilliOhm <= 0) return false;
            BaselineAt25MilliOhm = r0At25MilliOhm;
            UpdateGrowth();
            return true;
        }

        /// <summary>
        /// One step sample. z = dOCV - dV1 - dV2 - dV (mV), dI (A), toReference = R0model(25 C) / R0model(T),
        /// modelAt25 = the cell file's R0 at 25 C (prior for the outlier check). Returns true if used.
        /// </summary>
        public bool AddStep(float zMillivolts, float deltaCurrentA, float toReference, float modelAt25MilliOhm)
        {
            if (FastMath.IsBad(zMillivolts) || FastMath.IsBad(deltaCurrentA) || FastMath.IsBad(toReference) || !(toReference > 0)) return false;
            if (FastMath.Abs(deltaCurrentA) < MinStepA) return false;
            float reference = float.IsNaN(R0At25MilliOhm) ? modelAt25MilliOhm : R0At25MilliOhm;
            if (reference > 0)
            {
                float expected = reference / toReference * deltaCurrentA;
                bool outlier = FastMath.Abs(zMillivolts - expected) > OutlierMillivolts + 0.5f * FastMath.Abs(expected);
                // A glitch is a single step; a run of misses is the cell itself changing (delamination): let it in,
                // and discount the history so the estimate follows the new cell within tens of steps, not hundreds.
                if (outlier && ++_rejectStreak < RejectStreakAccepted) return false;
                if (outlier) { _num *= ChangeDiscount; _den *= ChangeDiscount; }
                _rejectStreak = 0;
            }
            float w = deltaCurrentA * deltaCurrentA;
            _num = Forgetting * _num + zMillivolts * toReference * deltaCurrentA;
            _den = Forgetting * _den + w;
            _steps++;
            R0At25MilliOhm = _num / _den;
            if (_den >= ConvergedWeightA2 && _steps >= 10) Converged = true;
            if (Converged) ImpedanceScale = FastMath.Clamp(R0At25MilliOhm / modelAt25MilliOhm, MinImpedanceScale, MaxImpedanceScale);
            if (float.IsNaN(BaselineAt25MilliOhm) && _den >= BaselineWeightA2 && _steps >= BaselineSteps) BaselineAt25MilliOhm = R0At25MilliOhm;
            UpdateGrowth();
            return true;
        }
    }
}
