using SolidBms.Core.Config;
using SolidBms.Core.Hal;
using System.Device.Adc;

namespace SolidBms.Esp32.Binding
{
    /// <summary>Opens the ADC channels a board wires, on ADC1 only (channels 0..7): ADC2 stops converting while Wi-Fi runs.</summary>
    public static class Esp32AdcInputs
    {
        /// <summary>nanoFramework channel number -> GPIO, ADC1 (ESP-IDF adc.rst; nf-interpreter ESP32 AdcController native).</summary>
        public static readonly int[] Adc1Gpio = { 36, 37, 38, 39, 32, 33, 34, 35 };

        public static IAdcChannel[] Open(BoardConfig board)
        {
            var channels = new IAdcChannel[board.AdcChannelCount];
            if (!board.UsesAdc) return channels;
            var controller = new AdcController(); // one instance: a second may throw
            int max = controller.MaxValue;
            Claim(board, controller, channels, board.CellAdcChannels, max);
            Claim(board, controller, channels, board.ThermistorAdcChannels, max);
            Claim(board, controller, channels, new int[] { board.CurrentAdcChannel }, max);
            Claim(board, controller, channels, board.PressureAdcChannels, max);
            return channels;
        }

        private static void Claim(BoardConfig board, AdcController controller, IAdcChannel[] channels, int[] wanted, int max)
        {
            for (int i = 0; i < wanted.Length; i++)
            {
                int ch = wanted[i];
                if (ch < 0) continue; // read over I2C
                if (ch > 7) throw new ConfigException(board.Name, 0, "adc", "channel " + ch.ToString() + " is not on ADC1 (0..7); ADC2 is unusable while Wi-Fi runs");
                if (channels[ch] == null) channels[ch] = new Esp32AdcChannel(controller.OpenChannel(ch), max);
            }
        }
    }
}
