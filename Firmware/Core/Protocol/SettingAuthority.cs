using SolidBms.Core.Config;

namespace SolidBms.Core.Protocol
{
    /// <summary>
    /// What a key holder may change over a port (line SET, Modbus 06/16: both go through
    /// ProtocolEndpoint.ApplyStaged, which asks here). Tightening is always allowed. Loosening is allowed only
    /// as far as the bound: for a trip the cell file's absolute rating ([ratings]) or, where the file gives
    /// none, the start-up profile's value; for qualification times and the other settings without a rating,
    /// the start-up profile's value. No protection class may be switched off. The start-up profile (the
    /// board's own files) is never checked here: it keeps its full range. docs/safety.md, "Who may change what".
    /// Runs only on a configuration change (allocates).
    /// </summary>
    public static class SettingAuthority
    {
        /// <summary>Null when <paramref name="candidate"/> may replace <paramref name="current"/>, else the reason.</summary>
        public static string Check(LimitProfile startup, LimitProfile current, LimitProfile candidate, CellRatings ratings)
        {
            LevelLimit[] s = startup.All(), c = current.All(), n = candidate.All();
            for (int i = 0; i < n.Length; i++)
            {
                if (c[i].Enabled && !n[i].Enabled)
                    return n[i].Name + ".enabled: a protection class cannot be switched off over a port (the abuse-test mode inhibits actuation under its guard; docs/safety.md)";
                float rating = Rating(ratings, candidate, n[i]);
                float bound = Looser(n[i].Above, s[i].Trip, rating);
                // Only a trip the write moves outward is held to the bound: one already beyond it (a rating tightened
                // since it was set) may stay, or be tightened in steps that are still beyond it.
                if (Beyond(n[i].Above, n[i].Trip, c[i].Trip) && Beyond(n[i].Above, n[i].Trip, bound))
                    return Bound(n[i].Name + ".trip", n[i].Trip, bound, n[i].Unit, bound == rating); // the reason names what set the bound (a rating tighter than the start-up trip does not)
                string q = Longer(n[i].Name + ".qualifyMs", n[i].QualifyMs, c[i].QualifyMs, s[i].QualifyMs);
                if (q == null) q = Longer(n[i].Name + ".tripQualifyMs", n[i].TripQualifyMs, c[i].TripQualifyMs, s[i].TripQualifyMs);
                if (q != null) return q;
            }
            string e = Longer("current.idleA", candidate.IdleCurrentA, current.IdleCurrentA, startup.IdleCurrentA);
            if (e == null) e = Longer("current.alarmDerateFactor", candidate.AlarmDerateFactor, current.AlarmDerateFactor, startup.AlarmDerateFactor);
            if (e == null) e = Longer("sensors.faultQualifyMs", candidate.SensorFaultQualifyMs, current.SensorFaultQualifyMs, startup.SensorFaultQualifyMs);
            if (e == null) e = Longer("sensors.pressureRateWindowMs", candidate.PressureRateWindowMs, current.PressureRateWindowMs, startup.PressureRateWindowMs);
            if (e == null) e = Longer("sensors.temperatureRateWindowMs", candidate.TemperatureRateWindowMs, current.TemperatureRateWindowMs, startup.TemperatureRateWindowMs);
            return e; // current.maxChargeA / maxDischargeA are bounded by their limits' warnings (LimitProfile)
        }

        /// <summary>The cell file's rating for the trip of limit <paramref name="limit"/> (index in LimitProfile.All()); NaN where it has none.</summary>
        public static float Rating(CellRatings r, LimitProfile p, LevelLimit limit)
        {
            if (r == null) return float.NaN;
            if (limit == p.CellOverVoltage || limit == p.PackOverVoltage) return r.MaxCellMillivolts;
            if (limit == p.CellUnderVoltage || limit == p.PackUnderVoltage) return r.MinCellMillivolts;
            if (limit == p.ChargeOverCurrent) return r.MaxChargeCurrentA;
            if (limit == p.DischargeOverCurrent) return r.MaxDischargeCurrentA;
            if (limit == p.ShortCircuit) return r.MaxPulseCurrentA;
            if (limit == p.ChargeOverTemperature) return r.MaxChargeTemperatureC;
            if (limit == p.ChargeUnderTemperature) return r.MinChargeTemperatureC;
            if (limit == p.DischargeOverTemperature) return r.MaxDischargeTemperatureC;
            if (limit == p.DischargeUnderTemperature) return r.MinDischargeTemperatureC;
            if (limit == p.StackPressureLow) return r.MinStackPressureKpa;
            if (limit == p.StackPressureHigh) return r.MaxStackPressureKpa;
            return float.NaN; // stackPressureRate, cellImbalance, temperatureRiseRate, chargeAboveLimit, r0Growth, loopLate
        }

        /// <summary>The looser of the start-up trip and the rating (the start-up value may be restored).</summary>
        private static float Looser(bool above, float startupTrip, float rating)
        {
            if (float.IsNaN(rating)) return startupTrip;
            return Beyond(above, rating, startupTrip) ? rating : startupTrip;
        }

        private static bool Beyond(bool above, float value, float bound) { return above ? value > bound : value < bound; }

        private static string Bound(string key, float value, float bound, string unit, bool rated)
        {
            return key + ": " + Number(value) + " " + unit + " is beyond " + Number(bound) + " " + unit
                + (rated ? " (the cell file's absolute rating)" : " (the start-up profile's value: the cell file gives no rating)")
                + "; only the board's own files may go further"; // no commas: the reason travels in one protocol field
        }

        /// <summary>A value that only loosens upward (a longer time, a larger idle band): up to the start-up value.</summary>
        private static string Longer(string key, double value, double current, double startup)
        {
            if (value == current || value <= startup) return null;
            return key + ": " + Number(value) + " is looser than the start-up profile's " + Number(startup) + "; only the board's own files may go further";
        }

        private static string Number(double v)
        {
            return v == (long)v ? ((long)v).ToString() : v.ToString();
        }
    }
}
