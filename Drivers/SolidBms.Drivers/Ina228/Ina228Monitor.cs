using SolidBms.Core.Config;
using SolidBms.Core.Measurement;
using SolidBms.Drivers.I2cCommon;

namespace SolidBms.Drivers.Ina228
{
    /// <summary>
    /// TI INA228 85 V, 20-bit shunt monitor: pack current from CURRENT, and the chip's own charge accumulator
    /// (CHARGE) as a cross-check for the firmware's coulomb counter. Registers are big-endian. Configured for the
    /// board's shunt: CURRENT_LSB = maxCurrentA / 2^19, SHUNT_CAL = 13107.2e6 * CURRENT_LSB * Rshunt (x4 with
    /// ADCRANGE = 1). SHUNT_CAL is read back every tick: a chip that reset (SHUNT_CAL = 0) is configured again.
    /// </summary>
    public sealed class Ina228Monitor
    {
        public const byte RegConfig = 0x00;
        public const byte RegAdcConfig = 0x01;
        public const byte RegShuntCal = 0x02;
        public const byte RegVshunt = 0x04;
        public const byte RegVbus = 0x05;
        public const byte RegDieTemp = 0x06;
        public const byte RegCurrent = 0x07;
        public const byte RegCharge = 0x0A;
        public const byte RegDiagAlert = 0x0B;
        public const byte RegManufacturerId = 0x3E;
        public const byte RegDeviceId = 0x3F;

        public const int ManufacturerTi = 0x5449;   // "TI"
        public const int DieId = 0x228;             // DEVICE_ID bits 15:4
        public const int ConfigReset = 0x8000;
        public const int ConfigAdcRange = 0x0010;   // bit 4
        /// <summary>DIAG_ALRT bit 1: a conversion finished since the register was last read.</summary>
        public const int DiagConversionReady = 0x0002;

        /// <summary>
        /// ADC_CONFIG: MODE = 0xF (continuous bus, shunt and temperature), VBUSCT = VSHCT = VTCT = 1052 us (code 5),
        /// AVG = 16 (code 2): a result every 3 x 1.052 ms x 16 = 50.5 ms, two per 100 ms tick.
        /// </summary>
        public const int AdcConfig = (0xF << 12) | (5 << 9) | (5 << 6) | (5 << 3) | 2;

        public const double BusVoltsPerCount = 195.3125e-6;
        public const double DieDegreesPerCount = 7.8125e-3;

        private readonly I2cLink _link;
        private readonly Ina228Settings _settings;
        private readonly int _staleAfterMs;
        private readonly byte[] _rx = new byte[5];
        private readonly byte[] _tx = new byte[3];
        private long _lastConversionMs;

        public Ina228Monitor(I2cLink link, Ina228Settings settings, int staleAfterMs)
        {
            _link = link;
            _settings = settings;
            _staleAfterMs = staleAfterMs;
            CurrentLsbA = CurrentLsb(settings.MaxCurrentA);
            ShuntCal = ShuntCalibration(settings.MaxCurrentA, settings.ShuntMilliOhm / 1000.0, settings.AdcRange);
            CurrentA = float.NaN;
            ChargeCoulomb = double.NaN;
            CurrentStatus = SensorStatus.NoData;
        }

        public I2cHealth Health { get { return _link.Health; } }

        public double CurrentLsbA { get; private set; }

        public int ShuntCal { get; private set; }

        /// <summary>Pack current, A, positive = discharge (after the board's sign); NaN unless Ok.</summary>
        public float CurrentA;
        public SensorStatus CurrentStatus;

        /// <summary>The chip's accumulated charge since it was last configured, C, same sign as CurrentA. NaN if unread.</summary>
        public double ChargeCoulomb;

        /// <summary>Counts configurations: the accumulator restarts at zero with each one.</summary>
        public int ChargeEpoch { get { return Health.Initialisations; } }

        public float BusMillivolts;
        public float DieTemperatureC;

        public static double CurrentLsb(double maxCurrentA) { return maxCurrentA / 524288.0; }

        /// <summary>SHUNT_CAL register value (datasheet 8.1.2, "Current and Power Calculations").</summary>
        public static int ShuntCalibration(double maxCurrentA, double shuntOhm, int adcRange)
        {
            double cal = 13107.2e6 * CurrentLsb(maxCurrentA) * shuntOhm * (adcRange == 1 ? 4 : 1);
            return (int)(cal + 0.5);
        }

        /// <summary>A 20-bit two's-complement result in bits 23:4 of a 24-bit register.</summary>
        public static int Signed20(byte[] b, int offset)
        {
            int raw = (b[offset] << 16) | (b[offset + 1] << 8) | b[offset + 2];
            raw >>= 4;
            if ((raw & 0x80000) != 0) raw -= 0x100000;
            return raw;
        }

