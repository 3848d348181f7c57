namespace SolidBms.Core.Config
{
    /// <summary>
    /// The rig's bleed (passive balancing) hardware, from the board file's [balancing] section: the resistance
    /// each bleed current sees, how many cells may bleed at once, whether neighbours may bleed together, and
    /// on the analog rig one GPIO per cell. On a BQ76952 rig the chip's own Cell Balancing Config settings
    /// are here too (docs/balancing.md). A board without the section has no balancing.
    /// </summary>
    public sealed class BalancingSettings
    {
        /// <summary>Resistance of one cell's whole bleed path (resistor, switch, tap wires), ohm: bleed current = cell voltage / this.</summary>
        public float BleedResistorOhm;

        /// <summary>Most cells bleeding at once (heat in the resistors or the chip).</summary>
        public int MaxCells;

        /// <summary>False: two neighbouring cells never bleed together (the BQ76952's internal balancing rule).</summary>
        public bool AdjacentAllowed;

        /// <summary>Analog rig: each sense wire's resistance, ohm, which the bleed current also crosses (measurement correction).</summary>
        public float TapResistanceOhm;

        /// <summary>How often the balancing decision runs, ms (a few seconds: SOC moves slowly).</summary>
        public int PeriodMs;

        /// <summary>Analog rig: GPIO of each cell's bleed switch (null on the chip).</summary>
        public int[] Pins;

        /// <summary>True when the BQ76952's integrated switches bleed (host-controlled balancing).</summary>
        public bool OnChip;

        // BQ76952 Settings:Cell Balancing Config (written at start-up; the chip's own stops, a second line)
        public int ChipIntervalS;
        public int ChipMinCellTempC;
        public int ChipMaxCellTempC;
        public int ChipMaxInternalTempC;

        /// <summary>Bit mask of the cells a decision may use (64 cells at most).</summary>
        public const int MaxBalancedCells = 64;

        public static BalancingSettings Load(KeyValueDocument doc, int cellCount, bool onChip)
        {
            const string s = "balancing";
            if (!doc.HasSection(s)) return null;
            var b = new BalancingSettings();
            b.OnChip = onChip;
            b.BleedResistorOhm = (float)doc.GetNumber(s, "bleedResistorOhm", 1, 100000);
            b.PeriodMs = doc.GetInt(s, "periodMs", 1000, 60000, 5000);
            if (onChip)
            {
                // Internal balancing never runs neighbours together and at most 16 cells (TRM, Cell Balancing).
                b.MaxCells = doc.GetInt(s, "maxCells", 1, 16);
                b.AdjacentAllowed = doc.GetBool(s, "adjacentAllowed", false);
                if (b.AdjacentAllowed) throw doc.Error(s, "adjacentAllowed", "the BQ76952's integrated switches never balance adjacent cells");
                b.ChipIntervalS = doc.GetInt(s, "chipIntervalS", 1, 255, 20);
                b.ChipMinCellTempC = doc.GetInt(s, "chipMinCellTempC", -128, 127, -20);
                b.ChipMaxCellTempC = doc.GetInt(s, "chipMaxCellTempC", -128, 127, 60);
                b.ChipMaxInternalTempC = doc.GetInt(s, "chipMaxInternalTempC", -128, 127, 70);
                if (b.ChipMinCellTempC >= b.ChipMaxCellTempC) throw doc.Error(s, "chipMinCellTempC", "must be below chipMaxCellTempC");
                if (b.PeriodMs >= b.ChipIntervalS * 1000) throw doc.Error(s, "periodMs", "must be shorter than chipIntervalS (the chip stops host balancing that is not renewed within its interval)");
            }
            else
            {
                b.MaxCells = doc.GetInt(s, "maxCells", 1, MaxBalancedCells);
                b.AdjacentAllowed = doc.GetBool(s, "adjacentAllowed", true);
                b.TapResistanceOhm = (float)doc.GetNumber(s, "tapResistanceOhm", 0, 100, 0);
                b.Pins = doc.GetIntList(s, "pins", 0, 48, cellCount);
                for (int i = 0; i < b.Pins.Length; i++)
                    for (int j = 0; j < i; j++)
                        if (b.Pins[i] == b.Pins[j]) throw doc.Error(s, "pins", "GPIO " + b.Pins[i].ToString() + " is listed twice");
            }
            if (cellCount > MaxBalancedCells) throw doc.Error(s, "bleedResistorOhm", "balancing supports at most 64 cells");
            return b;
        }
    }
}
