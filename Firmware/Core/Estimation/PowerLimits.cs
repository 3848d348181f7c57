using SolidBms.Core.Config;
using SolidBms.Core.Util;

namespace SolidBms.Core.Estimation
{
    /// <summary>
    /// State of power: the charge and discharge current the pack may take now, as the smaller of
    ///   (1) the profile's rated current x derating factors (temperature, SOC, stack pressure), and
    ///   (2) the current that keeps every cell inside the profile's warning voltages over the horizon,
    ///       predicted with the cell model from the estimator's state:
    ///         V(H) = OCV(SOC) - V1 e^(-H/tau1) - V2 e^(-H/tau2)
    ///                - I [ R0 + R1 (1 - e^(-H/tau1)) + R2 (1 - e^(-H/tau2)) + dOCV/dSOC H / (3600 Q) ]
    ///       which is linear in I, so the limit is solved directly per cell.
    /// Allocation-free; the caller (BmsController) reports min(these, the safety supervisor's limits).
    /// </summary>
    public sealed class PowerLimits
    {
        public float ChargeLimitA { get; private set; }
        public float DischargeLimitA { get; private set; }

        /// <summary>The derating-table part alone (for reports and tests), A.</summary>
        public float ChargeTableLimitA { get; private set; }
        public float DischargeTableLimitA { get; private set; }

        /// <summary>The voltage-prediction part alone, A (+inf when no cell constrains it).</summary>
        public float ChargeVoltageLimitA { get; private set; }
        public float DischargeVoltageLimitA { get; private set; }

        public void Clear()
        {
            ChargeLimitA = DischargeLimitA = 0f;
            ChargeTableLimitA = DischargeTableLimitA = 0f;
            ChargeVoltageLimitA = DischargeVoltageLimitA = 0f;
        }

        public void SetTableLimits(LimitProfile profile, float minT, float maxT, float minSoc, float maxSoc, float minKpa, float maxKpa)
        {
            DeratingTables d = profile.Derating != null ? profile.Derating : Neutral;
            ChargeTableLimitA = FastMath.Max(0f, profile.MaxChargeCurrentA * d.ChargeFactor(minT, maxT, maxSoc, minKpa, maxKpa));
            DischargeTableLimitA = FastMath.Max(0f, profile.MaxDischargeCurrentA * d.DischargeFactor(minT, maxT, minSoc, minKpa, maxKpa));
            ChargeVoltageLimitA = float.PositiveInfinity;
            DischargeVoltageLimitA = float.PositiveInfinity;
        }

        private static readonly DeratingTables Neutral = new DeratingTables();

        /// <summary>
        /// Adds one cell's voltage constraint. restMv = the predicted voltage at zero current after the horizon,
        /// perAmpMv = its drop per ampere of discharge (mV/A, > 0).
        /// </summary>
        public void AddCell(float restMillivolts, float perAmpMillivolts, float minMillivolts, float maxMillivolts)
        {
            if (FastMath.IsBad(restMillivolts) || FastMath.IsBad(perAmpMillivolts) || !(perAmpMillivolts > 0))
            {
                ChargeVoltageLimitA = 0f;
                DischargeVoltageLimitA = 0f;
                return;
            }
            float discharge = (restMillivolts - minMillivolts) / perAmpMillivolts;
            float charge = (maxMillivolts - restMillivolts) / perAmpMillivolts;
            DischargeVoltageLimitA = FastMath.Min(DischargeVoltageLimitA, FastMath.Max(0f, discharge));
            ChargeVoltageLimitA = FastMath.Min(ChargeVoltageLimitA, FastMath.Max(0f, charge));
        }

        public void Finish()
        {
            ChargeLimitA = FastMath.Min(ChargeTableLimitA, ChargeVoltageLimitA);
            DischargeLimitA = FastMath.Min(DischargeTableLimitA, DischargeVoltageLimitA);
        }
    }
}
