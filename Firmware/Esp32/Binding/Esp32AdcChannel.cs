using System;
using System.Device.Adc;
using SolidBms.Core.Hal;

namespace SolidBms.Esp32.Binding
{
    /// <summary>
    /// One ESP32 ADC1 input. nanoFramework opens every channel at 12 bit and 11 dB attenuation (about 0..3.1 V,
    /// accurate within 150..2450 mV) and returns raw counts with no eFuse calibration, so the board file carries a
    /// per-channel calibration. A conversion that throws is reported as "no answer", never as a number. Channels of this
    /// kind read as one bank (<see cref="Esp32AdcBank"/>).
    /// </summary>
    public sealed class Esp32AdcChannel : IAdcChannel, IAdcBankable
    {
        private readonly AdcChannel _channel;

        public Esp32AdcChannel(AdcChannel channel, int maxCounts)
        {
            _channel = channel;
            MaxCounts = maxCounts;
        }

        public int MaxCounts { get; private set; }

        public bool TryReadSum(int conversions, out int sumCounts)
        {
            sumCounts = Esp32AdcBank.Sum(_channel, conversions, MaxCounts);
            if (sumCounts >= 0) return true;
            sumCounts = 0;
            return false;
        }

        public bool TryReadCounts(out int counts)
        {
            try
            {
                counts = _channel.ReadValue();
                return true;
            }
            catch (Exception)
            {
                counts = 0;
                return false;
            }
        }

        public IAdcBank BankOf(IAdcChannel[] channels)
        {
            var adc = new AdcChannel[channels.Length];
            for (int i = 0; i < channels.Length; i++)
            {
                var c = channels[i] as Esp32AdcChannel;
                if (c == null || c.MaxCounts != MaxCounts) return null;
                adc[i] = c._channel;
            }
            return new Esp32AdcBank(adc, MaxCounts);
        }
    }
}
