using SolidBms.Core.Actuation;
using SolidBms.Core.Config;
using SolidBms.Core.Hal;
using SolidBms.Core.Loop;
using SolidBms.Core.Measurement;
using SolidBms.Drivers.AnalogFrontEnd;
using SolidBms.Drivers.Bq76952;
using SolidBms.Drivers.I2cFrontEnd;

namespace SolidBms.Firmware
{
    /// <summary>
    /// The hardware a controller runs on, as the firmware's own interfaces: the ESP32 binding fills this on
    /// the device, the simulator on the host. Nothing above this line knows which.
    /// </summary>
    public sealed class BmsHardware
    {
        /// <summary>ADC channels by channel number (null where the chip has none).</summary>
        public IAdcChannel[] AdcChannels;
        /// <summary>The I2C controller the board's chips sit on (null on a board with none).</summary>
        public II2cBus I2cBus;
        public IDigitalOutput MainContactor;
        /// <summary>Precharge relay; null on rigs without one.</summary>
        public IDigitalOutput Precharge;
        public IDigitalOutput ChargeEnable;
        public IDigitalOutput DischargeEnable;
        public IDigitalOutput Alarm;
        /// <summary>One bleed switch per cell (board [balancing] pins); null on rigs without GPIO bleeding.</summary>
        public IDigitalOutput[] BleedOutputs;
        /// <summary>The second means' trip output and the fuse-blow output ([secondMeans] GPIOs); null where the board has none.</summary>
        public IDigitalOutput SecondDisconnect;
        public IDigitalOutput FuseBlow;
        public ISerialPort TelemetryPort;
        /// <summary>Second UART for the Modbus RTU slave (null: none).</summary>
        public ISerialPort ModbusPort;
        public IWatchdog Watchdog;
        public IMonotonicClock Clock;
    }

    /// <summary>Builds the controller a board file describes, from the three texts a rig carries: board, profile, cell.</summary>
    public static class BmsComposition
    {
        public static BmsController Build(BoardConfig board, LimitProfile profile, CellModel cell, BmsHardware hw)
        {
            return Build(board, profile, cell, hw, CreateSensors(board, hw));
        }

        /// <summary>The controller with a given measurement front end (the host's replay of recorded data).</summary>
        public static BmsController Build(BoardConfig board, LimitProfile profile, CellModel cell, BmsHardware hw, IPackSensors sensors)
        {
            var timing = new ContactorTiming
            {
                PrechargeTimeoutMs = board.PrechargeTimeoutMs,
                PrechargeFixedMs = board.PrechargeFixedMs,
                PrechargeMatchPercent = board.PrechargeMatchPercent,
                WeldCheckMs = board.WeldCheckMs,
            };
            var outputs = new OutputStage(hw.MainContactor, board.PrechargePin >= 0 ? hw.Precharge : null, hw.ChargeEnable, hw.DischargeEnable, hw.Alarm, timing);
            var controller = new BmsController(board, profile, cell, sensors, outputs, hw.TelemetryPort, hw.ModbusPort, hw.Watchdog, hw.Clock);
            SecondMeansSettings second = board.SecondMeans;
            if (second != null)
                controller.AttachSecondLine(new SecondLineOfDefence(
                    Means(board, second.Disconnect, hw.SecondDisconnect, sensors, false), second.Disconnect,
                    Means(board, second.Fuse, hw.FuseBlow, sensors, true), second.Fuse, second.FuseQualifyMs, board.WeldCheckMs));
            return controller;
        }

        /// <summary>The device behind a [secondMeans] entry: a trip GPIO, or the BQ76952's FETs or FUSE pin through its driver.</summary>
        private static IDisconnect Means(BoardConfig board, int means, IDigitalOutput pin, IPackSensors sensors, bool fuse)
        {
            if (means == SecondMeansSettings.None) return null;
            string key = fuse ? "fuse" : "disconnect";
            if (means == SecondMeansSettings.Gpio)
            {
                if (pin == null) throw new ConfigException(board.Name, 0, "secondMeans." + key, "the board names a GPIO but this hardware has no output for it");
                return new TripOutput(pin);
            }
            var i2c = sensors as I2cPackSensors;
            if (i2c == null || i2c.Bq == null) throw new ConfigException(board.Name, 0, "secondMeans." + key, "bq76952 needs the BQ76952 driver, and this front end has none");
            return new Bq76952SecondMeans(i2c.Bq, fuse);
        }

        /// <summary>The front end the board file describes: all-ADC, or I2C chips (with any ADC quantities alongside).</summary>
        public static IPackSensors CreateSensors(BoardConfig board, BmsHardware hw)
        {
            if (!board.UsesI2c) return new AnalogPackSensors(board, hw.AdcChannels, hw.BleedOutputs);
            if (hw.I2cBus == null) throw new ConfigException(board.Name, 0, "i2c", "the board reads chips over I2C but this hardware has no I2C bus");
            return new I2cPackSensors(board, hw.AdcChannels, hw.I2cBus, hw.BleedOutputs);
        }
    }
}
