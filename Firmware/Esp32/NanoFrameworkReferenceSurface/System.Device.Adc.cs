// Compile-only surface of nanoFramework.System.Device.Adc 1.1.24 (see README.md in this folder). Nothing here runs.
// Every line is checked against api/System.Device.Adc.api.txt (listed from the source at the pinned tag) by
// SurfaceListingTests; the listing's header names the tag and commit.
namespace System.Device.Adc
{
    /// <summary>AdcControllerBase.cs: the abstract base AdcController overrides (only the members the binding calls).</summary>
    public abstract class AdcControllerBase
    {
        public abstract int MaxValue { get; }

        public abstract int ChannelCount { get; }

        public abstract AdcChannel OpenChannel(int channelNumber);
    }

    /// <summary>AdcController.cs: public class AdcController : AdcControllerBase.</summary>
    public class AdcController : AdcControllerBase
    {
        /// <summary>AdcController.cs: public AdcController() (native init; keep one instance).</summary>
        public AdcController() { throw new NotSupportedException(); }

        /// <summary>AdcController.cs: public override int MaxValue { get; } (ESP32: 4095).</summary>
        public override int MaxValue { get { throw new NotSupportedException(); } }

        /// <summary>AdcController.cs: public override int ChannelCount { get; } (ESP32: 20).</summary>
        public override int ChannelCount { get { throw new NotSupportedException(); } }

        /// <summary>AdcController.cs: public AdcChannel OpenChannel(int channelNumber).</summary>
        public override AdcChannel OpenChannel(int channelNumber) { throw new NotSupportedException(); }
    }

    /// <summary>AdcChannelBase.cs: the abstract base of AdcChannel.</summary>
    public abstract class AdcChannelBase
    {
        public abstract int ReadValue();
    }

    /// <summary>AdcChannel.cs: public class AdcChannel : AdcChannelBase, IDisposable.</summary>
    public class AdcChannel : AdcChannelBase, IDisposable
    {
        internal AdcChannel() { }

        /// <summary>AdcChannel.cs: public int ReadValue() (raw counts, no eFuse calibration on ESP32).</summary>
        public override int ReadValue() { throw new NotSupportedException(); }

        /// <summary>AdcChannel.cs: public void Dispose().</summary>
        public void Dispose() { throw new NotSupportedException(); }
    }
}
