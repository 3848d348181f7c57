using SolidBms.Core.Loop;
using SolidBms.Core.Measurement;
using SolidBms.Core.Safety;

namespace SolidBms.Core.Protocol
{
    /// <summary>
    /// The Modbus register map, version <see cref="MapVersion"/> (docs/modbus-register-map.md; integrators
    /// hard-code it: addresses and scalings never move within a version). Addresses are zero-based PDU
    /// addresses. Input registers hold measurements and states, holding registers the settings, the device
    /// key and commands. Unknown values read 0xFFFF (unsigned) or 0x8000 (signed).
    /// </summary>
    public sealed class ModbusRegisterMap
    {
        public const int MapVersion = 1;

        // Input registers (function 04)
        public const int InMapVersion = 0, InProtocolVersion = 1, InCellCount = 2, InStackCount = 3, InState = 4, InStatus = 5,
            InTripBitsLow = 6, InTripBitsHigh = 7, InAlarmBitsLow = 8, InAlarmBitsHigh = 9, InWarningBitsLow = 10, InWarningBitsHigh = 11,
            InTimeMsHigh = 12, InTimeMsLow = 13, InUnixHigh = 14, InUnixLow = 15,
            InSocPermille = 16, InCurrentCentiamps = 17, InPackCentivolts = 18, InChargeLimitCentiamps = 19, InDischargeLimitCentiamps = 20,
            InMinCellMv = 21, InMaxCellMv = 22, InMinTempDeciC = 23, InMaxTempDeciC = 24, InMinPressureKpa = 25, InMaxPressureKpa = 26,
            InPressureRateDeciKpaPerS = 27, InFramesSent = 28, InWritesLogged = 29, InAuthFailures = 30,
            InAbuseMaskLow = 31, InAbuseMaskHigh = 32, InAbuseRemainingS = 33, InFaultClassCount = 34;
        public const int InCellMvBase = 100, InCellTempBase = 200, InPressureBase = 300;
        // Balancing (docs/balancing.md): bleed mask of cells 1-16, 17-32, 33-48, 49-64; cells bleeding; decision mode;
        // charge bled per cell since start-up, mAh (400 + cell - 1).
        public const int InBalanceMaskBase = 40, InBalancingCells = 44, InBalancingMode = 45, InBalanceRemovedBase = 400;
        public const int MaxCells = 64, MaxStacks = 16;
        public const int InputCount = InBalanceRemovedBase + MaxCells;

        // Holding registers (functions 03, 06, 16)
        public const int HoMapVersion = 0, HoLockState = 1, HoLockoutRemainingS = 2, HoAuthFailures = 3;
        public const int HoKeyBase = 10, HoKeyCount = DeviceAuth.MaxKeyLength / 2;
        public const int HoCommand = 30, HoUnixHigh = 31, HoUnixLow = 32;
        /// <summary>Limit rows: 100 + 8 * limit + field, room for 25 limits (100..299).</summary>
        public const int HoLimitBase = 100, HoLimitStride = 8, HoMaxLimits = 25;
        public const int HoSettingsBase = HoLimitBase + HoLimitStride * HoMaxLimits;

        public const int CommandLock = 1, CommandClearTrips = 2, CommandCaptureStart = 3, CommandCaptureStop = 4, CommandAbuseDisarm = 5,
            CommandLabCaptureTrigger = 6, CommandLabCaptureRelease = 7;

        public const int ExIllegalFunction = 1, ExIllegalAddress = 2, ExIllegalValue = 3, ExDeviceFailure = 4;

        private readonly ProtocolEndpoint _ep;
        private readonly BmsController _c;
        private readonly ProfileFields _fields;
        private readonly byte[] _key = new byte[DeviceAuth.MaxKeyLength];

        public ModbusRegisterMap(ProtocolEndpoint endpoint, BmsController controller)
        {
            _ep = endpoint;
            _c = controller;
            _fields = endpoint.Fields;
            HoldingCount = HoSettingsBase + ProfileFields.ExtraCount;
            SunSpec = new SunSpecMap(controller, controller.Board.ModbusAddress);
        }

