using SolidBms.Core.Util;

namespace SolidBms.Core.Estimation
{
    /// <summary>
    /// Capacity of one cell from charge throughput between two well-known SOC points (rest OCV readings):
    ///   Q_measured = |charge counted between the points| / |SOC difference|.
    /// Combined with the running value by a scalar Kalman update (the measurement's variance grows as the SOC
    /// difference shrinks), so it moves slowly once confident; each update is bounded, and the result stays
    /// inside a band around the nominal capacity.
    /// </summary>
    public sealed class CapacityEstimator
    {
        /// <summary>Smallest SOC difference between anchors that gives a capacity measurement.</summary>
        public const float MinSocSpan = 0.4f;

        /// <summary>Largest change of the estimate per update, fraction of nominal.</summary>
        public const float MaxStepFraction = 0.05f;

        /// <summary>Band around nominal the estimate may take (fade to 50 %, or 10 % above nominal).</summary>
        public const float MinFraction = 0.5f, MaxFraction = 1.1f;

        /// <summary>A measurement this far (fraction) from the estimate is rejected as a bad anchor.</summary>
        public const float RejectFraction = 0.3f;

        /// <summary>Ageing allowance added to the variance per update (0.5 % of nominal).</summary>
        public const float AgeingFraction = 0.005f;

        // The estimate's numbers are slots of a float and an int array (a field is a 12-byte heap block on the ESP32's
        // interpreter, a float element 4 bytes): its own arrays, or the estimator's for the cell (CellEstimate), after
        // the filter's and the R0 estimate's slots. Slots below the bases of its own arrays are not used. The anchor's
        // charge is a double (a float would lose the charge counted over a pack's life): an element of a double array,
        // the estimator's for all cells or one of its own.
        internal const int FloatBase = ResistanceEstimator.FloatEnd, IntBase = ResistanceEstimator.IntEnd;
        internal const int NominalSlot = FloatBase, VarianceSlot = FloatBase + 1, AnchorSocSlot = FloatBase + 2,
            AnchorSigmaSlot = FloatBase + 3, SocPerAmpSecondSlot = FloatBase + 4, RelativeSigmaSlot = FloatBase + 5,
            CapacitySlot = FloatBase + 6, SigmaSlot = FloatBase + 7;
        internal const int FloatEnd = FloatBase + 8;
        internal const int HasAnchorSlot = IntBase, UpdatesSlot = IntBase + 1;
        internal const int IntEnd = IntBase + 2;

        private readonly float[] _f;
        private readonly int[] _i;
        private readonly double[] _anchorsAh;
        private readonly int _anchor;

        /// <summary>Starts at the nominal capacity with 5 % doubt: datasheet tolerance plus unknown early fade.</summary>
        public CapacityEstimator(float nominalAh) : this(nominalAh, DefaultRelativeSigma) { }

        public const float DefaultRelativeSigma = 0.05f;

        /// <summary>Starts at the nominal capacity with the given relative doubt (a cell file whose capacity was measured says less).</summary>
        public CapacityEstimator(float nominalAh, float relativeSigma) : this(new float[FloatEnd], new int[IntEnd], new double[1], 0)
        {
            Init(_f, nominalAh, relativeSigma);
        }

        /// <summary>
        /// A view of the estimate whose numbers are the slots above of <paramref name="floats"/> and <paramref name="ints"/>
        /// and element <paramref name="anchor"/> of <paramref name="anchorsAh"/>.
        /// </summary>
        internal CapacityEstimator(float[] floats, int[] ints, double[] anchorsAh, int anchor)
        {
            _f = floats;
            _i = ints;
            _anchorsAh = anchorsAh;
            _anchor = anchor;
        }

        /// <summary>Sets a new estimate's numbers in <paramref name="f"/>: the nominal capacity with the given relative doubt.</summary>
        internal static void Init(float[] f, float nominalAh, float relativeSigma)
        {
            f[NominalSlot] = nominalAh;
            f[CapacitySlot] = nominalAh;
            float s = relativeSigma * nominalAh;
            f[VarianceSlot] = s * s;
            f[SigmaSlot] = (float)FastMath.Sqrt(f[VarianceSlot]);
            UpdateDerived(f);
        }

        /// <summary>SOC moved per ampere-second, 1 / (3600 CapacityAh) (0 without a usable capacity).</summary>
        public float SocPerAmpSecond { get { return _f[SocPerAmpSecondSlot]; } }

