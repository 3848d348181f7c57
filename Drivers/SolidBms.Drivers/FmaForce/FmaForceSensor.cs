using SolidBms.Core.Config;
using SolidBms.Core.Measurement;
using SolidBms.Drivers.I2cCommon;

namespace SolidBms.Drivers.FmaForce
{
    /// <summary>
    /// Honeywell FMA-series MicroForce sensor (compensated, amplified, I2C): a plain 2-byte read returns two
    /// status bits and a 14-bit force count. Status 0 = fresh data, 2 = stale (already read), 3 = diagnostic
    /// (bridge open or short), 1 = command mode. Force = (counts - Cmin) / (Cmax - Cmin) x rated force, with
    /// Cmin/Cmax at 10 % and 90 % (or 20 % and 80 %) of 2^14 as the part number says. Suits small cells
    /// (pellets of a few cm^2 at up to 25 N); the fixture load cell for full-size stacks is the NAU7802.
    /// </summary>
    public sealed class FmaForceSensor
    {
        public const int FullScaleCounts = 16384; // 2^14

        private readonly I2cLink _link;
        private readonly FmaSettings _settings;
        private readonly int _staleAfterMs;
        private readonly byte[] _rx = new byte[2];
        private long _lastFreshMs;
        private bool _started;

        public FmaForceSensor(I2cLink link, FmaSettings settings, int staleAfterMs)
        {
            _link = link;
            _settings = settings;
            _staleAfterMs = staleAfterMs;
            ForceNewton = float.NaN;
            Status = SensorStatus.NoData;
        }

        public I2cHealth Health { get { return _link.Health; } }

        public int LastCounts { get; private set; }

        public float ForceNewton;
        public SensorStatus Status;

        /// <summary>Force for a 14-bit count with the part's transfer function (no I/O).</summary>
        public static float NewtonFromCounts(int counts, int tareCounts, int minPercent, int maxPercent, float ratedNewton)
        {
            float cMin = FullScaleCounts * minPercent / 100f;
            float cMax = FullScaleCounts * maxPercent / 100f;
            float zero = tareCounts > 0 ? tareCounts : cMin;
            return (counts - zero) / (cMax - cMin) * ratedNewton;
        }

        public void Update(long nowMs)
        {
            if (!_started)
            {
                _lastFreshMs = nowMs;
                _started = true;
                Health.RecordInitialised(); // nothing to configure: the part streams from power-up
            }
            if (!_link.Read(_rx, 0, 2)) { Invalidate(SensorStatus.ReadFailed); return; }
            int status = _rx[0] >> 6;
            int counts = ((_rx[0] & 0x3F) << 8) | _rx[1];
            if (status == 3)
            {
                Health.CountOutOfRange();
                Invalidate(SensorStatus.Implausible); // the sensor's own bridge diagnostics
                return;
            }
            if (status == 1) { _link.Fail(I2cFault.BusError); Invalidate(SensorStatus.ReadFailed); return; }
            if (status == 2)
            {
                if (nowMs - _lastFreshMs > _staleAfterMs)
                {
                    _link.Fail(I2cFault.NotConverting);
                    Invalidate(SensorStatus.Stale);
                }
                return; // the newest result is still the one we hold, until it is stale
            }
            _lastFreshMs = nowMs;
            LastCounts = counts;
            ForceNewton = NewtonFromCounts(counts, _settings.TareCounts, _settings.MinPercent, _settings.MaxPercent, _settings.RatedNewton);
            // At the top of the 14-bit range the output has clipped: at least this force (OverRange, a lower bound).
            Status = counts >= FullScaleCounts - 1 ? SensorStatus.OverRange : SensorStatus.Ok;
        }

        public void TareHere() { _settings.TareCounts = LastCounts; }

        private void Invalidate(SensorStatus status)
        {
            ForceNewton = float.NaN;
            Status = status;
        }
    }
}
