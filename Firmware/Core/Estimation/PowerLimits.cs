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
    /// Each cell's voltage limits are kept, so the estimator can refresh a few cells a tick (a staggered, ~1 s
    /// refresh: the prediction moves slowly) and the pack's limit is still the minimum over every cell.
    /// Allocation-free; the caller (BmsController) reports min(these, the safety supervisor's limits).
    /// </summary>
    public sealed class PowerLimits
    {
        private readonly float[] _cellChargeA, _cellDischargeA;

        public PowerLimits(int cellCount)
        {
            _cellChargeA = new float[cellCount];
            _cellDischargeA = new float[cellCount];
            Clear();
        }

        public float ChargeLimitA { get; private set; }
        public float DischargeLimitA { get; private set; }

        /// <summary>The derating-table part alone (for reports and tests), A.</summary>
        public float ChargeTableLimitA { get; private set; }
        public float DischargeTableLimitA { get; private set; }

        /// <summary>The voltage-prediction part alone, A (+inf when no cell constrains it).</summary>
        public float ChargeVoltageLimitA { get; private set; }
        public float DischargeVoltageLimitA { get; private set; }

        /// <summary>Every limit 0 (no profile, or the estimator not initialised), every cell's too.</summary>
        public void Clear()
        {
            ChargeLimitA = DischargeLimitA = 0f;
            ChargeTableLimitA = DischargeTableLimitA = 0f;
            ChargeVoltageLimitA = DischargeVoltageLimitA = 0f;
            for (int i = 0; i < _cellChargeA.Length; i++) _cellChargeA[i] = _cellDischargeA[i] = 0f;
        }

        public void SetTableLimits(LimitProfile profile, float minT, float maxT, float minSoc, float maxSoc, float minKpa, float maxKpa)
        {
            DeratingTables d = profile.Derating != null ? profile.Derating : Neutral;
            ChargeTableLimitA = FastMath.Max(0f, profile.MaxChargeCurrentA * d.ChargeFactor(minT, maxT, maxSoc, minKpa, maxKpa));
            DischargeTableLimitA = FastMath.Max(0f, profile.MaxDischargeCurrentA * d.DischargeFactor(minT, maxT, minSoc, minKpa, maxKpa));
        }

        private static readonly DeratingTables Neutral = new DeratingTables();

        /// <summary>
        /// Sets one cell's voltage constraint. restMv = the predicted voltage at zero current after the horizon,
        /// perAmpMv = its drop per ampere of discharge (mV/A, > 0). Numbers that cannot be trusted give that cell 0 A.
        /// </summary>
        public void SetCell(int cell, float restMillivolts, float perAmpMillivolts, float minMillivolts, float maxMillivolts)
        {
            if (FastMath.IsBad(restMillivolts) || FastMath.IsBad(perAmpMillivolts) || !(perAmpMillivolts > 0))
            {
                _cellChargeA[cell] = 0f;
                _cellDischargeA[cell] = 0f;
                return;
            }
            _cellDischargeA[cell] = FastMath.Max(0f, (restMillivolts - minMillivolts) / perAmpMillivolts);
            _cellChargeA[cell] = FastMath.Max(0f, (maxMillivolts - restMillivolts) / perAmpMillivolts);
        }

        /// <summary>One cell's voltage-limited currents as last predicted, A.</summary>
        public float CellChargeLimitA(int cell) { return _cellChargeA[cell]; }

        public float CellDischargeLimitA(int cell) { return _cellDischargeA[cell]; }

        /// <summary>The pack's limits: the smallest cell limit, and the table limit.</summary>
        public void Finish()
        {
            float charge = float.PositiveInfinity, discharge = float.PositiveInfinity;
            float[] cellCharge = _cellChargeA, cellDischarge = _cellDischargeA;
            for (int i = 0; i < cellCharge.Length; i++)
            {
                // FastMath.Min written out (every tick, two a cell: a call each on the device's interpreter).
                float c = cellCharge[i], d = cellDischarge[i];
                if (!(charge < c)) charge = c;
                if (!(discharge < d)) discharge = d;
            }
            ChargeVoltageLimitA = charge;
            DischargeVoltageLimitA = discharge;
            ChargeLimitA = FastMath.Min(ChargeTableLimitA, charge);
            DischargeLimitA = FastMath.Min(DischargeTableLimitA, discharge);
        }
    }
}
