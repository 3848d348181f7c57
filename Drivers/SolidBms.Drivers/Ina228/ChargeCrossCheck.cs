namespace SolidBms.Drivers.Ina228
{
    /// <summary>
    /// Compares the INA228's own charge accumulator with the firmware's coulomb counter over the same interval.
    /// Both integrate the same shunt current, the chip in hardware at every conversion, the firmware once per tick
    /// from sampled readings; a growing difference means missed ticks, a sampling error on fast pulses, or a
    /// drifting current reading. The interval restarts whenever the chip's accumulator restarts (re-configuration).
    /// </summary>
    public sealed class ChargeCrossCheck
    {
        private int _epoch = -1;
        private double _chipStartCoulomb;
        private double _firmwareStartAh;

        /// <summary>Charge the chip counted since the interval began, Ah (positive = discharged).</summary>
        public double ChipAh { get; private set; }

        /// <summary>Charge the firmware counted over the same interval, Ah.</summary>
        public double FirmwareAh { get; private set; }

        /// <summary>Firmware minus chip, Ah.</summary>
        public double DifferenceAh { get { return FirmwareAh - ChipAh; } }

        public bool Valid { get; private set; }

        /// <summary>Call once per tick after the chip was read; firmwareDischargedAh is the estimator's running total.</summary>
        public void Update(Ina228Monitor chip, double firmwareDischargedAh)
        {
            if (double.IsNaN(chip.ChargeCoulomb)) { Valid = false; return; }
            if (chip.ChargeEpoch != _epoch)
            {
                _epoch = chip.ChargeEpoch;
                _chipStartCoulomb = chip.ChargeCoulomb;
                _firmwareStartAh = firmwareDischargedAh;
            }
            ChipAh = (chip.ChargeCoulomb - _chipStartCoulomb) / 3600.0;
            FirmwareAh = firmwareDischargedAh - _firmwareStartAh;
            Valid = true;
        }
    }
}
