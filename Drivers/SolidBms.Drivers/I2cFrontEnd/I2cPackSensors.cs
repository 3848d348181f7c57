using SolidBms.Core.Balancing;
using SolidBms.Core.Config;
using SolidBms.Core.Hal;
using SolidBms.Core.Measurement;
using SolidBms.Drivers.AnalogFrontEnd;
using SolidBms.Drivers.Bq76952;
using SolidBms.Drivers.FmaForce;
using SolidBms.Drivers.I2cCommon;
using SolidBms.Drivers.Ina228;
using SolidBms.Drivers.Nau7802;

namespace SolidBms.Drivers.I2cFrontEnd
{
    /// <summary>
    /// A board that reads some or all quantities over I2C: each quantity comes from the source its board file
    /// names (BQ76952, INA228, NAU7802, or the ADC through <see cref="AnalogPackSensors"/>). Chips are read once
    /// per tick; a chip that fails gives NaN with ReadFailed or Stale for every quantity it carries.
    /// </summary>
    public sealed class I2cPackSensors : IPackSensors, ISensorDiagnostics, ICellBleed
    {
        private readonly BoardConfig _board;
        private readonly AnalogPackSensors _analog;

        public I2cPackSensors(BoardConfig board, IAdcChannel[] adcChannels, II2cBus bus) : this(board, adcChannels, bus, null)
        {
        }

        /// <param name="bleedOutputs">GPIO bleed switches per cell when the cells are on the ADC (null: none).</param>
        public I2cPackSensors(BoardConfig board, IAdcChannel[] adcChannels, II2cBus bus, IDigitalOutput[] bleedOutputs)
        {
            _board = board;
            if (board.UsesAdc) _analog = new AnalogPackSensors(board, adcChannels, bleedOutputs);
            int limit = board.I2c.MaxConsecutiveFailures;
            int stale = board.I2c.StaleAfterMs;
            int count = 0;
            if (board.Bq76952 != null)
            {
                Bq = new Bq76952Monitor(new I2cLink(bus.Open(board.Bq76952.Address), bus, new I2cHealth("bq76952", limit)), board.Bq76952, stale);
                if (board.Balancing != null && board.Balancing.OnChip) Bq.Balancing = board.Balancing;
                count++;
            }
            if (board.Ina228 != null)
            {
                Ina = new Ina228Monitor(new I2cLink(bus.Open(board.Ina228.Address), bus, new I2cHealth("ina228", limit)), board.Ina228, stale);
                count++;
            }
            if (board.Nau7802 != null)
            {
                LoadCell = new Nau7802LoadCell(new I2cLink(bus.Open(board.Nau7802.Address), bus, new I2cHealth("nau7802", limit)), board.Nau7802, stale);
                count++;
            }
            if (board.Fma != null)
            {
                Fma = new FmaForceSensor(new I2cLink(bus.Open(board.Fma.Address), bus, new I2cHealth("fma", limit)), board.Fma, stale);
                count++;
            }
            Health = new I2cHealth[count];
            _deviceCodes = new int[count];
            _recoveriesTaken = new int[count];
            count = 0;
            if (Bq != null) { _deviceCodes[count] = (int)SensorSource.Bq76952; Health[count++] = Bq.Health; }
            if (Ina != null) { _deviceCodes[count] = (int)SensorSource.Ina228; Health[count++] = Ina.Health; }
            if (LoadCell != null) { _deviceCodes[count] = (int)SensorSource.Nau7802; Health[count++] = LoadCell.Health; }
            if (Fma != null) { _deviceCodes[count] = (int)SensorSource.Fma; Health[count++] = Fma.Health; }
        }

        private readonly int[] _deviceCodes;
        private readonly int[] _recoveriesTaken;

        public bool TakeRecovery(out int deviceCode)
        {
            for (int i = 0; i < Health.Length; i++)
            {
                if (Health[i].RecoveryAttempts <= _recoveriesTaken[i]) continue;
                _recoveriesTaken[i]++;
                deviceCode = _deviceCodes[i];
                return true;
            }
            deviceCode = 0;
            return false;
        }

        public FmaForceSensor Fma { get; private set; }

