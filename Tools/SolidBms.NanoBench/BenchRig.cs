using SolidBms.Core.Config;
using SolidBms.Core.Hal;
using SolidBms.Drivers.Ntc;
using SolidBms.Firmware;
using SolidBms.NanoBench.Fakes;

namespace SolidBms.NanoBench
{
    /// <summary>
    /// The rig behind a board file, as fakes behind the firmware's own Hal interfaces, and a pack in a steady discharge:
    /// every cell at the cell file's open-circuit voltage for its SOC at 25 C, less the current times R0 + R1 + R2 (the
    /// settled drop), a few mV apart from cell to cell, stack pressed at 1000 kPa, the load drawing
    /// <see cref="DischargeA"/> once the contactor is closed. The ADC inputs (analog board) or the chips' registers
    /// (BQ76952 and NAU7802 board) are set from that state before every tick, with a count or two of noise.
    /// The pack's open-circuit voltage is worked out again once a second (it moves by well under a mV in that time), so the
    /// bench's own share of a loop pass stays small; <see cref="BenchRun"/> reports it.
    /// </summary>
    public sealed class BenchRig
    {
        public const float DischargeA = 1.0f, TemperatureC = 25f, PressureKpa = 1000f, InitialSoc = 0.8f;
        private const int OcvEveryTicks = 10;

        private readonly BoardConfig _board;
        private readonly CellModel _cell;
        private readonly int _cells;
        private readonly int[] _offsetMv; // each cell's own offset from the pack's mean, mV
        private readonly int[] _noise = new int[61];
        private int _noiseAt;
        private float _soc = InitialSoc;
        private float _dropMilliOhm;
        private float _ocvMv;
        private int _ticksSinceOcv = OcvEveryTicks;

        public readonly BenchClock Clock = new BenchClock();
        public readonly BmsHardware Hardware;
        public readonly FakeOutput MainContactor = new FakeOutput(), Precharge = new FakeOutput(), ChargeEnable = new FakeOutput(),
            DischargeEnable = new FakeOutput(), Alarm = new FakeOutput(), SecondDisconnect = new FakeOutput(), FuseBlow = new FakeOutput();
        public readonly FakeSerialPort Telemetry = new FakeSerialPort(), Modbus = new FakeSerialPort();
        public readonly FakeWatchdog Watchdog = new FakeWatchdog();

        // Analog board
        private readonly FakeAdcChannel[] _adc;
        private readonly int[] _thermistorCounts;
        // BQ76952 board
        public readonly FakeBq76952 Bq;
        public readonly FakeNau7802 Nau;
        private readonly int[] _inputMv;
        private readonly float[] _pinC;

        public BenchRig(BoardConfig board, CellModel cell)
        {
            _board = board;
            _cell = cell;
            _cells = board.CellCount;
            _offsetMv = new int[_cells];
            for (int i = 0; i < _cells; i++) _offsetMv[i] = (i * 7) % 5 - 2; // -2..+2 mV
            uint seed = 12345;
            for (int i = 0; i < _noise.Length; i++)
            {
                seed = seed * 1103515245u + 12345u;
                _noise[i] = (int)((seed >> 16) % 3) - 1; // -1, 0, +1
            }
            float r0, r1, tau1, r2, tau2;
            cell.ImpedanceAt(TemperatureC, out r0, out r1, out tau1, out r2, out tau2);
            _dropMilliOhm = r0 + r1 + r2;

            Hardware = new BmsHardware();
            Hardware.MainContactor = MainContactor;
            Hardware.Precharge = Precharge;
            Hardware.ChargeEnable = ChargeEnable;
            Hardware.DischargeEnable = DischargeEnable;
            Hardware.Alarm = Alarm;
            Hardware.SecondDisconnect = SecondDisconnect; // [secondMeans] GPIOs (the analog board's); unused on a board without
            Hardware.FuseBlow = FuseBlow;
            Hardware.TelemetryPort = Telemetry;
            Hardware.ModbusPort = Modbus;
            Hardware.Watchdog = Watchdog;
            Hardware.Clock = Clock;
            if (board.Balancing != null && board.Balancing.Pins != null)
            {
                Hardware.BleedOutputs = new IDigitalOutput[_cells];
                for (int i = 0; i < _cells; i++) Hardware.BleedOutputs[i] = new FakeOutput();
            }
            if (board.UsesAdc)
            {
                _adc = new FakeAdcChannel[board.AdcChannelCount];
                Hardware.AdcChannels = new IAdcChannel[_adc.Length];
                for (int i = 0; i < _adc.Length; i++)
                {
                    _adc[i] = new FakeAdcChannel(board.AdcMaxCounts);
                    Hardware.AdcChannels[i] = _adc[i];
                }
                if (board.ThermistorSource == SensorSource.Adc)
                {
                    NtcTable table = NtcParts.Find(board.ThermistorPart);
                    float pin = NtcThermistor.PinMillivoltsAt(table, board.ThermistorPullupOhm, board.ThermistorSupplyMillivolts, TemperatureC);
                    _thermistorCounts = new int[_cells];
                    for (int i = 0; i < _cells; i++) _thermistorCounts[i] = Counts(board.ThermistorAdcChannels[i], pin);
                }
            }
            if (board.UsesI2c)
            {
                if (board.Bq76952 != null) Bq = new FakeBq76952(board.Bq76952.Address, board.Bq76952.Crc);
                if (board.Nau7802 != null) Nau = new FakeNau7802(board.Nau7802.Address);
                Hardware.I2cBus = new FakeI2cBus(new II2cDevice[] { Bq, Nau });
                _inputMv = new int[16];
                _pinC = new float[10];
                for (int p = 0; p < _pinC.Length; p++) _pinC[p] = TemperatureC;
            }
        }

