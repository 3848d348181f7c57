using SolidBms.Core.Hal;

namespace SolidBms.NanoBench.Fakes
{
    /// <summary>
    /// One ADC input: returns the counts the pack model last set (the ESP32 binding calls the native converter here).
    /// Every conversion of a reading gives the same value; the noise changes between ticks (<see cref="SteadyPack"/>).
    /// </summary>
    public sealed class FakeAdcChannel : IAdcChannel
    {
        private readonly int _max;
        public int Counts;

        public FakeAdcChannel(int maxCounts)
        {
            _max = maxCounts;
        }

        public int MaxCounts { get { return _max; } }

        public bool TryReadCounts(out int counts)
        {
            counts = Counts;
            return true;
        }

        /// <summary>The binding's loop, each conversion the same value and range-checked as there (the native read aside).</summary>
        public bool TryReadSum(int conversions, out int sumCounts)
        {
            uint max = (uint)_max;
            int sum = 0;
            for (int i = 0; i < conversions; i++)
            {
                int counts = Counts;
                if ((uint)counts > max) { sumCounts = 0; return false; }
                sum += counts;
            }
            sumCounts = sum;
            return true;
        }
    }
}