        /// <summary>The SunSpec chain, holding registers from 40000, beside this map.</summary>
        public SunSpecMap SunSpec { get; private set; }

        /// <summary>Whether holding registers start .. start + count - 1 exist: this map's block or the SunSpec chain.</summary>
        public bool HoldingRange(int start, int count)
        {
            return (start >= 0 && start + count <= HoldingCount) || SunSpec.Contains(start, count);
        }

        /// <summary>Holding map size (the settings block ends it).</summary>
        public int HoldingCount { get; private set; }

        public int ReadInput(int a, long nowMs)
        {
            PackMeasurement m = _c.Measurement;
            SafetySupervisor s = _c.Supervisor;
            if (a >= InCellMvBase && a < InCellMvBase + MaxCells)
            {
                int i = a - InCellMvBase;
                return i < m.CellCount && m.CellVoltageStatus[i] == SensorStatus.Ok ? Scaling.ToUnsigned(m.CellMillivolts[i], 1f) : Scaling.UnsignedUnknown;
            }
            if (a >= InCellTempBase && a < InCellTempBase + MaxCells)
            {
                int i = a - InCellTempBase;
                return i < m.CellCount && m.CellTemperatureStatus[i] == SensorStatus.Ok ? Scaling.ToSigned(m.CellTemperatureC[i], 10f) : Scaling.SignedUnknown;
            }
            if (a >= InPressureBase && a < InPressureBase + MaxStacks)
            {
                int i = a - InPressureBase;
                return i < m.StackCount && m.StackPressureStatus[i] == SensorStatus.Ok ? Scaling.ToUnsigned(m.StackPressureKpa[i], 1f) : Scaling.UnsignedUnknown;
            }
            if (a >= InBalanceMaskBase && a <= InBalancingMode) return ReadBalancing(a);
            if (a >= InBalanceRemovedBase && a < InBalanceRemovedBase + MaxCells)
            {
                int i = a - InBalanceRemovedBase;
                if (_c.Balancer == null || i >= m.CellCount) return Scaling.UnsignedUnknown;
                return Scaling.ToUnsigned(_c.Balancer.RemovedMilliampHours(i), 1f);
            }
            long unix = _ep.UnixSeconds(nowMs);
            switch (a)
            {
                case InMapVersion: return MapVersion;
                case InProtocolVersion: return LineProtocol.Version;
                case InCellCount: return m.CellCount;
                case InStackCount: return m.StackCount;
                case InState: return (int)_c.State;
                case InStatus: return _ep.Status(nowMs);
                case InTripBitsLow: return (int)(FaultBits.Trips(s) & 0xFFFF);
                case InTripBitsHigh: return (int)(FaultBits.Trips(s) >> 16);
                case InAlarmBitsLow: return (int)(FaultBits.AtLevel(s, LevelMonitor.Alarm) & 0xFFFF);
                case InAlarmBitsHigh: return (int)(FaultBits.AtLevel(s, LevelMonitor.Alarm) >> 16);
                case InWarningBitsLow: return (int)(FaultBits.AtLevel(s, LevelMonitor.Warning) & 0xFFFF);
                case InWarningBitsHigh: return (int)(FaultBits.AtLevel(s, LevelMonitor.Warning) >> 16);
                case InTimeMsHigh: return (int)((m.TimestampMs >> 16) & 0xFFFF);
                case InTimeMsLow: return (int)(m.TimestampMs & 0xFFFF);
                case InUnixHigh: return unix < 0 ? 0xFFFF : (int)((unix >> 16) & 0xFFFF);
                case InUnixLow: return unix < 0 ? 0xFFFF : (int)(unix & 0xFFFF);
                case InSocPermille: return Scaling.ToUnsigned(_c.Estimator.PackSoc, 1000f);
                case InCurrentCentiamps: return Scaling.ToSigned(m.PackCurrentStatus == SensorStatus.Ok ? m.PackCurrentA : float.NaN, 100f);
                case InPackCentivolts: return Scaling.ToUnsigned(m.PackMillivolts(), 0.1f);
                case InChargeLimitCentiamps: return Scaling.ToUnsigned(_c.ChargeLimitA, 100f); // min(supervisor, state of power)
                case InDischargeLimitCentiamps: return Scaling.ToUnsigned(_c.DischargeLimitA, 100f);
                case InMinCellMv: return Scaling.ToUnsigned(m.MinCellMillivolts(), 1f);
                case InMaxCellMv: return Scaling.ToUnsigned(m.MaxCellMillivolts(), 1f);
                case InMinTempDeciC: return Scaling.ToSigned(m.MinTemperatureC(), 10f);
                case InMaxTempDeciC: return Scaling.ToSigned(m.MaxTemperatureC(), 10f);
                case InMinPressureKpa: return Scaling.ToUnsigned(m.MinPressureKpa(), 1f);
                case InMaxPressureKpa: return Scaling.ToUnsigned(m.MaxPressureKpa(), 1f);
                case InPressureRateDeciKpaPerS: return Scaling.ToUnsigned(s.PressureRateKpaPerS, 10f);
                case InFramesSent: return (int)(_ep.FramesSent & 0xFFFF);
                case InWritesLogged: return (int)(_ep.Log.Total & 0xFFFF);
                case InAuthFailures: return _ep.Auth.Failures;
                case InAbuseMaskLow: return _c.Abuse.Armed ? (int)(_c.Abuse.InhibitMask & 0xFFFF) : 0;
                case InAbuseMaskHigh: return _c.Abuse.Armed ? (int)(_c.Abuse.InhibitMask >> 16) : 0;
                case InAbuseRemainingS: return _ep.AbuseRemainingS(nowMs);
                case InFaultClassCount: return s.FaultClassCount;
                default: return 0; // reserved
            }
        }

