using SolidBms.Core.Config;
using SolidBms.Core.Measurement;
using SolidBms.Core.Util;

namespace SolidBms.Core.Safety
{
    /// <summary>
    /// Compares each tick's measurement with the limit profile and decides what the pack may do:
    /// trip (safe state), alarm (derate), warning (report). Sensor faults trip after their qualification time:
    /// an unknown reading is never treated as a good one.
    /// </summary>
    public sealed class SafetySupervisor
    {
        public const int SensorCellVoltage = 0, SensorTemperature = 1, SensorCurrent = 2, SensorPressure = 3;

        /// <summary>Fault-class numbers (index in <see cref="LimitProfile.All"/>) that the actuation logic names.</summary>
        public const int CellOverVoltageClass = 0, CellUnderVoltageClass = 1, ChargeOverTemperatureClass = 4, ChargeUnderTemperatureClass = 5,
            PackOverVoltageClass = 12, PackUnderVoltageClass = 13;

        private LimitProfile _profile;
        private readonly int _tickMs;
        private LevelMonitor[] _monitors;
        private readonly SensorFaultMonitor[] _sensors;
        private readonly RateTracker[] _pressureRates;
        private readonly RateTracker[] _temperatureRates;

        private LevelMonitor _cellOv, _cellUv, _chargeOc, _dischargeOc, _chargeOt, _chargeUt, _dischargeOt, _dischargeUt;
        private LevelMonitor _pressureLow, _pressureHigh, _pressureRate, _imbalance;
        private LevelMonitor _packOv, _packUv, _shortCircuit, _temperatureRate, _chargeAboveLimit, _r0Growth, _loopLate;

        public SafetySupervisor(LimitProfile profile, int cellCount, int stackCount, int tickMs)
        {
            _tickMs = tickMs;
            PackMillivolts = MaxTemperatureC = MinPressureKpa = float.NaN;
            _sensors = new SensorFaultMonitor[]
            {
                new SensorFaultMonitor("sensorCellVoltage"),
                new SensorFaultMonitor("sensorTemperature"),
                new SensorFaultMonitor("sensorCurrent"),
                new SensorFaultMonitor("sensorPressure"),
            };
            _pressureRates = new RateTracker[stackCount];
            _temperatureRates = new RateTracker[cellCount];
            ApplyProfile(profile);
        }

        public LimitProfile Profile { get { return _profile; } }

        /// <summary>
        /// Fault classes, numbered for inhibit masks, Modbus bitfields and the event log: the profile's limits in
        /// <see cref="LimitProfile.All"/> order, then the four sensor classes.
        /// </summary>
        public int FaultClassCount { get { return _monitors.Length + _sensors.Length; } }

        public bool ClassTripLatched(int faultClass)
        {
            return faultClass < _monitors.Length ? _monitors[faultClass].TripLatched : _sensors[faultClass - _monitors.Length].TripLatched;
        }

        /// <summary>Highest level of a class now (sensor classes: trip or none).</summary>
        public int ClassLevel(int faultClass)
        {
            return faultClass < _monitors.Length ? _monitors[faultClass].ClassLevel : _sensors[faultClass - _monitors.Length].ClassLevel;
        }

        public string ClassName(int faultClass)
        {
            return faultClass < _monitors.Length ? _monitors[faultClass].Limit.Name : _sensors[faultClass - _monitors.Length].Name;
        }

        private uint _inhibitMask;
        private float _reportedChargeLimitA = float.MaxValue;

        /// <summary>
        /// The charge limit the pack last reported (the supervisor's combined with the estimator's state of
        /// power): the one the charger was told, and so the one a charge current is held to.
        /// </summary>
        public void SetReportedChargeLimit(float amps) { _reportedChargeLimitA = float.IsNaN(amps) ? 0f : amps; }

        /// <summary>
        /// Fault classes whose actuation an armed abuse test inhibits: they are still detected, latched and
        /// reported, but neither their alarms nor their trips change what the pack may do.
        /// </summary>
        public void SetInhibitMask(uint mask) { _inhibitMask = mask; }

