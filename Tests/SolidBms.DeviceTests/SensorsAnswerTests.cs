using nanoFramework.TestFramework;
using SolidBms.Core.Hal;
using SolidBms.Drivers.I2cCommon;
using SolidBms.Drivers.I2cFrontEnd;

namespace SolidBms.DeviceTests
{
    /// <summary>Every sensor the board file names answers on the real rig: each I2C chip identifies and configures, each ADC input converts.</summary>
    [TestClass]
    public class SensorsAnswerTests
    {
        [Setup]
        public void StartRig()
        {
            Assert.IsTrue(DeviceRig.Controller != null, "rig did not start");
        }

        [TestMethod]
        public void EachI2cChipIdentifiesAndStaysUp()
        {
            var sensors = DeviceRig.Controller.Sensors as I2cPackSensors;
            if (sensors == null) return; // an all-ADC board has no chips
            for (int i = 0; i < sensors.Health.Length; i++)
            {
                I2cHealth h = sensors.Health[i];
                Assert.IsTrue(h.Initialisations >= 1, h.DeviceName + " never initialised (wrong address, wiring or pull-ups?)");
                Assert.IsTrue(h.WrongDeviceAnswers == 0, h.DeviceName + " answered with the wrong ID");
                Assert.IsTrue(h.ConsecutiveFailures == 0, h.DeviceName + " is failing: last fault " + ((int)h.LastFault).ToString());
            }
        }

        [TestMethod]
        public void EachWiredAdcInputConvertsOffTheRails()
        {
            IAdcChannel[] channels = DeviceRig.Hardware.AdcChannels;
            for (int ch = 0; ch < channels.Length; ch++)
            {
                if (channels[ch] == null) continue;
                int counts;
                Assert.IsTrue(channels[ch].TryReadCounts(out counts), "ADC channel " + ch.ToString() + " gave no conversion");
                Assert.IsTrue(counts > 0 && counts < channels[ch].MaxCounts, "ADC channel " + ch.ToString() + " sits at a rail: " + counts.ToString());
            }
        }
    }
}
