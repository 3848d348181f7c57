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

        // The estimate's numbers are slots of a float and an int array (a field is a 12-byte heap block on the ESP32's
        // interpreter, a float element 4 bytes): its own arrays, or the estimator's for the cell (CellEstimate), after
        // the filter's slots. Slots below FloatBase of its own array are not used.
        internal const int FloatBase = CellEkf.FloatSlots;
        internal const int Num = FloatBase, Den = FloatBase + 1, ScaleSlot = FloatBase + 2, R0Slot = FloatBase + 3,
            BaselineSlot = FloatBase + 4, GrowthSlot = FloatBase + 5;
        internal const int FloatEnd = FloatBase + 6;
        internal const int StepsSlot = 0, RejectStreakSlot = 1, ConvergedSlot = 2;
        internal const int IntEnd = 3;

        private readonly float[] _f;
        private readonly int[] _i;

        /// <summary>After this many gated steps in a row the next one is taken: the cell has changed, not glitched.</summary>
        public const int RejectStreakAccepted = 5;

        /// <summary>Weight left to the history when such a change is detected.</summary>
        public const float ChangeDiscount = 0.1f;

        public ResistanceEstimator() : this(new float[FloatEnd], new int[IntEnd]) { Init(_f); }

        /// <summary>A view of the estimate whose numbers are the slots above of <paramref name="floats"/> and <paramref name="ints"/>.</summary>
        internal ResistanceEstimator(float[] floats, int[] ints)
        {
            _f = floats;
            _i = ints;
        }

        /// <summary>Sets a new estimate's numbers in <paramref name="f"/> (nothing known yet; the int slots start at 0).</summary>
        internal static void Init(float[] f)
        {
            f[R0Slot] = float.NaN;
            f[BaselineSlot] = float.NaN;
            f[ScaleSlot] = 1f;
            f[GrowthSlot] = float.NaN;
        }

        /// <summary>Bounds of <see cref="ImpedanceScale"/>: a cell's impedance is taken as half to five times its model's.</summary>
        public const float MinImpedanceScale = 0.5f, MaxImpedanceScale = 5f;

        /// <summary>
        /// The measured R0 over the model's at 25 C, bounded, once converged (1 before): the estimator scales the cell's
        /// whole impedance by it (contact loss raises every interface term). Set with the estimate, on a step, not
        /// divided out for every cell every tick.
        /// </summary>
        public float ImpedanceScale { get { return _f[ScaleSlot]; } }

        /// <summary>Estimated R0 referred to 25 C, mOhm (NaN until the first accepted step).</summary>
        public float R0At25MilliOhm { get { return _f[R0Slot]; } }

        /// <summary>Commissioning baseline referred to 25 C, mOhm (NaN until known).</summary>
        public float BaselineAt25MilliOhm { get { return _f[BaselineSlot]; } }

        /// <summary>True once the estimate has had enough steps; stays true (a detected change re-weights, it does not forget the cell).</summary>
        public bool Converged { get { return _i[ConvergedSlot] != 0; } }

        public int Steps { get { return _i[StepsSlot]; } }

        /// <summary>
        /// R0 growth against the baseline, percent (NaN until both are known). Kept when either changes, not worked
        /// out on every read: the estimator takes the worst cell's every tick, and the estimate moves only on a step.
        /// </summary>
        public float GrowthPercent { get { return _f[GrowthSlot]; } }

        private static void UpdateGrowth(float[] f, int[] n)
        {
            f[GrowthSlot] = n[ConvergedSlot] == 0 || !(f[BaselineSlot] > 0) ? float.NaN : (f[R0Slot] / f[BaselineSlot] - 1f) * 100f;
        }

        /// <summary>Sets the commissioning baseline (from storage); a bad value is refused.</summary>
        public bool TrySetBaseline(float r0At25MilliOhm)
        {
            if (FastMath.IsBad(r0At25MilliOhm) || r0At25MilliOhm <= 0) return false;
            _f[BaselineSlot] = r0At25MilliOhm;
            UpdateGrowth(_f, _i);
            return true;
        }

        /// <summary>
        /// One step sample. z = dOCV - dV1 - dV2 - dV (mV), dI (A), toReference = R0model(25 C) / R0model(T),
        /// modelAt25 = the cell file's R0 at 25 C (prior for the outlier check). Returns true if used.
        /// </summary>
        public bool AddStep(float zMillivolts, float deltaCurrentA, float toReference, float modelAt25MilliOhm)
        {
            return AddStep(_f, _i, zMillivolts, deltaCurrentA, toReference, modelAt25MilliOhm);
        }

        /// <summary>The same on the numbers in <paramref name="f"/> and <paramref name="n"/> (a cell's slots: <see cref="StateEstimator"/>).</summary>
        internal static bool AddStep(float[] f, int[] n, float zMillivolts, float deltaCurrentA, float toReference, float modelAt25MilliOhm)
        {
            if (FastMath.IsBad(zMillivolts) || FastMath.IsBad(deltaCurrentA) || FastMath.IsBad(toReference) || !(toReference > 0)) return false;
            if (FastMath.Abs(deltaCurrentA) < MinStepA) return false;
            float reference = float.IsNaN(f[R0Slot]) ? modelAt25MilliOhm : f[R0Slot];
            if (reference > 0)
            {
                float expected = reference / toReference * deltaCurrentA;
                bool outlier = FastMath.Abs(zMillivolts - expected) > OutlierMillivolts + 0.5f * FastMath.Abs(expected);
                // A glitch is a single step; a run of misses is the cell itself changing (delamination): let it in,
                // and discount the history so the estimate follows the new cell within tens of steps, not hundreds.
                if (outlier && ++n[RejectStreakSlot] < RejectStreakAccepted) return false;
                if (outlier) { f[Num] *= ChangeDiscount; f[Den] *= ChangeDiscount; }
                n[RejectStreakSlot] = 0;
            }
            float w = deltaCurrentA * deltaCurrentA;
            f[Num] = Forgetting * f[Num] + zMillivolts * toReference * deltaCurrentA;
            f[Den] = Forgetting * f[Den] + w;
            int steps = ++n[StepsSlot];
            float r0 = f[R0Slot] = f[Num] / f[Den];
            if (f[Den] >= ConvergedWeightA2 && steps >= 10) n[ConvergedSlot] = 1;
            if (n[ConvergedSlot] != 0) f[ScaleSlot] = FastMath.Clamp(r0 / modelAt25MilliOhm, MinImpedanceScale, MaxImpedanceScale);
            if (float.IsNaN(f[BaselineSlot]) && f[Den] >= BaselineWeightA2 && steps >= BaselineSteps) f[BaselineSlot] = r0;
            UpdateGrowth(f, n);
            return true;
        }
    }
}
