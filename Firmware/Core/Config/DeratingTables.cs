using SolidBms.Core.Util;

namespace SolidBms.Core.Config
{
    /// <summary>
    /// The profile's [derating] section: factors (0..1) on the rated charge and discharge currents over
    /// temperature, SOC and stack pressure, and the horizon of the voltage-limited current prediction.
    /// The three factors multiply: each table can be argued from one mechanism (plating kinetics, the
    /// cathode's voltage headroom, interface contact), which a filled 3-D grid could not. A profile without
    /// the section derates nothing (factors 1) and predicts over <see cref="DefaultHorizonS"/>.
    /// </summary>
    public sealed class DeratingTables
    {
        public const string Section = "derating";
        public const float DefaultHorizonS = 10f;

        public bool Present;
        public float[] TemperaturesC = { 25f };
        public float[] ChargeByTemperature = { 1f };
        public float[] DischargeByTemperature = { 1f };
        public float[] SocPoints = { 0.5f };
        public float[] ChargeBySoc = { 1f };
        public float[] DischargeBySoc = { 1f };
        public float[] PressuresKpa = { 1000f };
        public float[] ChargeByPressure = { 1f };
        public float[] DischargeByPressure = { 1f };

        /// <summary>How far ahead the cell model predicts the voltage under a constant current, s.</summary>
        public float HorizonS = DefaultHorizonS;

        public static DeratingTables Load(KeyValueDocument doc)
        {
            var d = new DeratingTables();
            if (!doc.HasSection(Section)) return d;
            d.Present = true;
            d.TemperaturesC = Axis(doc, "temperaturesC", -60, 150);
            d.ChargeByTemperature = Factors(doc, "chargeByTemperature", d.TemperaturesC.Length);
            d.DischargeByTemperature = Factors(doc, "dischargeByTemperature", d.TemperaturesC.Length);
            d.SocPoints = Axis(doc, "socPoints", 0, 1);
            d.ChargeBySoc = Factors(doc, "chargeBySoc", d.SocPoints.Length);
            d.DischargeBySoc = Factors(doc, "dischargeBySoc", d.SocPoints.Length);
            d.PressuresKpa = Axis(doc, "pressuresKpa", 0, 100000);
            d.ChargeByPressure = Factors(doc, "chargeByPressure", d.PressuresKpa.Length);
            d.DischargeByPressure = Factors(doc, "dischargeByPressure", d.PressuresKpa.Length);
            d.HorizonS = (float)doc.GetNumber(Section, "horizonS", 0.1, 3600);
            return d;
        }

        /// <summary>Charge factor at the worst of the given temperatures, SOC and pressures (NaN inputs give 0).</summary>
        public float ChargeFactor(float minTemperatureC, float maxTemperatureC, float maxSoc, float minPressureKpa, float maxPressureKpa)
        {
            return Worst(TemperaturesC, ChargeByTemperature, minTemperatureC, maxTemperatureC)
                * Worst(SocPoints, ChargeBySoc, maxSoc, maxSoc)
                * Worst(PressuresKpa, ChargeByPressure, minPressureKpa, maxPressureKpa);
        }

        public float DischargeFactor(float minTemperatureC, float maxTemperatureC, float minSoc, float minPressureKpa, float maxPressureKpa)
        {
            return Worst(TemperaturesC, DischargeByTemperature, minTemperatureC, maxTemperatureC)
                * Worst(SocPoints, DischargeBySoc, minSoc, minSoc)
                * Worst(PressuresKpa, DischargeByPressure, minPressureKpa, maxPressureKpa);
        }

        private static float Worst(float[] xs, float[] ys, float a, float b)
        {
            if (FastMath.IsBad(a) || FastMath.IsBad(b)) return 0f; // unknown is a fault: no current on a guess
            return FastMath.Min(Interpolation.Lookup(xs, ys, a), Interpolation.Lookup(xs, ys, b));
        }

        private static float[] Axis(KeyValueDocument doc, string key, double min, double max)
        {
            float[] v = doc.GetNumberList(Section, key, min, max, 0);
            for (int i = 1; i < v.Length; i++)
                if (!(v[i] > v[i - 1])) throw doc.Error(Section, key, "must be strictly increasing (item " + (i + 1).ToString() + ")");
            return v;
        }

        private static float[] Factors(KeyValueDocument doc, string key, int count)
        {
            return doc.GetNumberList(Section, key, 0, 1, count);
        }
    }
}
