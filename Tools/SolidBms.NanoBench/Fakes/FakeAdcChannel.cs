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
    }
}
