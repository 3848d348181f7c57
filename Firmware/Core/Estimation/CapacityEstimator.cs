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

        private readonly float _nominalAh;
        private float _variance;
        private bool _hasAnchor;
        private float _anchorSoc, _anchorSocSigma;
        private double _anchorAh;

        /// <summary>Starts at the nominal capacity with 5 % doubt: datasheet tolerance plus unknown early fade.</summary>
        public CapacityEstimator(float nominalAh) : this(nominalAh, DefaultRelativeSigma) { }

        public const float DefaultRelativeSigma = 0.05f;

        /// <summary>Starts at the nominal capacity with the given relative doubt (a cell file whose capacity was measured says less).</summary>
        public CapacityEstimator(float nominalAh, float relativeSigma)
        {
            _nominalAh = nominalAh;
            CapacityAh = nominalAh;
            float s = relativeSigma * nominalAh;
            _variance = s * s;
            SigmaAh = (float)FastMath.Sqrt(_variance);
            UpdateDerived();
        }

        /// <summary>SOC moved per ampere-second, 1 / (3600 CapacityAh) (0 without a usable capacity).</summary>
        public float SocPerAmpSecond { get; private set; }

        /// <summary>SigmaAh / CapacityAh: the capacity's relative uncertainty (0 without a usable capacity).</summary>
        public float RelativeSigma { get; private set; }

        // The estimator reads these for every cell every tick; the capacity changes only at an update, so they are
        // divided out then.
        private void UpdateDerived()
        {
            bool usable = CapacityAh > 0 && !FastMath.IsBad(CapacityAh);
            SocPerAmpSecond = usable ? 1f / (3600f * CapacityAh) : 0f;
            RelativeSigma = usable ? SigmaAh / CapacityAh : 0f;
        }

        public float CapacityAh { get; private set; }

        /// <summary>Standard deviation of the estimate, Ah: kept with the variance (read every tick, changed only at an update).</summary>
        public float SigmaAh { get; private set; }

        public int Updates { get; private set; }

        /// <summary>Forgets the open anchor (charge during the interval is not known).</summary>
        public void BreakAnchor() { _hasAnchor = false; }

        /// <summary>
        /// A well-known SOC point: soc with its standard deviation, at the pack's cumulative counted charge
        /// (Ah, + = discharged). Pairs with the previous anchor when the SOC span is large enough.
        /// </summary>
        public bool AddAnchor(float soc, float socSigma, double countedAh)
        {
            if (FastMath.IsBad(soc) || FastMath.IsBad(socSigma) || FastMath.IsBad(countedAh) || !(_nominalAh > 0)) return false;
            bool updated = false;
            if (_hasAnchor)
            {
                float span = soc - _anchorSoc;
                double ah = _anchorAh - countedAh; // charge in (+) raises SOC
                if (FastMath.Abs(span) >= MinSocSpan && ah * span > 0)
                {
                    float measured = (float)(ah / span);
                    float rel = (measured - CapacityAh) / CapacityAh;
                    if (FastMath.Abs(rel) <= RejectFraction)
                    {
                        float sigmaRel = (float)FastMath.Sqrt(socSigma * socSigma + _anchorSocSigma * _anchorSocSigma) / FastMath.Abs(span);
                        float r = measured * sigmaRel * measured * sigmaRel;
                        float k = _variance / (_variance + r);
                        float step = FastMath.Clamp(k * (measured - CapacityAh), -MaxStepFraction * _nominalAh, MaxStepFraction * _nominalAh);
                        CapacityAh = FastMath.Clamp(CapacityAh + step, MinFraction * _nominalAh, MaxFraction * _nominalAh);
                        float age = AgeingFraction * _nominalAh;
                        _variance = (1f - k) * _variance + age * age;
                        SigmaAh = (float)FastMath.Sqrt(_variance);
                        UpdateDerived();
                        Updates++;
                        updated = true;
                    }
                }
                else if (FastMath.Abs(span) < MinSocSpan && socSigma > _anchorSocSigma)
                {
                    // Too close to pair, and no better than the open anchor: keep the old one.
                    return false;
                }
            }
            _hasAnchor = true;
            _anchorSoc = soc;
            _anchorSocSigma = socSigma;
            _anchorAh = countedAh;
            return updated;
        }
    }
}
