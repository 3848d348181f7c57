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
        // Three banks, each read in one call a tick (a call a reading cost more than the reading on the device's
        // interpreter): the cells, the thermistors, and the rest (current, stack pressures, link, in that order).
        // A bank's pin voltages and statuses land in its own arrays; null where the board reads that quantity over I2C.
        private readonly OversampledAdc _cells, _thermistorPins, _others;
        private readonly float[] _cellPinMillivolts, _thermistorPinMillivolts, _otherPinMillivolts;
        private readonly SensorStatus[] _cellPinStatus, _thermistorPinStatus, _otherPinStatus;
        private readonly NtcThermistor _thermistors;
        private readonly int _currentIndex, _firstPressureIndex, _linkIndex; // in the rest's bank; -1: not read here
        private readonly float[] _tapMillivolts;

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
            _tapMillivolts = new float[board.CellCount];
            // Quantities the board reads over I2C are left unopened here (null) and skipped in Acquire.
            if (board.CellSource == SensorSource.Adc)
            {
                _cells = Open(board, channels, board.CellAdcChannels, board.CellCount);
                _cellPinMillivolts = new float[board.CellCount];
                _cellPinStatus = new SensorStatus[board.CellCount];
            }
            if (board.ThermistorSource == SensorSource.Adc)
            {
                _thermistorPins = Open(board, channels, board.ThermistorAdcChannels, board.CellCount);
                _thermistorPinMillivolts = new float[board.CellCount];
                _thermistorPinStatus = new SensorStatus[board.CellCount];
                _thermistors = new NtcThermistor(table, board.ThermistorPullupOhm, board.ThermistorSupplyMillivolts, board.CellCount);
            }
            int[] others = new int[1 + board.StackCount + 1];
            int count = 0;
            _currentIndex = board.CurrentSource == SensorSource.Adc ? Take(others, ref count, board.CurrentAdcChannel) : -1;
            _firstPressureIndex = board.PressureSource == SensorSource.Adc ? count : -1;
            if (board.PressureSource == SensorSource.Adc)
                for (int s = 0; s < board.StackCount; s++) Take(others, ref count, board.PressureAdcChannels[s]);
            _linkIndex = board.LinkAdcChannel >= 0 ? Take(others, ref count, board.LinkAdcChannel) : -1;
            if (count > 0)
            {
                _others = Open(board, channels, others, count);
                _otherPinMillivolts = new float[count];
                _otherPinStatus = new SensorStatus[count];
            }
        }

        /// <summary>Appends a channel to a bank's list; returns its index there.</summary>
        private static int Take(int[] list, ref int count, int channel)
        {
            list[count] = channel;
            return count++;
        }

        /// <summary>The first <paramref name="count"/> channels of a list as one bank.</summary>
        private static OversampledAdc Open(BoardConfig board, IAdcChannel[] available, int[] wanted, int count)
        {
            var bank = new IAdcChannel[count];
            var calibrations = new AdcChannelCalibration[count];
            for (int i = 0; i < count; i++)
            {
                int channel = wanted[i];
                if (available == null || channel < 0 || channel >= available.Length || available[channel] == null)
                    throw new ConfigException(board.Name, 0, "adc", "channel " + channel.ToString() + " is not available on this hardware");
                bank[i] = available[channel];
                calibrations[i] = board.CalibrationOf(channel);
            }
            return new OversampledAdc(bank, calibrations, board.Oversample);
        }

        public void Acquire(PackMeasurement m, long nowMs)
        {
            if (_cells != null) ReadCells(m);
            if (_thermistorPins != null)
            {
                _thermistorPins.Read(_thermistorPinMillivolts, _thermistorPinStatus);
                _thermistors.Convert(_thermistorPinMillivolts, _thermistorPinStatus, m.CellTemperatureC, m.CellTemperatureStatus);
            }
            if (_others == null) return;
            float[] pins = _otherPinMillivolts;
            SensorStatus[] pinStatus = _otherPinStatus;
            _others.Read(pins, pinStatus);
            // The current and the link here, not in methods of their own: a call each, every tick, on the device's interpreter.
            int k = _currentIndex;
            if (k >= 0)
            {
                SensorStatus st = pinStatus[k];
                // At a rail the amplifier is saturated: the current is at least the range limit, in that direction.
                if (st == SensorStatus.Open || st == SensorStatus.Short) st = SensorStatus.OverRange;
                m.PackCurrentStatus = st;
                m.PackCurrentA = st == SensorStatus.Ok || st == SensorStatus.OverRange
                    ? (pins[k] - _board.CurrentZeroMillivolts) / _board.CurrentMillivoltsPerAmp
                    : float.NaN;
            }
            if (_firstPressureIndex >= 0) ReadPressure(m, pins, pinStatus, _firstPressureIndex);
            k = _linkIndex;
            if (k >= 0)
            {
                SensorStatus st = pinStatus[k];
                if (st == SensorStatus.Short) st = SensorStatus.Ok; // 0 V on the link is a real reading: the load is discharged
                m.LinkStatus = st;
                float pin = pins[k];
                m.LinkMillivolts = st != SensorStatus.Ok ? float.NaN : pin < 0 ? 0 : pin * _board.LinkDividerRatio;
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


        private void ReadCells(PackMeasurement m)
        {
            // The arrays and the wiring in locals (a field load each, every cell, every tick, on the device's interpreter).
            float[] pins = _cellPinMillivolts, taps = _tapMillivolts, ratios = _board.CellDividerRatios, cellMv = m.CellMillivolts;
            SensorStatus[] pinStatus = _cellPinStatus, cellStatus = m.CellVoltageStatus;
            bool differential = _board.CellDifferential;
            _cells.Read(pins, pinStatus);
            for (int i = 0; i < pins.Length; i++)
            {
                // A good reading is tested as a cell; a bad one only keeps its reason (a saturated divider: implausible). One
                // status test on the common path, every cell, every tick.
                SensorStatus st = pinStatus[i];
                float cell = float.NaN;
                if (st == SensorStatus.Ok)
                {
                    float tap = pins[i] * ratios[i];
                    taps[i] = tap;
                    cell = differential || i == 0 ? tap : tap - taps[i - 1];
#pragma warning disable CS1718
                    if (cell != cell) st = SensorStatus.ReadFailed; // NaN: the tap below failed
#pragma warning restore CS1718
                    else if (cell < MinPlausibleCellMillivolts || cell > MaxPlausibleCellMillivolts) st = SensorStatus.Implausible;
                    if (st != SensorStatus.Ok) cell = float.NaN;
                }
                else
                {
                    taps[i] = float.NaN;
                    if (st == SensorStatus.Open || st == SensorStatus.Short) st = SensorStatus.Implausible;
                }
                cellStatus[i] = st;
                cellMv[i] = cell;
            }
            if (_bleeding != 0 && _board.Balancing != null && _board.Balancing.TapResistanceOhm > 0) CorrectForBleed(m);
        }

        private void ReadPressure(PackMeasurement m, float[] pins, SensorStatus[] pinStatus, int first)
        {
            for (int s = 0; s < m.StackPressureKpa.Length; s++)
            {
                SensorStatus st = pinStatus[first + s];
                float pin = pins[first + s];
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
