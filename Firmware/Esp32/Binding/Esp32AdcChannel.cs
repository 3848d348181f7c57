using System;
using System.Device.Adc;
using SolidBms.Core.Hal;

namespace SolidBms.Esp32.Binding
{
    /// <summary>
    /// One ESP32 ADC1 input. nanoFramework opens every channel at 12 bit and 11 dB attenuation (about 0..3.1 V,
    /// accurate within 150..2450 mV) and returns raw counts with no eFuse calibration, so the board file carries a
    /// per-channel calibration. A conversion that throws is reported as "no answer", never as a number.
    /// </summary>
    public sealed class Esp32AdcChannel : IAdcChannel
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
            AdcChannel channel = _channel;
            uint max = (uint)MaxCounts;
            int sum = 0;
            try
            {
                for (int i = 0; i < conversions; i++)
                {
                    int counts = channel.ReadValue();
                    if ((uint)counts > max) { sumCounts = 0; return false; } // negative or above full scale: not a conversion
                    sum += counts;
                }
            }
            catch (Exception)
            {
                sumCounts = 0;
                return false;
            }
            sumCounts = sum;
            return true;
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
    }
}