        /// <summary>SigmaAh / CapacityAh: the capacity's relative uncertainty (0 without a usable capacity).</summary>
        public float RelativeSigma { get { return _f[RelativeSigmaSlot]; } }

        // The estimator reads these for every cell every tick; the capacity changes only at an update, so they are
        // divided out then.
        private static void UpdateDerived(float[] f)
        {
            float capacityAh = f[CapacitySlot];
            bool usable = capacityAh > 0 && !FastMath.IsBad(capacityAh);
            f[SocPerAmpSecondSlot] = usable ? 1f / (3600f * capacityAh) : 0f;
            f[RelativeSigmaSlot] = usable ? f[SigmaSlot] / capacityAh : 0f;
        }

        public float CapacityAh { get { return _f[CapacitySlot]; } }

        /// <summary>Standard deviation of the estimate, Ah: kept with the variance (read every tick, changed only at an update).</summary>
        public float SigmaAh { get { return _f[SigmaSlot]; } }

        public int Updates { get { return _i[UpdatesSlot]; } }

        /// <summary>Forgets the open anchor (charge during the interval is not known).</summary>
        public void BreakAnchor() { BreakAnchor(_i); }

        /// <summary>The same on the int slots in <paramref name="n"/> (a cell's: <see cref="StateEstimator"/>).</summary>
        internal static void BreakAnchor(int[] n) { n[HasAnchorSlot] = 0; }

        /// <summary>
        /// A well-known SOC point: soc with its standard deviation, at the pack's cumulative counted charge
        /// (Ah, + = discharged). Pairs with the previous anchor when the SOC span is large enough.
        /// </summary>
        public bool AddAnchor(float soc, float socSigma, double countedAh)
        {
            return AddAnchor(_f, _i, _anchorsAh, _anchor, soc, socSigma, countedAh);
        }

        /// <summary>
        /// The same on the numbers in <paramref name="f"/>, <paramref name="n"/> and element <paramref name="anchor"/> of
        /// <paramref name="anchorsAh"/> (a cell's: <see cref="StateEstimator"/>).
        /// </summary>
        internal static bool AddAnchor(float[] f, int[] n, double[] anchorsAh, int anchor, float soc, float socSigma, double countedAh)
        {
            float nominalAh = f[NominalSlot];
            if (FastMath.IsBad(soc) || FastMath.IsBad(socSigma) || FastMath.IsBad(countedAh) || !(nominalAh > 0)) return false;
            bool updated = false;
            if (n[HasAnchorSlot] != 0)
            {
                float span = soc - f[AnchorSocSlot];
                double ah = anchorsAh[anchor] - countedAh; // charge in (+) raises SOC
                if (FastMath.Abs(span) >= MinSocSpan && ah * span > 0)
                {
                    float measured = (float)(ah / span);
                    float capacityAh = f[CapacitySlot];
                    float rel = (measured - capacityAh) / capacityAh;
                    if (FastMath.Abs(rel) <= RejectFraction)
                    {
                        float sigmaRel = (float)FastMath.Sqrt(socSigma * socSigma + f[AnchorSigmaSlot] * f[AnchorSigmaSlot]) / FastMath.Abs(span);
                        float r = measured * sigmaRel * measured * sigmaRel;
                        float variance = f[VarianceSlot];
                        float k = variance / (variance + r);
                        float step = FastMath.Clamp(k * (measured - capacityAh), -MaxStepFraction * nominalAh, MaxStepFraction * nominalAh);
                        f[CapacitySlot] = FastMath.Clamp(capacityAh + step, MinFraction * nominalAh, MaxFraction * nominalAh);
                        float age = AgeingFraction * nominalAh;
                        variance = f[VarianceSlot] = (1f - k) * variance + age * age;
                        f[SigmaSlot] = (float)FastMath.Sqrt(variance);
                        UpdateDerived(f);
                        n[UpdatesSlot]++;
                        updated = true;
                    }
                }
                else if (FastMath.Abs(span) < MinSocSpan && socSigma > f[AnchorSigmaSlot])
                {
                    // Too close to pair, and no better than the open anchor: keep the old one.
                    return false;
                }
            }
            n[HasAnchorSlot] = 1;
            f[AnchorSocSlot] = soc;
            f[AnchorSigmaSlot] = socSigma;
            anchorsAh[anchor] = countedAh;
            return updated;
        }
    }
}