        public float Soc { get { return _soc; } }

        /// <summary>The current the load draws now: only through a closed contactor with discharge enabled.</summary>
        public float CurrentA { get { return MainContactor.State && DischargeEnable.State ? DischargeA : 0f; } }

        private int Counts(int channel, float pinMillivolts)
        {
            // The calibration's arrays read in place (its pair as a struct would be a new object a reading on the interpreter).
            float c = (pinMillivolts - _board.CalibrationOffsetMillivolts[channel]) / _board.CalibrationMillivoltsPerCount[channel];
            return c <= 0f ? 0 : (int)(c + 0.5f);
        }

        private int Noise()
        {
            int n = _noise[_noiseAt];
            _noiseAt = _noiseAt + 1 == _noise.Length ? 0 : _noiseAt + 1;
            return n;
        }

        /// <summary>Moves the pack on by one tick and sets every input the board reads; then the clock moves on by a tick.</summary>
        public void Step()
        {
            int tickMs = _board.TickMs;
            Clock.Now += tickMs;
            float currentA = CurrentA;
            _soc -= currentA * tickMs / (3600000f * _cell.CapacityAh);
            if (++_ticksSinceOcv >= OcvEveryTicks)
            {
                _ticksSinceOcv = 0;
                _ocvMv = _cell.OcvMillivoltsAt(_soc, TemperatureC);
            }
            float meanMv = _ocvMv - currentA * _dropMilliOhm;
            if (_adc != null) SetAdcInputs(meanMv, currentA);
            if (Bq != null)
            {
                int[] inputs = _board.Bq76952.CellInputs;
                int mean = (int)(meanMv + 0.5f);
                for (int i = 0; i < _cells; i++) _inputMv[inputs[i] - 1] = mean + _offsetMv[i] + Noise();
                Bq.NowMs = Clock.Now;
                Bq.Scan(_inputMv, 16, currentA + 0.001f * Noise(), _pinC);
            }
            if (Nau != null)
            {
                // Ratiometric bridge: counts = force / rated x sensitivity (mV/V) / 1000 x gain x 2^23, plus the tare.
                Nau7802Settings s = _board.Nau7802;
                float newton = PressureKpa * _board.PressedAreaCm2 / 10f;
                float counts = newton / s.LoadCellRatedNewton * s.SensitivityMvPerV / 1000f * s.Gain * 8388608f;
                Nau.Convert((int)counts + s.TareCounts + 8 * Noise());
            }
        }

        private void SetAdcInputs(float meanMv, float currentA)
        {
            BoardConfig b = _board;
            float packMv = 0f;
            for (int i = 0; i < _cells; i++)
            {
                float cellMv = meanMv + _offsetMv[i];
                packMv += cellMv;
                if (b.CellSource == SensorSource.Adc)
                {
                    // Differential: each amplifier sees its own cell; stacked taps: the sum of the cells below.
                    float tapMv = b.CellDifferential ? cellMv : packMv;
                    int ch = b.CellAdcChannels[i];
                    _adc[ch].Counts = Counts(ch, tapMv / b.CellDividerRatios[i]) + Noise();
                }
                if (_thermistorCounts != null) _adc[b.ThermistorAdcChannels[i]].Counts = _thermistorCounts[i] + Noise();
            }
            if (b.CurrentSource == SensorSource.Adc)
                _adc[b.CurrentAdcChannel].Counts = Counts(b.CurrentAdcChannel, b.CurrentZeroMillivolts + currentA * b.CurrentMillivoltsPerAmp) + Noise();
            if (b.PressureSource == SensorSource.Adc)
            {
                float newton = PressureKpa * b.PressedAreaCm2 / 10f;
                for (int s = 0; s < b.PressureAdcChannels.Length; s++)
                {
                    int ch = b.PressureAdcChannels[s];
                    _adc[ch].Counts = Counts(ch, b.PressureZeroMillivolts + newton * b.PressureMillivoltsPerNewton) + Noise();
                }
            }
            if (b.LinkAdcChannel >= 0)
            {
                // The load's DC link follows the pack through the precharge relay or the closed contactor (charged at once).
                bool connected = MainContactor.State || (b.PrechargePin >= 0 && Precharge.State);
                _adc[b.LinkAdcChannel].Counts = connected ? Counts(b.LinkAdcChannel, packMv / b.LinkDividerRatio) : 0;
            }
        }
    }
}