        /// <summary>A 40-bit two's-complement register (CHARGE).</summary>
        public static long Signed40(byte[] b, int offset)
        {
            long raw = 0;
            for (int i = 0; i < 5; i++) raw = (raw << 8) | b[offset + i];
            if ((raw & 0x8000000000L) != 0) raw -= 0x10000000000L;
            return raw;
        }

        public bool Initialise(long nowMs)
        {
            if (!_link.ReadRegister(RegManufacturerId, _rx, 0, 2)) return false;
            int mfr = (_rx[0] << 8) | _rx[1];
            if (!_link.ReadRegister(RegDeviceId, _rx, 0, 2)) return false;
            int die = ((_rx[0] << 8) | _rx[1]) >> 4;
            if (mfr != ManufacturerTi || die != DieId) { _link.Fail(I2cFault.WrongDevice); return false; }
            if (!WriteRegister(RegConfig, ConfigReset)) return false;
            if (!WriteRegister(RegConfig, _settings.AdcRange == 1 ? ConfigAdcRange : 0)) return false;
            if (!WriteRegister(RegAdcConfig, AdcConfig)) return false;
            if (!WriteRegister(RegShuntCal, ShuntCal)) return false;
            if (!_link.ReadRegister(RegShuntCal, _rx, 0, 2)) return false;
            if (((_rx[0] << 8) | _rx[1]) != ShuntCal) { _link.Fail(I2cFault.OutOfRange); return false; }
            Health.RecordInitialised();
            _lastConversionMs = nowMs;
            return true;
        }

        public void Update(long nowMs)
        {
            if (Health.NeedsInitialise && !Initialise(nowMs)) { Invalidate(SensorStatus.ReadFailed); return; }
            if (!_link.ReadRegister(RegShuntCal, _rx, 0, 2)) { Invalidate(SensorStatus.ReadFailed); return; }
            if (((_rx[0] << 8) | _rx[1]) != ShuntCal)
            {
                // The chip reset behind our back: its current scale is gone. Configure it again next tick.
                Health.NeedsInitialise = true;
                Invalidate(SensorStatus.ReadFailed);
                return;
            }
            if (!_link.ReadRegister(RegDiagAlert, _rx, 0, 2)) { Invalidate(SensorStatus.ReadFailed); return; }
            bool fresh = (_rx[1] & DiagConversionReady) != 0;
            if (fresh) _lastConversionMs = nowMs;
            else if (nowMs - _lastConversionMs > _staleAfterMs)
            {
                _link.Fail(I2cFault.NotConverting);
                Invalidate(SensorStatus.Stale);
                return;
            }

            if (!_link.ReadRegister(RegCurrent, _rx, 0, 3)) { Invalidate(SensorStatus.ReadFailed); return; }
            int raw = Signed20(_rx, 0);
            float a = (float)(raw * CurrentLsbA) * _settings.CurrentSign;
            if (!_link.ReadRegister(RegCharge, _rx, 0, 5)) { Invalidate(SensorStatus.ReadFailed); return; }
            ChargeCoulomb = Signed40(_rx, 0) * CurrentLsbA * _settings.CurrentSign;
            // A result at the 20-bit limits is clipped: the current is at least the range limit, in that direction
            // (a short circuit saturates the sensor). OverRange carries the signed limit for the short-circuit check.
            if (raw >= 524287 || raw <= -524288)
            {
                Health.CountOutOfRange();
                CurrentA = (raw > 0 ? _settings.MaxCurrentA : -_settings.MaxCurrentA) * _settings.CurrentSign;
                CurrentStatus = SensorStatus.OverRange;
                return;
            }
            CurrentA = a;
            CurrentStatus = SensorStatus.Ok;
        }

        /// <summary>Bus voltage and die temperature: not needed every tick, read on demand (device tests, telemetry).</summary>
        public bool ReadAuxiliary()
        {
            if (!_link.ReadRegister(RegVbus, _rx, 0, 3)) return false;
            BusMillivolts = (float)(Signed20(_rx, 0) * BusVoltsPerCount * 1000.0);
            if (!_link.ReadRegister(RegDieTemp, _rx, 0, 2)) return false;
            DieTemperatureC = (float)((short)((_rx[0] << 8) | _rx[1]) * DieDegreesPerCount);
            return true;
        }

        private void Invalidate(SensorStatus status)
        {
            CurrentA = float.NaN;
            CurrentStatus = status;
        }

        private bool WriteRegister(byte register, int value)
        {
            _tx[0] = register;
            _tx[1] = (byte)((value >> 8) & 0xFF);
            _tx[2] = (byte)(value & 0xFF);
            return _link.Write(_tx, 0, 3);
        }
    }
}
