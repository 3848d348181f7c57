// Compile-only surface of nanoFramework.System.Device.Adc 1.1.24 (see README.md in this folder). Nothing here runs.
// Checked against nanoframework/System.Device.Adc: System.Device.Adc/AdcController.cs @46bf9628,
// AdcChannel.cs and AdcChannelBase.cs @2199e06e (via /work/research/nanoframework.md section 3.1).
namespace System.Device.Adc
{
    /// <summary>AdcController.cs: public sealed class AdcController.</summary>
    public sealed class AdcController
    {
        /// <summary>AdcController.cs: public AdcController() (native init; keep one instance).</summary>
        public AdcController() { throw new NotSupportedException(); }

        /// <summary>AdcController.cs: public int MaxValue { get; } (ESP32: 4095).</summary>
        public int MaxValue { get { throw new NotSupportedException(); } }

        /// <summary>AdcController.cs: public int ChannelCount { get; } (ESP32: 20).</summary>
        public int ChannelCount { get { throw new NotSupportedException(); } }

        /// <summary>AdcController.cs: public AdcChannel OpenChannel(int channelNumber).</summary>
        public AdcChannel OpenChannel(int channelNumber) { throw new NotSupportedException(); }
    }

    /// <summary>AdcChannel.cs: public class AdcChannel : AdcChannelBase, IDisposable (base members folded in here).</summary>
    public class AdcChannel : IDisposable
    {
        internal AdcChannel() { }

        /// <summary>AdcChannel.cs: public int ReadValue() (raw counts, no eFuse calibration on ESP32).</summary>
        public int ReadValue() { throw new NotSupportedException(); }

        /// <summary>AdcChannel.cs: public void Dispose().</summary>
        public void Dispose() { throw new NotSupportedException(); }
    }
}