        /// <summary>
        /// Whether a mask of fault classes (bit c = class c) holds a class. The classes number fewer than 32 (19 limits and 4
        /// sensor classes; a test holds it), so every class has a bit here and two bits in <see cref="ClassLevels"/>.
        /// </summary>
        private static bool InMask(uint mask, int faultClass) { return (mask & (1u << faultClass)) != 0; }

        /// <summary>
        /// A class's level acts (it is not inhibited). Asked only once no trip acts: a latched trip of a class outside the
        /// mask has already made the pack's verdict, so only the level is left to ask about.
        /// </summary>
        private bool Acts(int faultClass, int minLevel)
        {
            return !InMask(_inhibitMask, faultClass) && _monitors[faultClass].Level >= minLevel;
        }

        /// <summary>Whether any latched trip outside the inhibit mask exists (the abuse-test mode's view).</summary>
        public bool AnyTripLatchedExcept(uint inhibitMask)
        {
            for (int c = 0; c < FaultClassCount; c++)
                if (ClassTripLatched(c) && !InMask(inhibitMask, c)) return true;
            return false;
        }

        public LevelMonitor[] Monitors { get { return _monitors; } }

        public SensorFaultMonitor[] SensorMonitors { get { return _sensors; } }

        public bool AnyTripLatched { get; private set; }

        public bool AnyAlarm { get; private set; }

        public bool AnyWarning { get; private set; }

        public bool ChargeAllowed { get; private set; }

        public bool DischargeAllowed { get; private set; }

        public float ChargeLimitA { get; private set; }

        public float DischargeLimitA { get; private set; }

        /// <summary>
        /// The measurement last evaluated, summarised: the sum of the cell voltages (mV, NaN unless every cell is valid),
        /// the highest cell temperature and the lowest stack pressure (NaN when none is valid). The actuation, the capture
        /// and the telemetry of the same tick read these, not summing the cells again (NaN before the first evaluation).
        /// </summary>
        public float PackMillivolts { get; private set; }

        public float MaxTemperatureC { get; private set; }

        public float MinPressureKpa { get; private set; }

        /// <summary>Largest stack-pressure rate magnitude of this tick, kPa/s (NaN until known).</summary>
        public float PressureRateKpaPerS { get; private set; }

        /// <summary>
        /// Swaps the profile in force. Each monitor carries its levels, qualification timers and latch over, and the
        /// rate windows are kept unless their length changed: writing settings (even the same ones, every second)
        /// can neither clear a trip nor keep one from qualifying.
        /// </summary>
        public void ApplyProfile(LimitProfile profile)
        {
            LevelMonitor[] previous = _monitors;
            _profile = profile;
            LevelLimit[] limits = profile.All();
            _monitors = new LevelMonitor[limits.Length];
            for (int i = 0; i < limits.Length; i++) _monitors[i] = new LevelMonitor(limits[i]);
            _cellOv = _monitors[0]; _cellUv = _monitors[1]; _chargeOc = _monitors[2]; _dischargeOc = _monitors[3];
            _chargeOt = _monitors[4]; _chargeUt = _monitors[5]; _dischargeOt = _monitors[6]; _dischargeUt = _monitors[7];
            _pressureLow = _monitors[8]; _pressureHigh = _monitors[9]; _pressureRate = _monitors[10]; _imbalance = _monitors[11];
            _packOv = _monitors[12]; _packUv = _monitors[13]; _shortCircuit = _monitors[14]; _temperatureRate = _monitors[15];
            _chargeAboveLimit = _monitors[16]; _r0Growth = _monitors[17]; _loopLate = _monitors[18];
            if (previous != null)
                for (int i = 0; i < _monitors.Length; i++) _monitors[i].CopyStateFrom(previous[i]);
            int windowTicks = FastMath.Max(1, profile.PressureRateWindowMs / _tickMs);
            for (int s = 0; s < _pressureRates.Length; s++)
                if (_pressureRates[s] == null || _pressureRates[s].WindowTicks != windowTicks) _pressureRates[s] = new RateTracker(windowTicks);
            int temperatureWindowTicks = FastMath.Max(1, profile.TemperatureRateWindowMs / _tickMs);
            for (int c = 0; c < _temperatureRates.Length; c++)
                if (_temperatureRates[c] == null || _temperatureRates[c].WindowTicks != temperatureWindowTicks) _temperatureRates[c] = new RateTracker(temperatureWindowTicks);
            ClassLevels = WorkOutClassLevels(); // the carried levels, under the new monitors
        }

