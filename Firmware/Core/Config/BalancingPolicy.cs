using SolidBms.Core.Util;

namespace SolidBms.Core.Config
{
    /// <summary>
    /// When cells may bleed and how much imbalance starts and stops it: the limit profile's [balancing] section,
    /// validated on load (docs/balancing.md). A profile without the section does not balance.
    /// </summary>
    public sealed class BalancingPolicy
    {
        public bool Enabled;

        /// <summary>True: decide on the estimator's per-cell SOC and capacity (voltage at rest until it has converged); false: voltage at rest only.</summary>
        public bool SocBased;

        /// <summary>A cell starts bleeding this many SOC points above the lowest cell, and stops at the stop delta.</summary>
        public float StartSocDeltaPercent;
        public float StopSocDeltaPercent;

        /// <summary>The same in the voltage fallback, mV above the lowest cell, after at least <see cref="VoltageRestS"/> of rest.</summary>
        public float StartMillivolts;
        public float StopMillivolts;
        public int VoltageRestS;

        /// <summary>In discharge, balancing only while every cell is at or above this SOC (100: never in discharge).</summary>
        public float DischargeSocFloorPercent;

        /// <summary>Bleed heat: no balancing while any cell is at or above this, until it has cooled by the hysteresis.</summary>
        public float StopTemperatureC;
        public float TemperatureHysteresisC;

        /// <summary>The estimator counts as converged when every cell's SOC standard deviation is at or below this, points.</summary>
        public float ConvergedSigmaPercent;

        /// <summary>The [balancing] section as profile-file text (nothing when disabled), so a profile rewritten from its fields keeps it.</summary>
        public void WriteText(AsciiWriter w)
        {
            if (!Enabled) return;
            w.Append("[balancing]\nenabled = true\nsocBased = "); w.Append(SocBased ? "true" : "false");
            Key(w, "startSocDeltaPercent", StartSocDeltaPercent);
            Key(w, "stopSocDeltaPercent", StopSocDeltaPercent);
            Key(w, "startMillivolts", StartMillivolts);
            Key(w, "stopMillivolts", StopMillivolts);
            w.Append("\nvoltageRestS = "); w.Append(VoltageRestS);
            Key(w, "dischargeSocFloorPercent", DischargeSocFloorPercent);
            Key(w, "stopTemperatureC", StopTemperatureC);
            Key(w, "temperatureHysteresisC", TemperatureHysteresisC);
            Key(w, "convergedSigmaPercent", ConvergedSigmaPercent);
            w.Append('\n');
        }

        private static void Key(AsciiWriter w, string key, float value)
        {
            w.Append('\n'); w.Append(key); w.Append(" = "); w.AppendFixed(value, 4);
        }

        public static BalancingPolicy Load(KeyValueDocument doc)
        {
            const string s = "balancing";
            var p = new BalancingPolicy();
            if (!doc.HasSection(s)) return p; // disabled
            p.Enabled = doc.GetBool(s, "enabled", true);
            p.SocBased = doc.GetBool(s, "socBased", true);
            p.StartSocDeltaPercent = (float)doc.GetNumber(s, "startSocDeltaPercent", 0.05, 50);
            p.StopSocDeltaPercent = (float)doc.GetNumber(s, "stopSocDeltaPercent", 0, 50);
            if (p.StopSocDeltaPercent >= p.StartSocDeltaPercent) throw doc.Error(s, "stopSocDeltaPercent", "must be below startSocDeltaPercent");
            p.StartMillivolts = (float)doc.GetNumber(s, "startMillivolts", 0.5, 500);
            p.StopMillivolts = (float)doc.GetNumber(s, "stopMillivolts", 0, 500);
            if (p.StopMillivolts >= p.StartMillivolts) throw doc.Error(s, "stopMillivolts", "must be below startMillivolts");
            p.VoltageRestS = doc.GetInt(s, "voltageRestS", 0, 86400);
            p.DischargeSocFloorPercent = (float)doc.GetNumber(s, "dischargeSocFloorPercent", 0, 100);
            p.StopTemperatureC = (float)doc.GetNumber(s, "stopTemperatureC", -40, 150);
            p.TemperatureHysteresisC = (float)doc.GetNumber(s, "temperatureHysteresisC", 0, 50);
            p.ConvergedSigmaPercent = (float)doc.GetNumber(s, "convergedSigmaPercent", 0.1, 50);
            return p;
        }
    }
}
