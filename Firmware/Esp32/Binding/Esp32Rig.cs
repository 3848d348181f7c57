using System.Device.Gpio;
using SolidBms.Core.Config;
using SolidBms.Core.Hal;
using SolidBms.Firmware;

namespace SolidBms.Esp32.Binding
{
    /// <summary>Fills <see cref="BmsHardware"/> with the ESP32 peripherals a board file names.</summary>
    public sealed class Esp32Rig
    {
        private Esp32DigitalOutput _main, _precharge, _charge, _discharge, _alarm;
        private IDigitalOutput[] _bleed; // one per cell on rigs with GPIO bleed resistors

        public BmsHardware Hardware { get; private set; }

        public static Esp32Rig Create(BoardConfig board, IMonotonicClock clock)
        {
            var rig = new Esp32Rig();
            var gpio = new GpioController();
            // Outputs first, de-energised, so nothing is driven while the rest starts up.
            rig._main = new Esp32DigitalOutput(gpio, board.MainContactorPin);
            rig._charge = new Esp32DigitalOutput(gpio, board.ChargeEnablePin);
            rig._discharge = new Esp32DigitalOutput(gpio, board.DischargeEnablePin);
            rig._alarm = new Esp32DigitalOutput(gpio, board.AlarmPin);
            if (board.PrechargePin >= 0) rig._precharge = new Esp32DigitalOutput(gpio, board.PrechargePin);
            var hw = new BmsHardware();
            if (board.Balancing != null && board.Balancing.Pins != null)
            {
                rig._bleed = new IDigitalOutput[board.Balancing.Pins.Length];
                for (int i = 0; i < rig._bleed.Length; i++) rig._bleed[i] = new Esp32DigitalOutput(gpio, board.Balancing.Pins[i]);
                hw.BleedOutputs = rig._bleed;
            }
            // The second means' trip and fuse-blow outputs (energised = open): created de-energised like the rest.
            SecondMeansSettings second = board.SecondMeans;
            if (second != null && second.DisconnectPin >= 0) hw.SecondDisconnect = new Esp32DigitalOutput(gpio, second.DisconnectPin);
            if (second != null && second.FusePin >= 0) hw.FuseBlow = new Esp32DigitalOutput(gpio, second.FusePin);
            hw.MainContactor = rig._main;
            hw.Precharge = rig._precharge;
            hw.ChargeEnable = rig._charge;
            hw.DischargeEnable = rig._discharge;
            hw.Alarm = rig._alarm;
            hw.Clock = clock;
            hw.AdcChannels = Esp32AdcInputs.Open(board);
            if (board.UsesI2c) hw.I2cBus = new Esp32I2cBus(board.I2c);
            hw.TelemetryPort = new Esp32SerialPort(board.TelemetryUart, board.TelemetryBaud);
            // COM1 carries nanoFramework's debug/deploy protocol: Modbus gets its own UART only when the board
            // names COM2 or COM3 and it is not the telemetry UART; otherwise the rig runs without Modbus.
            if ((board.ModbusUart == 2 || board.ModbusUart == 3) && board.ModbusUart != board.TelemetryUart)
                hw.ModbusPort = new Esp32SerialPort(board.ModbusUart, board.ModbusBaud);
            hw.Watchdog = new SoftwareWatchdog(clock, rig.ForceSafe);
            rig.Hardware = hw;
            return rig;
        }

        /// <summary>
        /// Every output de-energised: what the watchdog does before it reboots. The trip and fuse-blow outputs are left as
        /// they are (de-energising them opens nothing; the reboot releases them, and the devices hold themselves open).
        /// </summary>
        public void ForceSafe()
        {
            _main.Write(false);
            if (_precharge != null) _precharge.Write(false);
            _charge.Write(false);
            _discharge.Write(false);
            _alarm.Write(false);
            if (_bleed != null) for (int i = 0; i < _bleed.Length; i++) _bleed[i].Write(false);
        }
    }
}
