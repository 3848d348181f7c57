namespace SolidBms.Core.Estimation
{
    /// <summary>
    /// How long a noisy reading has stayed inside its band. A lone reading outside is noise (a coulomb counter
    /// read once per tick scatters by tens of mA) and neither ends the period nor stops it counting; only
    /// <see cref="OutliersToBreak"/> in a row end it, which a real load step does within a few ticks.
    /// Used for the estimator's rest (rest-OCV correction, capacity anchors) and the offset learner's quiet minute.
    /// </summary>
    public sealed class QuietPeriod
    {
        /// <summary>Consecutive readings outside the band that end the period.</summary>
        public const int OutliersToBreak = 3;

        private int _ms;
        private int _outliers;

        /// <summary>Length of the current quiet period, ms (0: none).</summary>
        public int Ms { get { return _ms; } }

        /// <summary>Counts one reading; false when it ended the period or none is running (the caller restarts its band there).</summary>
        public bool Update(bool inBand, int elapsedMs)
        {
            if (inBand) _outliers = 0;
            else _outliers++;
            if (inBand || (_outliers < OutliersToBreak && _ms > 0))
            {
                if (_ms < int.MaxValue - elapsedMs) _ms += elapsedMs;
                return true;
            }
            Reset();
            return false;
        }

        public void Reset()
        {
            _ms = 0;
            _outliers = 0;
        }
    }
}
