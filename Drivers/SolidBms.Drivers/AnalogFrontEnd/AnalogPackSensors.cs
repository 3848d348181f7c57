using SolidBms.Core.Balancing;
using SolidBms.Core.Config;
using SolidBms.Core.Hal;
using SolidBms.Core.Measurement;
using SolidBms.Drivers.Esp32Adc;
using SolidBms.Drivers.Ntc;

namespace SolidBms.Drivers.AnalogFrontEnd
{
    /// <summary>
    /// A pack read entirely on ADC channels, as the board file wires it: cell voltages behind dividers
    /// (one differential amplifier per cell, or stacked taps to pack minus), one NTC per cell, a current
    /// sense amplifier with a mid-rail zero, and a load-cell amplifier per stack.
    /// </summary>
    public sealed class AnalogPackSensors : IPackSensors, ICellBleed
    {
        /// <summary>A cell reading outside this window is not a cell voltage (a broken sense wire, a mis-wired tap).</summary>
        public const float MinPlausibleCellMillivolts = 0f, MaxPlausibleCellMillivolts = 5500f;

        /// <summary>Negative pressure beyond the load cell's noise means a broken bridge or a wrong zero.</summary>
        public const float MinPlausiblePressureKpa = -50f;

        private readonly BoardConfig _board;
        private readonly OversampledAdc[] _cells;
        private readonly NtcThermistor[] _thermistors;
        private readonly OversampledAdc _current;
        private readonly OversampledAdc[] _pressure;
        private readonly float[] _tapMillivolts;
        private readonly OversampledAdc _link;

        private readonly IDigitalOutput[] _bleed;
        private readonly float[] _bleedA;
        private ulong _bleeding;

        /// <param name="channels">ADC channels indexed by channel number (null where nothing is wired).</param>
        public AnalogPackSensors(BoardConfig board, IAdcChannel[] channels) : this(board, channels, null)
        {
        }

        /// <param name="bleedOutputs">Each cell's bleed switch (board [balancing] pins), or null when the rig has none.</param>
        public AnalogPackSensors(BoardConfig board, IAdcChannel[] channels, IDigitalOutput[] bleedOutputs)
        {
            _board = board;
            if (bleedOutputs != null && bleedOutputs.Length < board.CellCount)
                throw new ConfigException(board.Name, 0, "balancing.pins", "the hardware has fewer bleed outputs than cells");
            _bleed = bleedOutputs;
            _bleedA = new float[board.CellCount];
            NtcTable table = NtcParts.Find(board.ThermistorPart);
            if (table == null) throw new ConfigException(board.Name, 0, "thermistors.part", "unknown thermistor part '" + board.ThermistorPart + "'");
            _cells = new OversampledAdc[board.CellCount];
            _thermistors = new NtcThermistor[board.CellCount];
            _tapMillivolts = new float[board.CellCount];
            // Quantities the board reads over I2C are left unopened here (null) and skipped in Acquire.
            for (int i = 0; i < board.CellCount; i++)
            {
                if (board.CellSource == SensorSource.Adc) _cells[i] = Open(board, channels, board.CellAdcChannels[i]);
                if (board.ThermistorSource == SensorSource.Adc)
                    _thermistors[i] = new NtcThermistor(Open(board, channels, board.ThermistorAdcChannels[i]), table, board.ThermistorPullupOhm, board.ThermistorSupplyMillivolts);
            }
            if (board.CurrentSource == SensorSource.Adc) _current = Open(board, channels, board.CurrentAdcChannel);
            _pressure = new OversampledAdc[board.StackCount];
            if (board.PressureSource == SensorSource.Adc)
                for (int s = 0; s < board.StackCount; s++) _pressure[s] = Open(board, channels, board.PressureAdcChannels[s]);
            if (board.LinkAdcChannel >= 0) _link = Open(board, channels, board.LinkAdcChannel);
        }

        private static OversampledAdc Open(BoardConfig board, IAdcChannel[] channels, int channel)
        {
            if (channels == null || channel < 0 || channel >= channels.Length || channels[channel] == null)
                throw new ConfigException(board.Name, 0, "adc", "channel " + channel.ToString() + " is not available on this hardware");
            return new OversampledAdc(channels[channel], board.CalibrationOf(channel), board.Oversample);
        }

        public void Acquire(PackMeasurement m, long nowMs)
        {
            if (_board.CellSource == SensorSource.Adc) ReadCells(m);
            NtcThermistor[] thermistors = _thermistors; // arrays in locals: every thermistor, every tick
            float[] cellC = m.CellTemperatureC;
            SensorStatus[] cellCStatus = m.CellTemperatureStatus;
            for (int i = 0; i < thermistors.Length; i++)
            {
                NtcThermistor ntc = thermistors[i];
                if (ntc == null) continue;
                SensorStatus st;
                cellC[i] = ntc.ReadTemperatureC(out st);
                cellCStatus[i] = st;
            }
            if (_current != null) ReadCurrent(m);
            if (_board.PressureSource == SensorSource.Adc) ReadPressure(m);
            if (_link != null)
            {
                SensorStatus st;
                float pin = _link.ReadMillivolts(out st);
                if (st == SensorStatus.Short) st = SensorStatus.Ok; // 0 V on the link is a real reading: the load is discharged
                m.LinkStatus = st;
                m.LinkMillivolts = st == SensorStatus.Ok ? LinkMillivoltsFromPin(pin) : float.NaN;
            }
        }

