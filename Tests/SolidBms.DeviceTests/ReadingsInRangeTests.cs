using nanoFramework.TestFramework;
using SolidBms.Core.Measurement;

namespace SolidBms.DeviceTests
{
    /// <summary>
    /// With cells connected and the rig at rest on the bench: every reading valid and physically sensible.
    /// Ranges are wide on purpose: they catch a wrong divider, a swapped channel or a wrong shunt, not calibration error.
    /// </summary>
    [TestClass]
    public class ReadingsInRangeTests
    {
        [TestMethod]
        public void CellVoltagesAreValidAndBetween2500And4500Millivolts()
        {
            DeviceRig.RunTicks(5);
            PackMeasurement m = DeviceRig.Controller.Measurement;
            for (int i = 0; i < m.CellCount; i++)
            {
                Assert.IsTrue(m.CellVoltageStatus[i] == SensorStatus.Ok, "cell " + (i + 1).ToString() + " status " + ((int)m.CellVoltageStatus[i]).ToString());
                Assert.IsTrue(m.CellMillivolts[i] > 2500f && m.CellMillivolts[i] < 4500f, "cell " + (i + 1).ToString() + " reads " + m.CellMillivolts[i].ToString() + " mV");
            }
        }

        [TestMethod]
        public void TemperaturesAreValidAndRoomLike()
        {
            PackMeasurement m = DeviceRig.Controller.Measurement;
            for (int i = 0; i < m.CellCount; i++)
            {
                Assert.IsTrue(m.CellTemperatureStatus[i] == SensorStatus.Ok, "thermistor of cell " + (i + 1).ToString() + " status " + ((int)m.CellTemperatureStatus[i]).ToString());
                Assert.IsTrue(m.CellTemperatureC[i] > 5f && m.CellTemperatureC[i] < 45f, "cell " + (i + 1).ToString() + " at " + m.CellTemperatureC[i].ToString() + " C");
            }
        }

        [TestMethod]
        public void CurrentIsValidAndNearZeroAtRest()
        {
            PackMeasurement m = DeviceRig.Controller.Measurement;
            Assert.IsTrue(m.PackCurrentStatus == SensorStatus.Ok, "current status " + ((int)m.PackCurrentStatus).ToString());
            Assert.IsTrue(m.PackCurrentA > -0.2f && m.PackCurrentA < 0.2f, "current at rest reads " + m.PackCurrentA.ToString() + " A");
        }

        [TestMethod]
        public void StackPressureIsValidAndNotNegative()
        {
            PackMeasurement m = DeviceRig.Controller.Measurement;
            for (int s = 0; s < m.StackCount; s++)
            {
                Assert.IsTrue(m.StackPressureStatus[s] == SensorStatus.Ok, "stack " + (s + 1).ToString() + " status " + ((int)m.StackPressureStatus[s]).ToString());
                Assert.IsTrue(m.StackPressureKpa[s] > -20f && m.StackPressureKpa[s] < 20000f, "stack " + (s + 1).ToString() + " reads " + m.StackPressureKpa[s].ToString() + " kPa");
            }
        }
    }
}
