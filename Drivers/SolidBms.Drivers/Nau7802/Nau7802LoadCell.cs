using SolidBms.Core.Config;
using SolidBms.Core.Measurement;
using SolidBms.Drivers.I2cCommon;

namespace SolidBms.Drivers.Nau7802
{
    /// <summary>
    /// Nuvoton NAU7802 24-bit bridge ADC reading the stack fixture's load cell. The load cell is excited from the
    /// chip's own LDO (AVDD), which is also the ADC reference, so the reading is ratiometric:
    /// Vin / Vexc = counts / (2^23 * gain), and force = that / (sensitivity mV/V / 1000) * rated force, then tare
    /// and span. Pressure = force / pressed area. Initialisation, conversion-ready polling and the internal
    /// offset calibration follow the datasheet (see README.md).
    /// </summary>
    public sealed class Nau7802LoadCell
    {
        public const byte RegPuCtrl = 0x00;
        public const byte RegCtrl1 = 0x01;
        public const byte RegCtrl2 = 0x02;
        public const byte RegAdcB2 = 0x12;

        // PU_CTRL bits
        public const int PuRegisterReset = 0x01;   // RR
        public const int PuDigital = 0x02;         // PUD
        public const int PuAnalog = 0x04;          // PUA
        public const int PuReady = 0x08;           // PUR (read only)
        public const int PuCycleStart = 0x10;      // CS
        public const int PuCycleReady = 0x20;      // CR (read only)
        public const int PuInternalLdo = 0x80;     // AVDDS

        // CTRL2 bits
        public const int Ctrl2CalStart = 0x04;     // CALS
        public const int Ctrl2CalError = 0x08;     // CAL_ERR

        /// <summary>CTRL1 VLDO code for 3.3 V (bits 5:3 = 0b100).</summary>
        public const int Vldo3v3 = 4;

        public const int FullScaleCounts = 8388608; // 2^23

        /// <summary>Conversions thrown away after (re)initialisation while the PGA and filter settle.</summary>
        public const int SettlingConversions = 2;

        private readonly I2cLink _link;
        private readonly Nau7802Settings _settings;
        private readonly int _staleAfterMs;
        private readonly byte[] _rx = new byte[3];
        private readonly byte[] _tx = new byte[2];
        private long _lastConversionMs;
        private int _settling;

        public Nau7802LoadCell(I2cLink link, Nau7802Settings settings, int staleAfterMs)
        {
            _link = link;
            _settings = settings;
            _staleAfterMs = staleAfterMs;
            TareCounts = settings.TareCounts;
            SpanFactor = settings.SpanFactor;
            ForceNewton = float.NaN;
            Status = SensorStatus.NoData;
        }

        public I2cHealth Health { get { return _link.Health; } }

        public int TareCounts { get; set; }

        public float SpanFactor { get; set; }

        /// <summary>Last raw conversion (signed 24-bit), for calibration.</summary>
        public int LastCounts { get; private set; }

        public float ForceNewton;
        public SensorStatus Status;

        public static int GainCode(int gain)
        {
            int code = 0;
            while ((1 << code) < gain && code < 7) code++;
            return code;
        }

        public static int RateCode(int samplesPerSecond)
        {
            switch (samplesPerSecond)
            {
                case 10: return 0;
                case 20: return 1;
                case 40: return 2;
                case 80: return 3;
                default: return 7; // 320
            }
        }

        /// <summary>Force for a raw reading (no I/O): ratiometric bridge, then tare and span.</summary>
        public static float NewtonFromCounts(int counts, int tareCounts, int gain, float sensitivityMvPerV, float ratedNewton, float span)
        {
            double ratio = (double)(counts - tareCounts) / ((double)FullScaleCounts * gain);
            return (float)(ratio / (sensitivityMvPerV / 1000.0) * ratedNewton * span);
        }