        /// <summary>Drives each cell's bleed GPIO; the outputs cannot refuse, so this is false only on a rig without them.</summary>
        public bool SetBleeding(ulong mask)
        {
            _bleeding = 0;
            if (_bleed == null) return mask == 0;
            for (int i = 0; i < _board.CellCount; i++)
            {
                _bleed[i].Write((mask & (1UL << i)) != 0);
                if (_bleed[i].State) _bleeding |= 1UL << i;
            }
            return _bleeding == mask;
        }

        public ulong BleedingMask { get { return _bleeding; } }

        /// <summary>
        /// A bleeding cell's current also flows in its two sense wires, so the reading of that cell is low by
        /// R_tap x (2 I_i - I_(i-1) - I_(i+1)) (its neighbours' bleed currents share the wires in the other direction).
        /// Added back here, with each bleed current from its cell's reading and the board's bleed resistance.
        /// </summary>
        private void CorrectForBleed(PackMeasurement m)
        {
            float rTap = _board.Balancing.TapResistanceOhm, rBleed = _board.Balancing.BleedResistorOhm;
            int n = _bleedA.Length;
            for (int i = 0; i < n; i++)
                _bleedA[i] = (_bleeding & (1UL << i)) != 0 && m.CellVoltageStatus[i] == SensorStatus.Ok ? m.CellMillivolts[i] / rBleed : 0f; // mA
            for (int i = 0; i < n; i++)
            {
                if (m.CellVoltageStatus[i] != SensorStatus.Ok) continue;
                float shared = 2f * _bleedA[i] - (i > 0 ? _bleedA[i - 1] : 0f) - (i < n - 1 ? _bleedA[i + 1] : 0f);
                m.CellMillivolts[i] += rTap * shared; // ohm x mA = mV
            }
        }

        private float LinkMillivoltsFromPin(float pinMillivolts) { return pinMillivolts < 0 ? 0 : pinMillivolts * _board.LinkDividerRatio; }

        private void ReadCells(PackMeasurement m)
        {
            // The arrays and the wiring in locals (a field load each, every cell, every tick, on the device's interpreter).
            OversampledAdc[] cells = _cells;
            float[] taps = _tapMillivolts, ratios = _board.CellDividerRatios, cellMv = m.CellMillivolts;
            SensorStatus[] cellStatus = m.CellVoltageStatus;
            bool differential = _board.CellDifferential;
            for (int i = 0; i < cells.Length; i++)
            {
                SensorStatus st;
                float pin = cells[i].ReadMillivolts(out st);
                float tap = st == SensorStatus.Ok ? pin * ratios[i] : float.NaN;
                taps[i] = tap;
                float cell = differential || i == 0 ? tap : tap - taps[i - 1];
#pragma warning disable CS1718
                if (st == SensorStatus.Ok && cell != cell) st = SensorStatus.ReadFailed; // NaN: the tap below failed
#pragma warning restore CS1718
                if (st == SensorStatus.Ok && (cell < MinPlausibleCellMillivolts || cell > MaxPlausibleCellMillivolts)) st = SensorStatus.Implausible;
                if (st == SensorStatus.Open || st == SensorStatus.Short) st = SensorStatus.Implausible; // a saturated divider
                cellStatus[i] = st;
                cellMv[i] = st == SensorStatus.Ok ? cell : float.NaN;
            }
            if (_bleeding != 0 && _board.Balancing != null && _board.Balancing.TapResistanceOhm > 0) CorrectForBleed(m);
        }

        private void ReadCurrent(PackMeasurement m)
        {
            SensorStatus st;
            float pin = _current.ReadMillivolts(out st);
            if (st == SensorStatus.Open || st == SensorStatus.Short)
            {
                // The amplifier sits at a rail: the current is at least the range limit, in that direction.
                st = SensorStatus.OverRange;
            }
            m.PackCurrentStatus = st;
            m.PackCurrentA = st == SensorStatus.Ok || st == SensorStatus.OverRange
                ? (pin - _board.CurrentZeroMillivolts) / _board.CurrentMillivoltsPerAmp
                : float.NaN;
        }

        private void ReadPressure(PackMeasurement m)
        {
            for (int s = 0; s < _pressure.Length; s++)
            {
                SensorStatus st;
                float pin = _pressure[s].ReadMillivolts(out st);
                float kpa = float.NaN;
                if (st == SensorStatus.Ok)
                {
                    float newton = (pin - _board.PressureZeroMillivolts) / _board.PressureMillivoltsPerNewton;
                    kpa = KpaFromNewton(newton, _board.PressedAreaCm2);
                    if (kpa < MinPlausiblePressureKpa) st = SensorStatus.Implausible;
                }
                else if (st == SensorStatus.Open)
                {
                    // Amplifier at its top rail: the stack presses at least this hard.
                    st = SensorStatus.OverRange;
                    kpa = KpaFromNewton((pin - _board.PressureZeroMillivolts) / _board.PressureMillivoltsPerNewton, _board.PressedAreaCm2);
                }
                else if (st == SensorStatus.Short)
                {
                    st = SensorStatus.Implausible; // below zero force: a broken bridge, not a pressure
                }
                m.StackPressureStatus[s] = st;
                m.StackPressureKpa[s] = st == SensorStatus.Ok || st == SensorStatus.OverRange ? kpa : float.NaN;
            }
        }

        /// <summary>Force over the pressed area: 1 N on 1 cm^2 is 10 kPa.</summary>
        public static float KpaFromNewton(float newton, float areaCm2) { return newton * 10f / areaCm2; }
    }
}
