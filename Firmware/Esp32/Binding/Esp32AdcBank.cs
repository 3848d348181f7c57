using System;
using System.Device.Adc;
using SolidBms.Core.Hal;

namespace SolidBms.Esp32.Binding
{
    /// <summary>ADC1 inputs read as one bank: one interface call from the front end for all of them, a tick.</summary>
    public sealed class Esp32AdcBank : IAdcBank
    {
        private readonly AdcChannel[] _channels;
        private readonly int _maxCounts;

        public Esp32AdcBank(AdcChannel[] channels, int maxCounts)
        {
            _channels = channels;
            _maxCounts = maxCounts;
        }

        public void ReadSums(int conversions, int[] sums)
        {
            AdcChannel[] channels = _channels;
            int max = _maxCounts;
            for (int i = 0; i < channels.Length; i++) sums[i] = Sum(channels[i], conversions, max);
        }

        /// <summary>
        /// <paramref name="conversions"/> conversions of one channel, summed; -1 when one throws or gives a count outside
        /// 0..<paramref name="maxCounts"/> (negative or above full scale: not a conversion).
        /// </summary>
        public static int Sum(AdcChannel channel, int conversions, int maxCounts)
        {
            uint max = (uint)maxCounts;
            int sum = 0;
            try
            {
                for (int i = 0; i < conversions; i++)
                {
                    int counts = channel.ReadValue();
                    if ((uint)counts > max) return -1;
                    sum += counts;
                }
            }
            catch (Exception)
            {
                return -1;
            }
            return sum;
        }
    }
}