        /// <summary>Reset, power-up, gain and rate, internal offset calibration, start converting.</summary>
        public bool Initialise(long nowMs)
        {
            if (!WriteRegister(RegPuCtrl, PuRegisterReset)) return false;
            if (!WriteRegister(RegPuCtrl, PuDigital)) return false;
            if (!PollBit(RegPuCtrl, PuReady, true)) return false;
            if (!WriteRegister(RegPuCtrl, PuDigital | PuAnalog | PuInternalLdo)) return false;
            if (!WriteRegister(RegCtrl1, (Vldo3v3 << 3) | GainCode(_settings.Gain))) return false;
            int ctrl2 = RateCode(_settings.SamplesPerSecond) << 4;
            if (!WriteRegister(RegCtrl2, ctrl2 | Ctrl2CalStart)) return false; // CALMOD = 0: internal offset
            if (!PollBit(RegCtrl2, Ctrl2CalStart, false)) return false;
            if ((_rx[0] & Ctrl2CalError) != 0) { _link.Fail(I2cFault.OutOfRange); return false; }
            if (!WriteRegister(RegPuCtrl, PuDigital | PuAnalog | PuInternalLdo | PuCycleStart)) return false;
            Health.RecordInitialised();
            _lastConversionMs = nowMs;
            _settling = SettlingConversions;
            return true;
        }

        public void Update(long nowMs)
        {
            if (Health.NeedsInitialise && !Initialise(nowMs)) { Invalidate(SensorStatus.ReadFailed); return; }
            if (!_link.ReadRegister(RegPuCtrl, _rx, 0, 1)) { Invalidate(SensorStatus.ReadFailed); return; }
            int pu = _rx[0];
            if ((pu & PuReady) == 0 || (pu & PuCycleStart) == 0)
            {
                // Powered down or reset (brown-out): configure again next tick.
                Health.NeedsInitialise = true;
                Invalidate(SensorStatus.ReadFailed);
                return;
            }
            if ((pu & PuCycleReady) == 0)
            {
                if (nowMs - _lastConversionMs > _staleAfterMs)
                {
                    _link.Fail(I2cFault.NotConverting);
                    Invalidate(SensorStatus.Stale);
                }
                return; // the previous conversion is still the newest: keep it until it is stale
            }
            if (!_link.ReadRegister(RegAdcB2, _rx, 0, 3)) { Invalidate(SensorStatus.ReadFailed); return; }
            _lastConversionMs = nowMs;
            int counts = (_rx[0] << 16) | (_rx[1] << 8) | _rx[2];
            if ((counts & 0x800000) != 0) counts -= 0x1000000;
            LastCounts = counts;
            if (_settling > 0)
            {
                _settling--;
                Invalidate(SensorStatus.NoData);
                return;
            }
            if (counts >= FullScaleCounts - 1)
            {
                // Saturated high: the stack presses at least this hard. OverRange carries that lower bound.
                Health.CountOutOfRange();
                ForceNewton = NewtonFromCounts(counts, TareCounts, _settings.Gain, _settings.SensitivityMvPerV, _settings.LoadCellRatedNewton, SpanFactor);
                Status = SensorStatus.OverRange;
                return;
            }
            if (counts <= -FullScaleCounts)
            {
                Health.CountOutOfRange();
                Invalidate(SensorStatus.Implausible); // saturated below zero force: a broken bridge, not a pressure
                return;
            }
            ForceNewton = NewtonFromCounts(counts, TareCounts, _settings.Gain, _settings.SensitivityMvPerV, _settings.LoadCellRatedNewton, SpanFactor);
            Status = SensorStatus.Ok;
        }

        /// <summary>Tare: the present reading becomes zero force (fixture loaded with nothing but its own parts).</summary>
        public void TareHere() { TareCounts = LastCounts; }

        /// <summary>Span: with a known force applied, scales so the reading equals it. False if the reading is too small to scale.</summary>
        public bool SpanHere(float knownNewton)
        {
            float indicated = NewtonFromCounts(LastCounts, TareCounts, _settings.Gain, _settings.SensitivityMvPerV, _settings.LoadCellRatedNewton, 1f);
            if (indicated < knownNewton * 0.1f) return false;
            SpanFactor = knownNewton / indicated;
            return true;
        }

        private void Invalidate(SensorStatus status)
        {
            ForceNewton = float.NaN;
            Status = status;
        }

        private bool PollBit(byte register, int mask, bool wantSet)
        {
            for (int i = 0; i < 50; i++)
            {
                if (!_link.ReadRegister(register, _rx, 0, 1)) return false;
                if (((_rx[0] & mask) != 0) == wantSet) return true;
            }
            _link.Fail(I2cFault.Timeout);
            return false;
        }

        private bool WriteRegister(byte register, int value)
        {
            _tx[0] = register;
            _tx[1] = (byte)value;
            return _link.Write(_tx, 0, 2);
        }
    }
}