        /// <param name="loopLateMs">How late this tick started beyond its period (from the loop timer).</param>
        /// <param name="r0GrowthPercent">Worst cell's R0 growth over baseline from the estimator; NaN while unknown.</param>
        public void Evaluate(PackMeasurement m, long nowMs, float loopLateMs, float r0GrowthPercent)
        {
            int qualify = _profile.SensorFaultQualifyMs;
            _sensors[SensorCellVoltage].Update(m.CellVoltageStatus, qualify, nowMs);
            _sensors[SensorTemperature].Update(m.CellTemperatureStatus, qualify, nowMs);
            _sensors[SensorCurrent].Update(m.PackCurrentStatus, qualify, nowMs);
            _sensors[SensorPressure].Update(m.StackPressureStatus, qualify, nowMs);

            // Fast path first: a saturated current sensor is at least its range limit, and a short circuit
            // trips on the raw reading with no qualification.
            float rawMagnitude = m.PackCurrentStatus == SensorStatus.Ok || m.PackCurrentStatus == SensorStatus.OverRange
                ? FastMath.Abs(m.PackCurrentA) : float.NaN;
            if (m.PackCurrentStatus == SensorStatus.OverRange) rawMagnitude = float.PositiveInfinity;
            _shortCircuit.Update(rawMagnitude, true, nowMs);

            float current = m.PackCurrentStatus == SensorStatus.Ok ? m.PackCurrentA : float.NaN;
            bool charging = !float.IsNaN(current) && current < -_profile.IdleCurrentA;
            float maxT, minT, maxMv, minMv;
            float packMv = m.SummariseCells(out minMv, out maxMv, out minT, out maxT);
            float minKpa = m.MinPressureKpa();
            PackMillivolts = packMv;
            MaxTemperatureC = maxT;
            MinPressureKpa = minKpa;

            _cellOv.Update(maxMv, true, nowMs);
            _cellUv.Update(minMv, true, nowMs);
            _chargeOc.Update(float.IsNaN(current) ? float.NaN : FastMath.Max(0f, -current), true, nowMs);
            _dischargeOc.Update(float.IsNaN(current) ? float.NaN : FastMath.Max(0f, current), true, nowMs);
            _chargeOt.Update(maxT, charging, nowMs);
            _chargeUt.Update(minT, charging, nowMs);
            _dischargeOt.Update(maxT, true, nowMs);
            _dischargeUt.Update(minT, !charging, nowMs);
            _pressureLow.Update(minKpa, true, nowMs);
            _pressureHigh.Update(HighestPressureKpa(m), true, nowMs);
            _pressureRate.Update(UpdatePressureRate(m, nowMs), true, nowMs);
            _imbalance.Update(float.IsNaN(maxMv) || float.IsNaN(minMv) ? float.NaN : maxMv - minMv, true, nowMs);
            float meanMv = packMv / m.CellCount;
            _packOv.Update(meanMv, true, nowMs);
            _packUv.Update(meanMv, true, nowMs);
            _temperatureRate.Update(UpdateTemperatureRate(m, nowMs), true, nowMs);
            // Compared with the limit in force on the previous tick: the one the charger was told.
            _chargeAboveLimit.Update(float.IsNaN(current) ? float.NaN : FastMath.Max(0f, -current - FastMath.Min(ChargeLimitA, _reportedChargeLimitA)), charging, nowMs);
            _r0Growth.Update(r0GrowthPercent, true, nowMs);
            _loopLate.Update(loopLateMs, true, nowMs);

            // One pass over the classes for the summary flags; a trip or alarm acts unless the abuse test inhibits its class
            // (what Acts and AnyTripLatchedExcept say class by class).
            bool trip = false, alarm = false, warning = false, actingAlarm = false, actingTrip = false;
            uint inhibit = _inhibitMask;
            ulong levels = 0;
            LevelMonitor[] monitors = _monitors;
            for (int i = 0; i < monitors.Length; i++)
            {
                // One call a monitor for its level and latch (four getters and InMask were five on the interpreter).
                int state = monitors[i].PackedState;
                int level = state & LevelMonitor.LevelBits;
                bool latched = state > LevelMonitor.LevelBits;
                levels |= (ulong)(latched ? LevelMonitor.Trip : level) << (2 * i); // fewer than 32 classes (FaultClassCount)
                trip |= latched;
                alarm |= level >= LevelMonitor.Alarm;
                warning |= level >= LevelMonitor.Warning;
                if ((latched || level >= LevelMonitor.Alarm) && (inhibit & (1u << i)) == 0)
                {
                    actingAlarm = true;
                    actingTrip |= latched;
                }
            }
            for (int i = 0; i < _sensors.Length; i++)
            {
                bool latched = _sensors[i].TripLatched;
                trip |= latched;
                int c = _monitors.Length + i;
                levels |= (ulong)_sensors[i].ClassLevel << (2 * c);
                actingTrip |= latched && !InMask(inhibit, c);
            }
            ClassLevels = levels;
            AnyTripLatched = trip;
            AnyAlarm = alarm;
            AnyWarning = warning;
            // Charging a Li-metal anode outside its temperature window plates lithium: inhibit charge even at rest.
            // Each charge-temperature class keeps its own charge inhibit: inhibiting one (an abuse test) leaves the other.
            bool hotOk = !float.IsNaN(maxT) && !_profile.ChargeOverTemperature.Exceeds(maxT, _profile.ChargeOverTemperature.Alarm);
            bool coldOk = !float.IsNaN(minT) && !_profile.ChargeUnderTemperature.Exceeds(minT, _profile.ChargeUnderTemperature.Alarm);
            ChargeAllowed = !actingTrip
                && (hotOk || InMask(_inhibitMask, ChargeOverTemperatureClass))
                && (coldOk || InMask(_inhibitMask, ChargeUnderTemperatureClass))
                && !Acts(CellOverVoltageClass, LevelMonitor.Alarm) && !Acts(PackOverVoltageClass, LevelMonitor.Alarm);
            DischargeAllowed = !actingTrip && !Acts(CellUnderVoltageClass, LevelMonitor.Alarm) && !Acts(PackUnderVoltageClass, LevelMonitor.Alarm);
            ChargeLimitA = ChargeAllowed ? _profile.DeratedChargeA(actingAlarm) : 0f;
            DischargeLimitA = DischargeAllowed ? _profile.DeratedDischargeA(actingAlarm) : 0f;
        }

