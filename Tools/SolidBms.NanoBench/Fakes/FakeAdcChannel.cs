using SolidBms.Core.Hal;

namespace SolidBms.NanoBench.Fakes
{
    /// <summary>
    /// One ADC input: returns the counts the pack model last set (the ESP32 binding calls the native converter here).
    /// Every conversion of a reading gives the same value; the noise changes between ticks (<see cref="SteadyPack"/>).
    /// Channels of this kind read as one bank (<see cref="FakeAdcBank"/>), as the binding's do.
    /// </summary>
    public sealed class FakeAdcChannel : IAdcChannel, IAdcBankable
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

        public bool TryReadSum(int conversions, out int sumCounts)
        {
            sumCounts = Sum(this, conversions);
            if (sumCounts >= 0) return true;
            sumCounts = 0;
            return false;
        }

        public IAdcBank BankOf(IAdcChannel[] channels)
        {
            var fakes = new FakeAdcChannel[channels.Length];
            for (int i = 0; i < channels.Length; i++)
            {
                fakes[i] = channels[i] as FakeAdcChannel;
                if (fakes[i] == null) return null;
            }
            return new FakeAdcBank(fakes);
        }

        /// <summary>
        /// The binding's loop (Esp32AdcBank.Sum), each conversion the same value and range-checked as there (the native read
        /// aside): the sum, or -1.
        /// </summary>
        public static int Sum(FakeAdcChannel channel, int conversions)
        {
            uint max = (uint)channel._max;
            int sum = 0;
            for (int i = 0; i < conversions; i++)
            {
                int counts = channel.Counts;
                if ((uint)counts > max) return -1;
                sum += counts;
            }
            return sum;
        }
    }

    /// <summary>Fake channels read as one bank: the binding's bank (Esp32AdcBank), the native reads aside.</summary>
    public sealed class FakeAdcBank : IAdcBank
    {
        private readonly FakeAdcChannel[] _channels;

        public FakeAdcBank(FakeAdcChannel[] channels)
        {
            _channels = channels;
        }

        public void ReadSums(int conversions, int[] sums)
        {
            FakeAdcChannel[] channels = _channels;
            for (int i = 0; i < channels.Length; i++) sums[i] = FakeAdcChannel.Sum(channels[i], conversions);
        }
    }
}
