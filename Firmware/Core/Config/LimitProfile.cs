using SolidBms.Core.Util;

namespace SolidBms.Core.Config
{
    /// <summary>
    /// The safety limits of one cell chemistry, as data: loaded from board/profiles/*.profile and validated
    /// before it replaces the profile in force. Every threshold is per cell unless its name says pack.
    /// </summary>
    public sealed class LimitProfile
    {
        public string Name;
        public string Chemistry;

        public readonly LevelLimit CellOverVoltage = new LevelLimit("cellOverVoltage", "mV", true);
        public readonly LevelLimit CellUnderVoltage = new LevelLimit("cellUnderVoltage", "mV", false);
        public readonly LevelLimit ChargeOverCurrent = new LevelLimit("chargeOverCurrent", "A", true);
        public readonly LevelLimit DischargeOverCurrent = new LevelLimit("dischargeOverCurrent", "A", true);
        public readonly LevelLimit ChargeOverTemperature = new LevelLimit("chargeOverTemperature", "C", true);
        public readonly LevelLimit ChargeUnderTemperature = new LevelLimit("chargeUnderTemperature", "C", false);
        public readonly LevelLimit DischargeOverTemperature = new LevelLimit("dischargeOverTemperature", "C", true);
        public readonly LevelLimit DischargeUnderTemperature = new LevelLimit("dischargeUnderTemperature", "C", false);
        public readonly LevelLimit StackPressureLow = new LevelLimit("stackPressureLow", "kPa", false);
        public readonly LevelLimit StackPressureHigh = new LevelLimit("stackPressureHigh", "kPa", true);
        public readonly LevelLimit StackPressureRate = new LevelLimit("stackPressureRate", "kPa/s", true);
        public readonly LevelLimit CellImbalance = new LevelLimit("cellImbalance", "mV", true);
        public readonly LevelLimit PackOverVoltage = new LevelLimit("packOverVoltage", "mV/cell", true);
        public readonly LevelLimit PackUnderVoltage = new LevelLimit("packUnderVoltage", "mV/cell", false);
        public readonly LevelLimit ShortCircuit = new LevelLimit("shortCircuit", "A", true);
        public readonly LevelLimit TemperatureRiseRate = new LevelLimit("temperatureRiseRate", "C/min", true);
        public readonly LevelLimit ChargeAboveLimit = new LevelLimit("chargeAboveLimit", "A", true);
        public readonly LevelLimit R0Growth = new LevelLimit("r0Growth", "%", true);
        public readonly LevelLimit LoopLate = new LevelLimit("loopLate", "ms", true);

        /// <summary>Continuous current ratings of the pack (before derating), A.</summary>
        public float MaxChargeCurrentA;
        public float MaxDischargeCurrentA;

        /// <summary>A current below this magnitude counts as rest, A.</summary>
        public float IdleCurrentA;

        /// <summary>How long a sensor may be invalid before it trips (a fault is never silently kept), ms.</summary>
        public int SensorFaultQualifyMs;

        /// <summary>Window over which the stack-pressure rate is taken, ms: long enough to average sensor noise.</summary>
        public int PressureRateWindowMs;

        /// <summary>Window over which the cell temperature rise rate is taken, ms.</summary>
        public int TemperatureRateWindowMs;

        /// <summary>Fraction of the rated current allowed while an alarm is active.</summary>
        public float AlarmDerateFactor;

        /// <summary>State-of-power derating tables ([derating] section; est: issue 4).</summary>
        public DeratingTables Derating;

        /// <summary>When cells bleed ([balancing] section; disabled when absent).</summary>
        public BalancingPolicy Balancing;

        /// <summary>All limits in evaluation order (fixed: index is the fault's number in telemetry).</summary>
        public LevelLimit[] All()
        {
            return new LevelLimit[]
            {
                CellOverVoltage, CellUnderVoltage, ChargeOverCurrent, DischargeOverCurrent,
                ChargeOverTemperature, ChargeUnderTemperature, DischargeOverTemperature, DischargeUnderTemperature,
                StackPressureLow, StackPressureHigh, StackPressureRate, CellImbalance,
                PackOverVoltage, PackUnderVoltage, ShortCircuit, TemperatureRiseRate, ChargeAboveLimit, R0Growth, LoopLate,
            };
        }

