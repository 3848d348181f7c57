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