        /// <summary>Bleed mask words, cells bleeding and the decision mode (0xFFFF mode: no bleed hardware).</summary>
        private int ReadBalancing(int a)
        {
            var b = _c.Balancer;
            if (a == InBalancingMode) return b == null ? Scaling.UnsignedUnknown : (int)b.Mode;
            if (b == null) return 0;
            if (a == InBalancingCells) return b.ActiveCount;
            return (int)((b.ActiveMask >> (16 * (a - InBalanceMaskBase))) & 0xFFFF);
        }

        /// <summary>Profile field held at a holding address, -1 if none (reserved or another block).</summary>
        public int FieldAt(int a)
        {
            if (a >= HoLimitBase && a < HoSettingsBase)
            {
                int l = (a - HoLimitBase) / HoLimitStride, f = (a - HoLimitBase) % HoLimitStride;
                return l < _fields.LimitCount && f < ProfileFields.PerLimit ? l * ProfileFields.PerLimit + f : -1;
            }
            if (a >= HoSettingsBase && a < HoldingCount) return _fields.ExtraBase + a - HoSettingsBase;
            return -1;
        }

        public int ReadHolding(int a, long nowMs)
        {
            if (a >= SunSpecMap.Base) return SunSpec.Read(a);
            int f = FieldAt(a);
            if (f >= 0)
            {
                float v = (float)_fields.Get(_c.Supervisor, f);
                float scale = (float)_fields.ModbusScale(f);
                return _fields.ModbusSigned(f) ? Scaling.ToSigned(v, scale) : Scaling.ToUnsigned(v, scale);
            }
            long unix = _ep.UnixSeconds(nowMs);
            switch (a)
            {
                case HoMapVersion: return MapVersion;
                case HoLockState: return _ep.Auth.IsLockedOut(nowMs) ? 2 : (_ep.ModbusSession.IsUnlocked(nowMs) ? 1 : 0);
                case HoLockoutRemainingS: return _ep.Auth.LockoutRemainingS(nowMs);
                case HoAuthFailures: return _ep.Auth.Failures;
                case HoUnixHigh: return unix < 0 ? 0xFFFF : (int)((unix >> 16) & 0xFFFF);
                case HoUnixLow: return unix < 0 ? 0xFFFF : (int)(unix & 0xFFFF);
                default: return 0; // key (never read back), command, reserved
            }
        }