        /// <summary>Highest stack pressure; a load cell beyond its range counts as beyond every limit.</summary>
        private static float HighestPressureKpa(PackMeasurement m)
        {
            for (int s = 0; s < m.StackCount; s++)
                if (m.StackPressureStatus[s] == SensorStatus.OverRange) return float.PositiveInfinity;
            return m.MaxPressureKpa();
        }

        private float UpdatePressureRate(PackMeasurement m, long nowMs)
        {
            float worst = float.NaN;
            for (int s = 0; s < _pressureRates.Length; s++)
            {
                _pressureRates[s].Add(m.StackPressureStatus[s] == SensorStatus.Ok ? m.StackPressureKpa[s] : float.NaN, nowMs);
                float r = _pressureRates[s].RatePerSecond;
                if (!float.IsNaN(r) && (float.IsNaN(worst) || FastMath.Abs(r) > worst)) worst = FastMath.Abs(r);
            }
            PressureRateKpaPerS = worst;
            return worst;
        }

        /// <summary>Fastest cell temperature rise over the window, degC per minute (NaN until known).</summary>
        public float TemperatureRiseCPerMin { get; private set; }

        private float UpdateTemperatureRate(PackMeasurement m, long nowMs)
        {
            // The fastest riser: every cell's tracker has the same window length and is fed at the same instants, so the
            // windows span the same time and the larger rise is the larger rate: rises are compared, one division made.
            RateTracker fastest = null;
            RateTracker[] trackers = _temperatureRates;
            float[] temperatures = m.CellTemperatureC;
            SensorStatus[] status = m.CellTemperatureStatus;
            for (int c = 0; c < trackers.Length; c++)
            {
                RateTracker t = trackers[c];
                // Add says whether the tracker has a rate: one call a cell for the sample and the question.
                if (!t.Add(status[c] == SensorStatus.Ok ? temperatures[c] : float.NaN, nowMs)) continue;
                if (fastest == null || t.RisesFasterThan(fastest)) fastest = t;
            }
            float worst = fastest != null ? fastest.RatePerSecond * 60f : float.NaN;
            TemperatureRiseCPerMin = worst;
            return worst;
        }

