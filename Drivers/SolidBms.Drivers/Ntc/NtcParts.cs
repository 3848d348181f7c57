namespace SolidBms.Drivers.Ntc
{
    /// <summary>Thermistor parts a board file may name, with their datasheet R-T tables.</summary>
    public static class NtcParts
    {
        /// <summary>
        /// Murata NCP15XH103F03RC: 10 kOhm at 25 C, B25/50 = 3380 K. Resistance column of Murata's R-T table
        /// (NTC thermistors for temperature sensing, NCP series, R-T characteristics, "XH103" column), kOhm,
        /// every 5 C from -40 to 125 C.
        /// </summary>
        public static NtcTable Ncp15xh103()
        {
            return new NtcTable("NCP15XH103F03RC",
                new float[] { -40, -35, -30, -25, -20, -15, -10, -5, 0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100, 105, 110, 115, 120, 125 },
                new float[]
                {
                    195.652f, 148.171f, 113.347f, 87.559f, 68.237f, 53.650f, 42.506f, 33.892f, 27.219f, 22.021f,
                    17.926f, 14.674f, 12.081f, 10.000f, 8.315f, 6.948f, 5.834f, 4.917f, 4.161f, 3.535f,
                    3.014f, 2.586f, 2.228f, 1.925f, 1.669f, 1.452f, 1.268f, 1.110f, 0.974f, 0.858f,
                    0.758f, 0.672f, 0.596f, 0.531f,
                });
        }

        /// <summary>The table for a part name from a board file, or null if the part is unknown.</summary>
        public static NtcTable Find(string part)
        {
            if (part == "NCP15XH103F03RC") return Ncp15xh103();
            return null;
        }
    }
}