        private static int Word(byte[] d, int offset, int i) { return (d[offset + 2 * i] << 8) | d[offset + 2 * i + 1]; }

        /// <summary>
        /// Writes <paramref name="count"/> registers from big-endian words at data[offset]. Returns 0 or the
        /// exception code; on an exception nothing has changed (a refused unlock only counts as a failure).
        /// A write must lie within one block: the key, the command, the time pair or the profile settings.
        /// </summary>
        public int WriteHoldings(int start, int count, byte[] data, int offset, long nowMs)
        {
            int end = start + count;
            AuthSession session = _ep.ModbusSession;
            if (start >= HoKeyBase && end <= HoKeyBase + HoKeyCount)
            {
                if (start != HoKeyBase) return ExIllegalAddress;
                int n = 0;
                for (int i = 0; i < count; i++)
                {
                    int w = Word(data, offset, i);
                    _key[n++] = (byte)(w >> 8);
                    _key[n++] = (byte)(w & 0xFF);
                }
                while (n > 0 && _key[n - 1] == 0) n--; // zero padding of an odd-length or short key
                int r = _ep.Unlock(session, WriteLog.SourceModbus, _key, 0, n, nowMs);
                for (int i = 0; i < _key.Length; i++) _key[i] = 0;
                if (r == WriteLog.ResultNotAuthorised) return ExIllegalFunction; // the placeholder key: no unlock possible
                return r == WriteLog.ResultAccepted ? 0 : (r == WriteLog.ResultLockedOut ? ExDeviceFailure : ExIllegalValue);
            }
            if (start == HoCommand && count == 1)
            {
                int r;
                switch (Word(data, offset, 0))
                {
                    case CommandLock: _ep.Lock(session, WriteLog.SourceModbus, nowMs); return 0;
                    case CommandClearTrips:
                        r = _ep.ClearTrips(session, WriteLog.SourceModbus, nowMs);
                        return r == WriteLog.ResultRefused ? ExDeviceFailure : ResultToException(r); // a trip condition persists
                    case CommandCaptureStart: r = _ep.Capture(true, _c.Board.TickMs, WriteLog.SourceModbus, nowMs); break;
                    case CommandCaptureStop: r = _ep.Capture(false, 0, WriteLog.SourceModbus, nowMs); break;
                    case CommandAbuseDisarm: _ep.AbuseDisarm(WriteLog.SourceModbus, nowMs); return 0;
                    case CommandLabCaptureTrigger: r = _ep.CaptureTrigger(session, WriteLog.SourceModbus, nowMs); return r == WriteLog.ResultRefused ? ExDeviceFailure : ResultToException(r);
                    case CommandLabCaptureRelease: r = _ep.CaptureRelease(session, WriteLog.SourceModbus, nowMs); return r == WriteLog.ResultRefused ? ExDeviceFailure : ResultToException(r);
                    default: return ExIllegalValue;
                }
                return ResultToException(r);
            }
            if (start >= HoUnixHigh && end <= HoUnixLow + 1)
            {
                if (!_ep.Authorised(session, nowMs)) return Unauthorised(WriteLog.ActionSetTime, start, count, nowMs); // before the value
                if (start != HoUnixHigh || count != 2) return ExIllegalValue; // the pair together, never half a time
                long unix = ((long)Word(data, offset, 0) << 16) | (long)Word(data, offset, 1);
                return ResultToException(_ep.SetTime(session, WriteLog.SourceModbus, unix, nowMs));
            }
            if (SunSpec.Contains(start, count)) return WriteSunSpec(start, count, data, offset, nowMs);
            if (start >= HoLimitBase && end <= HoldingCount)
            {
                int limitEnd = HoLimitBase + _fields.LimitCount * HoLimitStride;
                if (start < HoSettingsBase && end > limitEnd) return ExIllegalAddress; // past the last limit row
                // Locked: refused as not authorised before any value is looked at, logged as one request.
                if (!_ep.Authorised(session, nowMs)) return Unauthorised(WriteLog.ActionSet, start, count, nowMs);
                _ep.ClearStaged();
                int staged = 0;
                for (int i = 0; i < count; i++)
                {
                    int f = FieldAt(start + i);
                    int raw = Word(data, offset, i);
                    if (f < 0)
                    {
                        if (raw != 0) { _ep.ClearStaged(); return ExIllegalValue; } // reserved slot of a limit row: must be 0
                        continue;
                    }
                    bool signed = _fields.ModbusSigned(f);
                    if ((signed && raw == Scaling.SignedUnknown) || (!signed && raw == Scaling.UnsignedUnknown)) { _ep.ClearStaged(); return ExIllegalValue; }
                    int v = signed && raw >= 0x8000 ? raw - 0x10000 : raw;
                    _ep.Stage(f, v / _fields.ModbusScale(f));
                    staged++;
                }
                // Only reserved slots, all 0: ignored, as the map says (06 of 0 to field 7 of a row); one entry, nothing changes.
                if (staged == 0) { LogRequest(WriteLog.ActionSet, start, count, WriteLog.ResultAccepted, nowMs); return 0; }
                return ResultToException(_ep.ApplyStaged(session, WriteLog.SourceModbus, nowMs, start, count));
            }
            return ExIllegalAddress;
        }