        /// <summary>Every latched trip's condition has released: a clear now would clear them all.</summary>
        public bool CanClearTrips()
        {
            for (int i = 0; i < _monitors.Length; i++) if (!_monitors[i].CanClearTrip()) return false;
            for (int i = 0; i < _sensors.Length; i++) if (!_sensors[i].CanClearTrip()) return false;
            return true;
        }

        /// <summary>All or nothing: clears every latched trip only if every one's condition has released.</summary>
        public bool TryClearTrips()
        {
            if (!CanClearTrips()) return false;
            bool all = true;
            for (int i = 0; i < _monitors.Length; i++) all &= _monitors[i].TryClearTrip();
            for (int i = 0; i < _sensors.Length; i++) all &= _sensors[i].TryClearTrip();
            ClassLevels = WorkOutClassLevels(); // the latches changed outside an evaluation
            // No latch is left (all or nothing): the port replies and the telemetry frame of this tick, served after the
            // clear, must not still report a trip the next evaluation would drop.
            AnyTripLatched = false;
            return all;
        }

        /// <summary>
        /// Every class's <see cref="ClassLevel"/> in two bits, class c at bits 2c and 2c+1 (fewer than 32 classes: see
        /// InMask). Set by <see cref="Evaluate"/> and by <see cref="TryClearTrips"/>, the only places levels and
        /// latches change: the event log compares it with the last one it walked and walks the classes only when it moved.
        /// </summary>
        public ulong ClassLevels { get; private set; }

        private ulong WorkOutClassLevels()
        {
            ulong levels = 0;
            for (int c = 0; c < FaultClassCount; c++) levels |= (ulong)ClassLevel(c) << (2 * c);
            return levels;
        }

        /// <summary>Copies the names of active faults (latched trips, alarms, warnings) into a caller's array; returns how many. Allocation-free.</summary>
        public int CopyFaultNames(string[] into)
        {
            // Levels rise and trips latch only in Evaluate, which sets these flags from them: with neither set there is no
            // name to copy (the telemetry asks every tick; a clear drops the trip flag with the latches).
            if (!AnyTripLatched && !AnyWarning) return 0;
            int n = 0;
            for (int i = 0; i < _monitors.Length && n < into.Length; i++)
            {
                var mon = _monitors[i];
                if (mon.TripLatched) into[n++] = mon.TripName;
                else if (mon.Level == LevelMonitor.Alarm) into[n++] = mon.AlarmName;
                else if (mon.Level == LevelMonitor.Warning) into[n++] = mon.WarningName;
            }
            for (int i = 0; i < _sensors.Length && n < into.Length; i++)
                if (_sensors[i].TripLatched) into[n++] = _sensors[i].TripName;
            return n;
        }
    }
}
