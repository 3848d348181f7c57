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

        /// <summary>
        /// The temperature-rise window keeps its samples as one-byte steps in counts of this (degC): a quarter of the
        /// ESP32 heap of floats. A rise is then within 0.005 degC of the exact one, 0.01 degC/min over the 30 s window,
        /// against limits of degrees per minute and a sensor resolution of 0.05 to 0.1 degC, while no cell's reading
        /// steps more than 1.27 degC in a tick (762 degC/min; a larger jump makes a rise across it look larger).
        /// </summary>
        public const float TemperatureRateUnitC = 0.01f;

        private LimitProfile _profile;
        private readonly int _tickMs;
        private LevelMonitor[] _monitors;
        private readonly SensorFaultMonitor[] _sensors;
        private readonly int _cellCount, _stackCount;
        private RateTracker _pressureRates;    // every stack's pressure
        private RateTracker _temperatureRates; // every cell's temperature

        private LevelMonitor _cellOv, _cellUv, _chargeOc, _dischargeOc, _chargeOt, _chargeUt, _dischargeOt, _dischargeUt;
        private LevelMonitor _pressureLow, _pressureHigh, _pressureRate, _imbalance;
        private LevelMonitor _packOv, _packUv, _shortCircuit, _temperatureRate, _chargeAboveLimit, _r0Growth, _loopLate;

        public SafetySupervisor(LimitProfile profile, int cellCount, int stackCount, int tickMs)
        {
            _tickMs = tickMs;
            _packMillivolts = _maxTemperatureC = _minPressureKpa = float.NaN;
            _sensors = new SensorFaultMonitor[]
            {
                new SensorFaultMonitor("sensorCellVoltage"),
                new SensorFaultMonitor("sensorTemperature"),
                new SensorFaultMonitor("sensorCurrent"),
                new SensorFaultMonitor("sensorPressure"),
            };
            _cellCount = cellCount;
            _stackCount = stackCount;
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
#pragma warning disable CS1718
        public void SetReportedChargeLimit(float amps) { _reportedChargeLimitA = amps != amps ? 0f : amps; } // NaN: every tick, no float.IsNaN calls
#pragma warning restore CS1718

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

        /// <summary>Whether any latched trip outside the inhibit mask exists (the abuse-test mode's view).</summary>
        public bool AnyTripLatchedExcept(uint inhibitMask)
        {
            for (int c = 0; c < FaultClassCount; c++)
                if (ClassTripLatched(c) && !InMask(inhibitMask, c)) return true;
            return false;
        }

        public LevelMonitor[] Monitors { get { return _monitors; } }

        public SensorFaultMonitor[] SensorMonitors { get { return _sensors; } }

        public bool AnyTripLatched { get { return _anyTripLatched; } }

        public bool AnyAlarm { get { return _anyAlarm; } }

        public bool AnyWarning { get { return _anyWarning; } }

        public bool ChargeAllowed { get { return _chargeAllowed; } }

        public bool DischargeAllowed { get { return _dischargeAllowed; } }

        public float ChargeLimitA { get { return _chargeLimitA; } }

        public float DischargeLimitA { get { return _dischargeLimitA; } }

        // Fields behind the properties Evaluate sets and the tick's later stages read: a property call costs the device's
        // interpreter more than the field.
        private bool _anyTripLatched, _anyAlarm, _anyWarning, _chargeAllowed, _dischargeAllowed;
        private float _chargeLimitA, _dischargeLimitA, _packMillivolts, _maxTemperatureC, _minPressureKpa;

        /// <summary>
        /// The measurement last evaluated, summarised: the sum of the cell voltages (mV, NaN unless every cell is valid),
        /// the highest cell temperature and the lowest stack pressure (NaN when none is valid). The actuation, the capture
        /// and the telemetry of the same tick read these, not summing the cells again (NaN before the first evaluation).
        /// </summary>
        public float PackMillivolts { get { return _packMillivolts; } }

        public float MaxTemperatureC { get { return _maxTemperatureC; } }

        public float MinPressureKpa { get { return _minPressureKpa; } }

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
            if (_pressureRates == null || _pressureRates.WindowTicks != windowTicks) _pressureRates = new RateTracker(windowTicks, _stackCount);
            int temperatureWindowTicks = FastMath.Max(1, profile.TemperatureRateWindowMs / _tickMs);
            if (_temperatureRates == null || _temperatureRates.WindowTicks != temperatureWindowTicks)
                _temperatureRates = new RateTracker(temperatureWindowTicks, _cellCount, TemperatureRateUnitC);
            ClassLevels = WorkOutClassLevels(); // the carried levels, under the new monitors
        }

        /// <param name="loopLateMs">How late this tick started beyond its period (from the loop timer).</param>
        /// <param name="r0GrowthPercent">Worst cell's R0 growth over baseline from the estimator; NaN while unknown.</param>
        public void Evaluate(PackMeasurement m, long nowMs, float loopLateMs, float r0GrowthPercent)
        {
            // The cells and stacks summarised first (the pressure-rate tracker fed, nothing else read or changed): the same
            // passes find the first bad voltage, temperature and pressure for the sensor-fault monitors.
            float maxT, minT, maxMv, minMv;
            int badMv, badC;
            float packMv = m.SummariseCells(out minMv, out maxMv, out minT, out maxT, out badMv, out badC);
            int qualify = _profile.SensorFaultQualifyMs;
            SensorFaultMonitor[] sensors = _sensors;
            sensors[SensorCellVoltage].UpdateScanned(badMv, badMv < 0 ? SensorStatus.Ok : m.CellVoltageStatus[badMv], qualify, nowMs);
            sensors[SensorTemperature].UpdateScanned(badC, badC < 0 ? SensorStatus.Ok : m.CellTemperatureStatus[badC], qualify, nowMs);
            sensors[SensorCurrent].Update(m.PackCurrentStatus, qualify, nowMs);
            float maxKpa, fastestKpaPerS;
            int badStack;
            float minKpa = SummarisePressure(m, nowMs, out maxKpa, out fastestKpaPerS, out badStack);
            sensors[SensorPressure].UpdateScanned(badStack, badStack < 0 ? SensorStatus.Ok : m.StackPressureStatus[badStack], qualify, nowMs);

            // Fast path first: a saturated current sensor is at least its range limit, and a short circuit
            // trips on the raw reading with no qualification. NaN tests as x != x, magnitudes and clamps written out: on the
            // device's interpreter float.IsNaN is two calls and FastMath's helpers one each, more than the comparison.
#pragma warning disable CS1718
            SensorStatus currentStatus = m.PackCurrentStatus;
            float measuredA = m.PackCurrentA;
            float rawMagnitude = currentStatus == SensorStatus.OverRange ? float.PositiveInfinity
                : currentStatus == SensorStatus.Ok ? (
                    // Stryker disable once Equality : only 0 and -0 differ, and both exceed no limit
                    measuredA < 0 ? -measuredA : measuredA) : float.NaN;
            // The monitors' packed states ORed: 0 when none has a level or a latch (nearly every tick).
            int raised = _shortCircuit.Update(rawMagnitude, true, nowMs);

            float current = currentStatus == SensorStatus.Ok ? measuredA : float.NaN;
            float chargingA = -current; // an unknown current is NaN, and NaN stays NaN through the clamps below
            bool charging = current < -_profile.IdleCurrentA; // false for NaN
            _packMillivolts = packMv;
            _maxTemperatureC = maxT;
            _minPressureKpa = minKpa;

            raised |= _cellOv.Update(maxMv, true, nowMs);
            raised |= _cellUv.Update(minMv, true, nowMs);
            // Stryker disable once Equality : the clamp at 0 gives 0 or -0, which exceed no limit alike
            raised |= _chargeOc.Update(0f > chargingA ? 0f : chargingA, true, nowMs);
            // Stryker disable once Equality : the clamp at 0 gives 0 or -0, which exceed no limit alike
            raised |= _dischargeOc.Update(0f > current ? 0f : current, true, nowMs);
            raised |= _chargeOt.Update(maxT, charging, nowMs);
            raised |= _chargeUt.Update(minT, charging, nowMs);
            raised |= _dischargeOt.Update(maxT, true, nowMs);
            raised |= _dischargeUt.Update(minT, !charging, nowMs);
            raised |= _pressureLow.Update(minKpa, true, nowMs);
            raised |= _pressureHigh.Update(maxKpa, true, nowMs);
            raised |= _pressureRate.Update(fastestKpaPerS, true, nowMs);
            raised |= _imbalance.Update(maxMv - minMv, true, nowMs); // NaN when either is
            float meanMv = packMv / m.CellCount;
            raised |= _packOv.Update(meanMv, true, nowMs);
            raised |= _packUv.Update(meanMv, true, nowMs);
            raised |= _temperatureRate.Update(UpdateTemperatureRate(m, nowMs), true, nowMs);
            // Compared with the limit in force on the previous tick: the one the charger was told.
            // Stryker disable once Equality : the lesser of two: at equality both arms are the same
            float toldA = _chargeLimitA < _reportedChargeLimitA ? _chargeLimitA : _reportedChargeLimitA;
            float aboveA = chargingA - toldA;
            // Stryker disable once Equality : the clamp at 0 gives 0 or -0, which exceed no limit alike
            raised |= _chargeAboveLimit.Update(0f > aboveA ? 0f : aboveA, charging, nowMs);
            raised |= _r0Growth.Update(r0GrowthPercent, true, nowMs);
            raised |= _loopLate.Update(loopLateMs, true, nowMs);

            // One pass over the classes for the summary flags; a trip or alarm acts unless the abuse test inhibits its class
            // (what AnyTripLatchedExcept says class by class). A class's alarm stops charge or discharge only when it acts:
            // asked only once no trip acts, as a latched trip outside the mask has already made the pack's verdict.
            bool trip = false, alarm = false, warning = false, actingAlarm = false, actingTrip = false;
            uint inhibit = _inhibitMask;
            uint alarmActs = 0; // bit c: class c is at alarm or above and not inhibited (Acts(c, Alarm))
            ulong levels = 0;
            LevelMonitor[] monitors = _monitors;
            for (int i = 0; raised != 0 && i < monitors.Length; i++) // every monitor quiet: nothing to summarise
            {
                // One call a monitor for its level and latch (four getters and InMask were five on the interpreter).
                int state = monitors[i].PackedState;
                int level = state & LevelMonitor.LevelBits;
                // Stryker disable once Equality : a state of exactly 3 (trip level, no latch) does not occur: the latch is set in the same update
                bool latched = state > LevelMonitor.LevelBits;
                // Stryker disable once Assignment : each class has its own two bits, 0 before (fewer than 32 classes)
                levels |= (ulong)(latched ? LevelMonitor.Trip : level) << (2 * i);
                trip |= latched;
                alarm |= level >= LevelMonitor.Alarm;
                warning |= level >= LevelMonitor.Warning;
                uint bit = 1u << i;
                // Stryker disable once Assignment : each class has its own bit, 0 before
                if (level >= LevelMonitor.Alarm && (inhibit & bit) == 0) alarmActs |= bit;
                if ((latched || level >= LevelMonitor.Alarm) && (inhibit & bit) == 0)
                {
                    actingAlarm = true;
                    actingTrip |= latched;
                }
            }
            for (int i = 0; i < sensors.Length; i++)
            {
                if (!sensors[i].TripLatched) continue; // a sensor class has no warning or alarm: its level is trip or none
                trip = true;
                int c = monitors.Length + i;
                // Stryker disable once Assignment : each class has its own two bits, 0 before
                levels |= (ulong)LevelMonitor.Trip << (2 * c);
                if ((inhibit & (1u << c)) == 0) actingTrip = true;
            }
            ClassLevels = levels;
            _anyTripLatched = trip;
            _anyAlarm = alarm;
            _anyWarning = warning;
            // Charging a Li-metal anode outside its temperature window plates lithium: inhibit charge even at rest.
            // Each charge-temperature class keeps its own charge inhibit: inhibiting one (an abuse test) leaves the other.
            LevelLimit hot = _profile.ChargeOverTemperature, cold = _profile.ChargeUnderTemperature;
            bool hotOk = maxT == maxT && !hot.Exceeds(maxT, hot.Alarm);
            bool coldOk = minT == minT && !cold.Exceeds(minT, cold.Alarm);
#pragma warning restore CS1718
            const uint chargeStops = (1u << CellOverVoltageClass) | (1u << PackOverVoltageClass);
            const uint dischargeStops = (1u << CellUnderVoltageClass) | (1u << PackUnderVoltageClass);
            bool chargeAllowed = !actingTrip
                && (hotOk || InMask(inhibit, ChargeOverTemperatureClass))
                && (coldOk || InMask(inhibit, ChargeUnderTemperatureClass))
                && (alarmActs & chargeStops) == 0;
            bool dischargeAllowed = !actingTrip && (alarmActs & dischargeStops) == 0;
            _chargeAllowed = chargeAllowed;
            _dischargeAllowed = dischargeAllowed;
            _chargeLimitA = chargeAllowed ? _profile.DeratedChargeA(actingAlarm) : 0f;
            _dischargeLimitA = dischargeAllowed ? _profile.DeratedDischargeA(actingAlarm) : 0f;
        }

        /// <summary>
        /// The stacks in one pass: the lowest valid pressure (returned), the highest (a load cell beyond its range counts as
        /// beyond every limit), the largest rate magnitude this tick, kPa/s, each stack's tracker fed (NaN when unknown), and
        /// the first stack whose status is not Ok (-1: none) for the sensor-fault monitor.
        /// </summary>
        private float SummarisePressure(PackMeasurement m, long nowMs, out float highestKpa, out float fastestKpaPerS, out int badStack)
        {
            int firstBad = -1;
            float low = float.NaN, high = float.NaN;
            bool overRange = false;
            float[] kpa = m.StackPressureKpa;
            SensorStatus[] status = m.StackPressureStatus;
#pragma warning disable CS1718
            for (int s = 0; s < kpa.Length; s++)
            {
                float v = status[s] == SensorStatus.Ok ? kpa[s] : float.NaN;
                if (v == v)
                {
                    if (low != low ||
                        // Stryker disable once Equality : an equal pressure leaves the same number
                        v < low) low = v;
                    if (high != high ||
                        // Stryker disable once Equality : an equal pressure leaves the same number
                        v > high) high = v;
                }
                else if (status[s] == SensorStatus.OverRange) overRange = true;
                if (firstBad < 0 && status[s] != SensorStatus.Ok) firstBad = s;
            }
            badStack = firstBad;
#pragma warning restore CS1718
            highestKpa = overRange ? float.PositiveInfinity : high;
            _pressureRates.Add(kpa, status, nowMs); // every stack's tracker in one call
            float worst = _pressureRates.LargestRatePerSecond;
            fastestKpaPerS = worst;
            PressureRateKpaPerS = worst;
            return low;
        }

        /// <summary>Fastest cell temperature rise over the window, degC per minute (NaN until known).</summary>
        public float TemperatureRiseCPerMin { get; private set; }

        private float UpdateTemperatureRate(PackMeasurement m, long nowMs)
        {
            _temperatureRates.Add(m.CellTemperatureC, m.CellTemperatureStatus, nowMs);
            float worst = _temperatureRates.FastestRisePerSecond * 60f;
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
            // Every condition has released (asked just above): each clear succeeds.
            for (int i = 0; i < _monitors.Length; i++) _monitors[i].TryClearTrip();
            for (int i = 0; i < _sensors.Length; i++) _sensors[i].TryClearTrip();
            ClassLevels = WorkOutClassLevels(); // the latches changed outside an evaluation
            // No latch is left (all or nothing): the port replies and the telemetry frame of this tick, served after the
            // clear, must not still report a trip the next evaluation would drop.
            _anyTripLatched = false;
            return true;
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
            for (int c = 0; c < FaultClassCount; c++)
                // Stryker disable once Assignment : each class has its own two bits, 0 before
                levels |= (ulong)ClassLevel(c) << (2 * c);
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