        public Bq76952Monitor Bq { get; private set; }

        public Ina228Monitor Ina { get; private set; }

        public Nau7802LoadCell LoadCell { get; private set; }

        /// <summary>Fault counters of every chip, for telemetry and tests.</summary>
        public I2cHealth[] Health { get; private set; }

        private ulong _bleeding;

        /// <summary>Cells bleed through the BQ76952 when it carries them, else through the ADC front end's GPIOs.</summary>
        public bool SetBleeding(ulong mask)
        {
            if (Bq != null && Bq.Balancing != null)
            {
                int[] inputs = _board.Bq76952.CellInputs;
                int inputMask = 0;
                for (int i = 0; i < inputs.Length; i++) if ((mask & (1UL << i)) != 0) inputMask |= 1 << (inputs[i] - 1);
                bool ok = Bq.SetActiveCells(inputMask);
                _bleeding = 0;
                for (int i = 0; i < inputs.Length; i++) if ((Bq.ActiveCells & (1 << (inputs[i] - 1))) != 0) _bleeding |= 1UL << i;
                return ok;
            }
            if (_analog != null) return _analog.SetBleeding(mask);
            _bleeding = 0;
            return mask == 0;
        }

        public ulong BleedingMask { get { return Bq != null && Bq.Balancing != null ? _bleeding : (_analog != null ? _analog.BleedingMask : 0UL); } }

        public void Acquire(PackMeasurement m, long nowMs)
        {
            // Each chip read once from its property into a local (a property is a call on the device's interpreter).
            Bq76952Monitor bq = Bq;
            Ina228Monitor ina = Ina;
            Nau7802LoadCell loadCell = LoadCell;
            FmaForceSensor fma = Fma;
            if (_analog != null) _analog.Acquire(m, nowMs);
            if (bq != null) bq.Update(nowMs);
            if (ina != null) ina.Update(nowMs);
            if (loadCell != null) loadCell.Update(nowMs);
            if (fma != null) fma.Update(nowMs);

            // Arrays in locals (no property call per cell: every tick, on the device's interpreter), the cells in native copies.
            if (_board.CellSource == SensorSource.Bq76952)
            {
                int n = m.CellCount;
                System.Array.Copy(bq.CellMillivolts, 0, m.CellMillivolts, 0, n);
                System.Array.Copy(bq.CellStatus, 0, m.CellVoltageStatus, 0, n);
            }
            if (_board.ThermistorSource == SensorSource.Bq76952)
            {
                int[] map = _board.Bq76952.CellThermistors;
                float[] pinC = bq.PinTemperatureC, cellC = m.CellTemperatureC;
                SensorStatus[] pinStatus = bq.PinStatus, cellStatus = m.CellTemperatureStatus;
                for (int i = 0; i < cellC.Length; i++)
                {
                    int pin = map[i];
                    cellC[i] = pinC[pin];
                    cellStatus[i] = pinStatus[pin];
                }
            }
            if (_board.CurrentSource == SensorSource.Bq76952)
            {
                m.PackCurrentA = bq.CurrentA;
                m.PackCurrentStatus = bq.CurrentStatus;
            }
            else if (_board.CurrentSource == SensorSource.Ina228)
            {
                m.PackCurrentA = ina.CurrentA;
                m.PackCurrentStatus = ina.CurrentStatus;
            }
            if (_board.PressureSource == SensorSource.Nau7802 || _board.PressureSource == SensorSource.Fma)
            {
                bool nau = _board.PressureSource == SensorSource.Nau7802;
                SensorStatus st = nau ? loadCell.Status : fma.Status;
                float newton = nau ? loadCell.ForceNewton : fma.ForceNewton;
                float kpa = st == SensorStatus.Ok || st == SensorStatus.OverRange ? AnalogPackSensors.KpaFromNewton(newton, _board.PressedAreaCm2) : float.NaN;
                if (st == SensorStatus.Ok && kpa < AnalogPackSensors.MinPlausiblePressureKpa) { st = SensorStatus.Implausible; kpa = float.NaN; }
                m.StackPressureKpa[0] = kpa;
                m.StackPressureStatus[0] = st;
            }
        }
    }
}