        /// <summary>Parses and validates a profile; throws <see cref="ConfigException"/> naming the line on any problem.</summary>
        public static LimitProfile Load(string text, string sourceName)
        {
            var doc = KeyValueDocument.Parse(text, sourceName);
            var p = new LimitProfile();
            p.Name = doc.GetString("profile", "name");
            p.Chemistry = doc.GetString("profile", "chemistry");
            p.CellOverVoltage.Load(doc, 1000, 5500);
            p.CellUnderVoltage.Load(doc, 500, 5000);
            RequireWindow(doc, p.CellUnderVoltage, p.CellOverVoltage);
            p.ChargeOverCurrent.Load(doc, 0, 5000);
            p.DischargeOverCurrent.Load(doc, 0, 5000);
            p.ChargeOverTemperature.Load(doc, -40, 150);
            p.ChargeUnderTemperature.Load(doc, -60, 100);
            p.DischargeOverTemperature.Load(doc, -40, 150);
            p.DischargeUnderTemperature.Load(doc, -60, 100);
            RequireWindow(doc, p.ChargeUnderTemperature, p.ChargeOverTemperature);
            RequireWindow(doc, p.DischargeUnderTemperature, p.DischargeOverTemperature);
            p.StackPressureLow.Load(doc, 0, 100000);
            p.StackPressureHigh.Load(doc, 0, 100000);
            RequireWindow(doc, p.StackPressureLow, p.StackPressureHigh);
            p.StackPressureRate.Load(doc, 0, 100000);
            p.CellImbalance.Load(doc, 0, 5000);
            p.PackOverVoltage.Load(doc, 1000, 5500);
            p.PackUnderVoltage.Load(doc, 500, 5000);
            RequireWindow(doc, p.PackUnderVoltage, p.PackOverVoltage);
            p.ShortCircuit.Load(doc, 0, 100000);
            if (p.ShortCircuit.Trip <= p.DischargeOverCurrent.Trip)
                throw doc.Error("shortCircuit", "trip", "must be above dischargeOverCurrent.trip (it is the fast path beyond it)");
            p.TemperatureRiseRate.Load(doc, 0, 1000);
            p.ChargeAboveLimit.Load(doc, 0, 1000);
            p.R0Growth.Load(doc, 0, 10000);
            p.LoopLate.Load(doc, 0, 60000);

            p.MaxChargeCurrentA = (float)doc.GetNumber("current", "maxChargeA", 0, 5000);
            p.MaxDischargeCurrentA = (float)doc.GetNumber("current", "maxDischargeA", 0, 5000);
            p.IdleCurrentA = (float)doc.GetNumber("current", "idleA", 0, 100);
            p.AlarmDerateFactor = (float)doc.GetNumber("current", "alarmDerateFactor", 0, 1);
            if (p.MaxChargeCurrentA > p.ChargeOverCurrent.Warning)
                throw doc.Error("current", "maxChargeA", "must not exceed chargeOverCurrent.warning");
            if (p.MaxDischargeCurrentA > p.DischargeOverCurrent.Warning)
                throw doc.Error("current", "maxDischargeA", "must not exceed dischargeOverCurrent.warning");
            p.SensorFaultQualifyMs = doc.GetInt("sensors", "faultQualifyMs", 0, 60000);
            p.PressureRateWindowMs = doc.GetInt("sensors", "pressureRateWindowMs", 100, 60000);
            p.TemperatureRateWindowMs = doc.GetInt("sensors", "temperatureRateWindowMs", 100, 600000);
            p.Derating = DeratingTables.Load(doc); // state-of-power derating tables
            p.Balancing = BalancingPolicy.Load(doc);
            if (p.Balancing.Enabled && p.Balancing.StopTemperatureC >= p.ChargeOverTemperature.Warning)
                throw doc.Error("balancing", "stopTemperatureC", "must be below chargeOverTemperature.warning (bleed heat stops before a warning)");
            doc.RejectUnusedKeys();
            return p;
        }

        /// <summary>A lower and an upper limit of one quantity must leave a window between their warnings.</summary>
        private static void RequireWindow(KeyValueDocument doc, LevelLimit lower, LevelLimit upper)
        {
            if (lower.Warning >= upper.Warning)
                throw doc.Error(lower.Name, "warning", "must be below " + upper.Name + ".warning");
        }

        /// <summary>Loads a profile without throwing: the caller keeps its last good profile when this returns false.</summary>
        public static bool TryLoad(string text, string sourceName, out LimitProfile profile, out string error)
        {
            try
            {
                profile = Load(text, sourceName);
                error = null;
                return true;
            }
            catch (ConfigException e)
            {
                profile = null;
                error = e.Message;
                return false;
            }
        }

        /// <summary>Rated current scaled for alarms; never negative.</summary>
        public float DeratedChargeA(bool alarm) { return FastMath.Max(0f, alarm ? MaxChargeCurrentA * AlarmDerateFactor : MaxChargeCurrentA); }

        public float DeratedDischargeA(bool alarm) { return FastMath.Max(0f, alarm ? MaxDischargeCurrentA * AlarmDerateFactor : MaxDischargeCurrentA); }
    }
}
