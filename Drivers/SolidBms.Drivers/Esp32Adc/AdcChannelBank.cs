using SolidBms.Core.Hal;

namespace SolidBms.Drivers.Esp32Adc
{
    /// <summary>
    /// A bank of channels whose binding has no bank of its own (<see cref="IAdcBankable"/>): each channel's
    /// <see cref="IAdcChannel.TryReadSum"/> in turn, as the front end read them before banks.
    /// </summary>
    public sealed class AdcChannelBank : IAdcBank
    {
        private readonly IAdcChannel[] _channels;

        public AdcChannelBank(IAdcChannel[] channels)
        {
            _channels = channels;
        }

        /// <summary>The binding's own bank where every channel offers one, else this one.</summary>
        public static IAdcBank Of(IAdcChannel[] channels)
        {
            IAdcBankable bankable = channels.Length > 0 ? channels[0] as IAdcBankable : null;
            IAdcBank bank = bankable != null ? bankable.BankOf(channels) : null;
            return bank != null ? bank : new AdcChannelBank(channels);
        }

        public void ReadSums(int conversions, int[] sums)
        {
            IAdcChannel[] channels = _channels;
            for (int i = 0; i < channels.Length; i++)
            {
                int sum;
                sums[i] = channels[i].TryReadSum(conversions, out sum) ? sum : -1;
            }
        }
    }
}