        /// <summary>
        /// A SunSpec write: one writable point (each is one register), checked as every other write: the key
        /// first (exception 01, logged), then the action. AlmRst clears the latched trips as the command
        /// register does (refused, exception 04, while a condition persists). SetOp 2 (DISCONNECT) opens the
        /// contactor and holds it open, 1 (CONNECT) ends the hold and nothing more: the loop still decides
        /// whether it closes. The other writable points (DA, reserves, inverter state, controller heartbeat)
        /// are not the port's to set: refused, logged, 03; so is any other value.
        /// </summary>
        private int WriteSunSpec(int start, int count, byte[] data, int offset, long nowMs)
        {
            if (count != 1 || !SunSpec.StartsPoint(start) || SunSpec.WriteKind(start) == SunSpecMap.WriteNone) return ExIllegalAddress;
            AuthSession session = _ep.ModbusSession;
            if (!_ep.Authorised(session, nowMs)) return Unauthorised(WriteLog.ActionSet, start, count, nowMs);
            if (SunSpec.WriteKind(start) == SunSpecMap.WriteAlarmReset && Word(data, offset, 0) == 1) // 1 = Reset
            {
                int r = _ep.ClearTrips(session, WriteLog.SourceModbus, nowMs);
                return r == WriteLog.ResultRefused ? ExDeviceFailure : ResultToException(r);
            }
            int value = Word(data, offset, 0);
            if (SunSpec.WriteKind(start) == SunSpecMap.WriteSetOperation && (value == 1 || value == 2)) // CONNECT, DISCONNECT
                return ResultToException(_ep.SetOperation(session, WriteLog.SourceModbus, value == 1, nowMs, start, count));
            LogRequest(WriteLog.ActionSet, start, count, WriteLog.ResultRefused, nowMs);
            return ExIllegalValue;
        }

        /// <summary>A locked write: one log entry for the request (its register range), exception 01.</summary>
        private int Unauthorised(int action, int start, int count, long nowMs)
        {
            LogRequest(action, start, count, WriteLog.ResultNotAuthorised, nowMs);
            return ExIllegalFunction;
        }

        /// <summary>One log entry for a request whose values set no field: its register range only.</summary>
        private void LogRequest(int action, int start, int count, int result, long nowMs)
        {
            _ep.Log.Add(nowMs, WriteLog.SourceModbus, action, -1, 0, 0, start, count, result);
        }

        private static int ResultToException(int result)
        {
            if (result == WriteLog.ResultAccepted) return 0;
            if (result == WriteLog.ResultNotAuthorised) return ExIllegalFunction; // "server in the wrong state": locked
            if (result == WriteLog.ResultRefused) return ExIllegalValue;
            return ExDeviceFailure;
        }
    }
}
