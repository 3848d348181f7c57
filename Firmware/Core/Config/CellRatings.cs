namespace SolidBms.Core.Config
{
    /// <summary>
    /// The cell's absolute ratings ([ratings] section of the cell file): the furthest a trip may be moved by
    /// a key holder over a port (docs/safety.md, "Who may change what"). Every key is optional: a rating the
    /// file does not give is NaN, and then a port may not loosen that trip past the start-up profile's value.
    /// A board's own profile file is not bound by these (a rig engineer edits files deliberately).
    /// </summary>
    public sealed class CellRatings
    {
        /// <summary>Per-cell voltage, mV (over-voltage and pack over-voltage per cell trips).</summary>
        public float MaxCellMillivolts = float.NaN;
        public float MinCellMillivolts = float.NaN;

        /// <summary>Current magnitudes, A: continuous-trip ceilings and the short-circuit (pulse) ceiling.</summary>
        public float MaxChargeCurrentA = float.NaN;
        public float MaxDischargeCurrentA = float.NaN;
        public float MaxPulseCurrentA = float.NaN;

        /// <summary>Cell temperature windows, C.</summary>
        public float MaxChargeTemperatureC = float.NaN;
        public float MinChargeTemperatureC = float.NaN;
        public float MaxDischargeTemperatureC = float.NaN;
        public float MinDischargeTemperatureC = float.NaN;

        /// <summary>Stack pressure window, kPa.</summary>
        public float MinStackPressureKpa = float.NaN;
        public float MaxStackPressureKpa = float.NaN;

        public const string Section = "ratings";

        /// <summary>Reads the optional [ratings] section; each pair must leave a window (min below max).</summary>
        public static CellRatings Load(KeyValueDocument doc)
        {
            var r = new CellRatings();
            r.MaxCellMillivolts = Get(doc, "maxCellMillivolts", 1000, 5500);
            r.MinCellMillivolts = Get(doc, "minCellMillivolts", 500, 5000);
            Window(doc, r.MinCellMillivolts, r.MaxCellMillivolts, "minCellMillivolts", "maxCellMillivolts");
            r.MaxChargeCurrentA = Get(doc, "maxChargeCurrentA", 0, 5000);
            r.MaxDischargeCurrentA = Get(doc, "maxDischargeCurrentA", 0, 5000);
            r.MaxPulseCurrentA = Get(doc, "maxPulseCurrentA", 0, 100000);
            if (r.MaxPulseCurrentA < r.MaxDischargeCurrentA)
                throw doc.Error(Section, "maxPulseCurrentA", "must not be below maxDischargeCurrentA");
            r.MaxChargeTemperatureC = Get(doc, "maxChargeTemperatureC", -40, 150);
            r.MinChargeTemperatureC = Get(doc, "minChargeTemperatureC", -60, 100);
            Window(doc, r.MinChargeTemperatureC, r.MaxChargeTemperatureC, "minChargeTemperatureC", "maxChargeTemperatureC");
            r.MaxDischargeTemperatureC = Get(doc, "maxDischargeTemperatureC", -40, 150);
            r.MinDischargeTemperatureC = Get(doc, "minDischargeTemperatureC", -60, 100);
            Window(doc, r.MinDischargeTemperatureC, r.MaxDischargeTemperatureC, "minDischargeTemperatureC", "maxDischargeTemperatureC");
            r.MinStackPressureKpa = Get(doc, "minStackPressureKpa", 0, 100000);
            r.MaxStackPressureKpa = Get(doc, "maxStackPressureKpa", 0, 100000);
            Window(doc, r.MinStackPressureKpa, r.MaxStackPressureKpa, "minStackPressureKpa", "maxStackPressureKpa");
            return r;
        }

        /// <summary>
        /// How far the voltage rating may lie above the cell's charge window ([cell] maxCellMillivolts). A cell maker's
        /// absolute maximum sits 50..150 mV above the charge cut-off (the over-voltage protection of a 4.2 V cell at
        /// 4.25..4.35 V); 250 mV leaves room for a conservative window, while a rating further up is a typo or another
        /// cell's number, and it would let a key holder move the over-voltage trip there.
        /// </summary>
        public const float MaxMillivoltsAboveWindow = 250f;

        /// <summary>
        /// How far the voltage rating may lie above the OCV table's top (its highest voltage at SOC 1): the charge
        /// cut-off lies up to about 250 mV above the relaxed full cell (LFP: 3.65 V over about 3.4 V), plus the margin above.
        /// </summary>
        public const float MaxMillivoltsAboveOcvTop = 500f;

        /// <summary>
        /// C-rate ceilings of the continuous current ratings. The fastest-charging cells sold (LTO) are rated about 10C
        /// on charge, high-power LFP about 30C continuous on discharge (2.5 Ah, 70 A); twice those is no rating of a real
        /// cell, but a slip (1000 A for a 3 Ah cell) that the port would honour.
        /// </summary>
        public const float MaxChargeCRate = 20f, MaxDischargeCRate = 60f;

        /// <summary>
        /// Cross-checks against the cell's own data, once [cell], [ocv] and [impedance] are read: the voltage ratings
        /// against the charge window and the OCV table, the currents against the capacity, the pulse (short-circuit)
        /// ceiling against what the cell can drive into a dead short. Each message names the unit.
        /// </summary>
        public void CheckAgainst(KeyValueDocument doc, CellModel m)
        {
            float ocvTop = 0f;
            int n = m.SocPoints.Length;
            for (int t = 0; t < m.OcvTemperaturesC.Length; t++)
                if (m.OcvMillivolts[t * n + n - 1] > ocvTop) ocvTop = m.OcvMillivolts[t * n + n - 1];
            if (!float.IsNaN(MaxCellMillivolts))
            {
                if (MaxCellMillivolts < m.MaxCellMillivolts)
                    throw doc.Error(Section, "maxCellMillivolts", Mv(MaxCellMillivolts) + " is below [cell] maxCellMillivolts (" + Mv(m.MaxCellMillivolts) + "): the cell's own charge window would pass its absolute rating");
                if (MaxCellMillivolts > m.MaxCellMillivolts + MaxMillivoltsAboveWindow)
                    throw doc.Error(Section, "maxCellMillivolts", Mv(MaxCellMillivolts) + " is more than " + Mv(MaxMillivoltsAboveWindow) + " above [cell] maxCellMillivolts (" + Mv(m.MaxCellMillivolts) + "): not a rating of this cell");
                if (MaxCellMillivolts > ocvTop + MaxMillivoltsAboveOcvTop)
                    throw doc.Error(Section, "maxCellMillivolts", Mv(MaxCellMillivolts) + " is more than " + Mv(MaxMillivoltsAboveOcvTop) + " above the top of the [ocv] table (" + Mv(ocvTop) + " at SOC 1): not a rating of this cell");
            }
            if (MinCellMillivolts > m.MinCellMillivolts) // false when absent (NaN)
                throw doc.Error(Section, "minCellMillivolts", Mv(MinCellMillivolts) + " is above [cell] minCellMillivolts (" + Mv(m.MinCellMillivolts) + "): the cell's own discharge window would pass its absolute rating");
            CheckCRate(doc, "maxChargeCurrentA", MaxChargeCurrentA, m.CapacityAh, MaxChargeCRate);
            CheckCRate(doc, "maxDischargeCurrentA", MaxDischargeCurrentA, m.CapacityAh, MaxDischargeCRate);
            // A trip above the current the cell can drive through its own ohmic resistance into a dead short never trips.
            float ohmic = float.MaxValue;
            for (int t = 0; t < m.R0MilliOhm.Length; t++)
            {
                float r = m.R0MilliOhm[t] - (m.ChargeTransferMilliOhm != null ? m.ChargeTransferMilliOhm[t] : 0f); // the part that does not fall with current
                if (r < ohmic) ohmic = r;
            }
            float lowestFactor = LowestFactor(m.R0SocFactor);
            if (MaxPulseCurrentA > 0 && ohmic > 0 && MaxPulseCurrentA > ocvTop / (ohmic * lowestFactor))
                throw doc.Error(Section, "maxPulseCurrentA", ConfigEntry.Fmt(MaxPulseCurrentA) + " A is more than the cell can drive into a dead short (" + ConfigEntry.Fmt((long)(ocvTop / (ohmic * lowestFactor))) + " A: the [ocv] top over the lowest ohmic R0 of [impedance]): such a trip never trips");
        }

        private static float LowestFactor(float[] factors)
        {
            float f = 1f;
            if (factors != null) for (int i = 0; i < factors.Length; i++) if (factors[i] < f) f = factors[i];
            return f;
        }

        private static void CheckCRate(KeyValueDocument doc, string key, float amps, float capacityAh, float maxCRate)
        {
            if (amps > maxCRate * capacityAh) // false when absent (NaN)
                throw doc.Error(Section, key, ConfigEntry.Fmt(amps) + " A is " + ConfigEntry.Fmt((long)(amps / capacityAh)) + "C for the cell's " + ConfigEntry.Fmt(capacityAh) + " Ah ([cell] capacityAh); no cell is rated above " + ConfigEntry.Fmt(maxCRate) + "C");
        }

        private static string Mv(float mv) { return ConfigEntry.Fmt((long)(mv + 0.5f)) + " mV"; }

        private static float Get(KeyValueDocument doc, string key, double min, double max)
        {
            return doc.Has(Section, key) ? (float)doc.GetNumber(Section, key, min, max) : float.NaN;
        }

        private static void Window(KeyValueDocument doc, float min, float max, string minKey, string maxKey)
        {
            if (min >= max) throw doc.Error(Section, minKey, "must be below " + maxKey); // false when either is absent (NaN)
        }
    }
}
