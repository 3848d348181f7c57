using SolidBms.Core.Actuation;
using SolidBms.Core.Config;
using SolidBms.Core.Hal;
using SolidBms.Core.Loop;
using SolidBms.Drivers.AnalogFrontEnd;

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
        public IDigitalOutput MainContactor;
        /// <summary>Precharge relay; null on rigs without one.</summary>
        public IDigitalOutput Precharge;
        public IDigitalOutput ChargeEnable;
        public IDigitalOutput DischargeEnable;
        public IDigitalOutput Alarm;
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
            var sensors = new AnalogPackSensors(board, hw.AdcChannels);
            var timing = new ContactorTiming
            {
                PrechargeTimeoutMs = board.PrechargeTimeoutMs,
                PrechargeFixedMs = board.PrechargeFixedMs,
                PrechargeMatchPercent = board.PrechargeMatchPercent,
                WeldCheckMs = board.WeldCheckMs,
            };
            var outputs = new OutputStage(hw.MainContactor, board.PrechargePin >= 0 ? hw.Precharge : null, hw.ChargeEnable, hw.DischargeEnable, hw.Alarm, timing);
            return new BmsController(board, profile, cell, sensors, outputs, hw.TelemetryPort, hw.ModbusPort, hw.Watchdog, hw.Clock);
        }
    }
}
