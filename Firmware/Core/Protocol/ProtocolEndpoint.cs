using SolidBms.Core.Config;
using SolidBms.Core.Hal;
using SolidBms.Core.Lab;
using SolidBms.Core.Loop;
using SolidBms.Core.Safety;
using SolidBms.Core.Util;

namespace SolidBms.Core.Protocol
{
    /// <summary>
    /// The controller's serial side, called once per tick: reads what arrived on the line port and the Modbus
    /// port, answers complete commands and frames, and sends the telemetry frame when it is due. Holds what
    /// both ports share: the device key check, one session per port, the write log, capture and clock offset.
    /// Every state-changing action goes through the methods here, which authorise and log it.
    /// Per tick without input it allocates nothing; only a configuration change allocates (the profile text).
    /// </summary>
    public sealed class ProtocolEndpoint
    {
        /// <summary>Bytes taken from each port per tick: bounds the tick's time whatever a sender does.</summary>
        public const int MaxBytesPerTick = 512;

        private readonly BmsController _c;
        private readonly ISerialPort _linePort;
        private readonly ISerialPort _modbusPort;
        private readonly byte[] _rx = new byte[64];
        private readonly LineReader _reader = new LineReader(LineProtocol.MaxCommandLength);
        private readonly LineCommands _commands;
        private readonly ModbusRtuSlave _modbus;
        private readonly TelemetryFrame _frame;
        // One writer for the line port's output: a download's lines and a command's response are each written to the port
        // as soon as they are formatted, on the same tick, one after the other (a download step first, then the response).
        private readonly AsciiWriter _lineOut = new AsciiWriter(LineOutBytes);
        private const int LineOutBytes = LabDownload.LinesPerTick * 160 + 80 > 1024 ? LabDownload.LinesPerTick * 160 + 80 : 1024;
        private readonly bool[] _staged;
        private readonly double[] _stagedValues;
        private const int ProfileTextBytes = 6144; // ~3.3 kB: 19 limits, extras and the [derating] tables
        private readonly int _boardPeriodMs;
        private LimitProfile _startupProfile; // the last profile from the board's own files: the authority's baseline
        private LimitProfile _portProfile;    // the last profile this endpoint applied
        private long _unixOffsetMs;
        private bool _timeSet;
        private long _lastTelemetryMs;
        private bool _sentTelemetry;

        public ProtocolEndpoint(BmsController controller, ISerialPort linePort, ISerialPort modbusPort)
        {
            _c = controller;
            _linePort = linePort;
            _modbusPort = modbusPort;
            _boardPeriodMs = controller.Board.TelemetryPeriodMs;
            Fields = new ProfileFields();
            _staged = new bool[Fields.Count];
            _stagedValues = new double[Fields.Count];
            Log = new WriteLog();
            Auth = new DeviceAuth(controller.Board.DeviceKey);
            LineSession = new AuthSession();
            ModbusSession = new AuthSession();
            _frame = new TelemetryFrame(controller.Board.CellCount, controller.Board.StackCount);
            _commands = new LineCommands(this, controller);
            _modbus = new ModbusRtuSlave(controller.Board.ModbusAddress, modbusPort, new ModbusRegisterMap(this, controller));
            TelemetryPeriodMs = _boardPeriodMs;
            Download = new LabDownload();
        }

        public ProfileFields Fields { get; private set; }

        /// <summary>EVENTS and CAPTURE DUMP downloads in progress (a few lines per tick).</summary>
        public LabDownload Download { get; private set; }
        public WriteLog Log { get; private set; }
        public DeviceAuth Auth { get; private set; }
        public AuthSession LineSession { get; private set; }
        public AuthSession ModbusSession { get; private set; }
        public ModbusRtuSlave Modbus { get { return _modbus; } }
        public BmsController Controller { get { return _c; } }

        /// <summary>The abuse-test mode is armed (chosen trips do not actuate): the "X" field and status bit 11.</summary>
        public bool AbuseTestArmed { get { return _c.Abuse.Armed; } }

        public int AbuseRemainingS(long nowMs)
        {
            if (!_c.Abuse.Armed || _c.Abuse.ExpiresAtMs <= nowMs) return 0;
            long s = (_c.Abuse.ExpiresAtMs - nowMs + 999) / 1000;
            return s > 65535 ? 65535 : (int)s;
        }

        public bool CaptureActive { get; private set; }
        public int TelemetryPeriodMs { get; private set; }
        public long FramesSent { get; private set; }
        public long TelemetryDropped { get; private set; }
        public long ResponsesDropped { get; private set; }

        /// <summary>
        /// The profile a port change is judged against (SettingAuthority): the one in force when the endpoint
        /// started, or whatever a file load (not a port) put in force since.
        /// </summary>
        public LimitProfile StartupProfile
        {
            get
            {
                LimitProfile inForce = _c.Supervisor.Profile;
                if (_startupProfile == null || (inForce != _portProfile && inForce != _startupProfile)) _startupProfile = inForce;
                return _startupProfile;
            }
        }

        /// <summary>Why the last refused action was refused (a profile error names the key), for the response.</summary>
        public string LastRefusal { get; private set; }

        /// <summary>The last telemetry frame formatted (tests, the simulator's own log).</summary>
        public AsciiWriter LastFrame { get { return _frame.Writer; } }

        public void Service(long nowMs)
        {
            // A download continues first, so the command that starts one is answered alone on its tick.
            if (_linePort != null && Download.Busy && Download.Step(_c.Lab, _c.Board.CellCount, _lineOut)
                && _linePort.Write(_lineOut.Buffer, 0, _lineOut.Length) < _lineOut.Length) ResponsesDropped++;
            if (_linePort != null) PollLine(nowMs);
            if (_modbusPort != null) _modbus.Poll(nowMs);
            if (_linePort != null && (!_sentTelemetry || nowMs - _lastTelemetryMs >= TelemetryPeriodMs))
            {
                _sentTelemetry = true;
                _lastTelemetryMs = nowMs;
                _frame.Format(_c, FramesSent, nowMs, UnixSeconds(nowMs), Status(nowMs), AbuseTestArmed, _c.Abuse.InhibitMask);
                FramesSent++;
                var w = _frame.Writer;
                if (_linePort.Write(w.Buffer, 0, w.Length) < w.Length) TelemetryDropped++;
            }
        }

        private void PollLine(long nowMs)
        {
            int budget = MaxBytesPerTick;
            while (budget > 0)
            {
                int n = _linePort.Read(_rx, 0, budget < _rx.Length ? budget : _rx.Length);
                if (n <= 0) break;
                budget -= n;
                for (int i = 0; i < n; i++)
                {
                    int r = _reader.Push(_rx[i]);
                    if (r == LineReader.None) continue;
                    _lineOut.Clear();
                    if (r == LineReader.Overlong) _commands.Overlong(_lineOut);
                    else _commands.Handle(_reader.Buffer, _reader.LineLength, nowMs, _lineOut);
                    if (_lineOut.Length > 0 && _linePort.Write(_lineOut.Buffer, 0, _lineOut.Length) < _lineOut.Length) ResponsesDropped++;
                }
            }
        }

        /// <summary>The status word (StatusBits), as in telemetry and Modbus input register 5.</summary>
        public int Status(long nowMs)
        {
            SafetySupervisor s = _c.Supervisor;
            int b = 0;
            if (_c.AnyTrip) b |= StatusBits.TripLatched; // limits, sensors and a failed contactor
            if (s.AnyAlarm) b |= StatusBits.Alarm;
            if (s.AnyWarning || _c.LastConfigError != null) b |= StatusBits.Warning;
            if (s.ChargeAllowed) b |= StatusBits.ChargeAllowed;
            if (s.DischargeAllowed) b |= StatusBits.DischargeAllowed;
            if (_c.Outputs.MainClosed) b |= StatusBits.ContactorClosed;
            if (LineSession.IsUnlocked(nowMs)) b |= StatusBits.LineUnlocked;
            if (ModbusSession.IsUnlocked(nowMs)) b |= StatusBits.ModbusUnlocked;
            if (Auth.IsLockedOut(nowMs)) b |= StatusBits.AuthLockout;
            if (CaptureActive) b |= StatusBits.CaptureActive;
            if (_timeSet) b |= StatusBits.TimeSet;
            if (AbuseTestArmed) b |= StatusBits.AbuseTestArmed;
            if (Auth.IsPlaceholder) b |= StatusBits.PlaceholderKey;
            return b;
        }

        /// <summary>Wall-clock seconds since 1970 from the last TIME set, -1 until set.</summary>
        public long UnixSeconds(long nowMs) { return _timeSet ? (nowMs + _unixOffsetMs) / 1000 : -1; }

        // ---- authorised, logged actions (both ports) ----

        /// <summary>
        /// The one gate of every write: the port's session is unlocked. When not, <see cref="LastRefusal"/> says
        /// why (with the placeholder key set, that the key must be changed: no unlock is possible then).
        /// </summary>
        public bool Authorised(AuthSession session, long nowMs)
        {
            if (session.IsUnlocked(nowMs)) return true;
            LastRefusal = Auth.IsPlaceholder ? DeviceAuth.PlaceholderRefusal : "not authorised: UNLOCK first";
            return false;
        }

        public int Unlock(AuthSession session, int source, byte[] key, int offset, int count, long nowMs)
        {
            int r = Auth.TryUnlock(key, offset, count, nowMs);
            if (r == DeviceAuth.Unlocked) session.Unlock(nowMs);
            int result = r == DeviceAuth.Unlocked ? WriteLog.ResultAccepted
                : (r == DeviceAuth.BadKey ? WriteLog.ResultBadKey : (r == DeviceAuth.Placeholder ? WriteLog.ResultNotAuthorised : WriteLog.ResultLockedOut));
            if (r == DeviceAuth.Placeholder) LastRefusal = DeviceAuth.PlaceholderRefusal;
            Log.Add(nowMs, source, WriteLog.ActionUnlock, -1, 0, result);
            Event(result == WriteLog.ResultAccepted ? EventKind.Unlocked : EventKind.UnlockRefused,
                (ushort)(result == WriteLog.ResultLockedOut ? 3 : (r == DeviceAuth.Placeholder ? 4 : 0)), nowMs);
            return result;
        }

        public void Lock(AuthSession session, int source, long nowMs)
        {
            session.Lock();
            Log.Add(nowMs, source, WriteLog.ActionLock, -1, 0, WriteLog.ResultAccepted);
        }

        public void ClearStaged()
        {
            for (int i = 0; i < _staged.Length; i++) _staged[i] = false;
        }

        /// <summary>Queues a profile field for <see cref="ApplyStaged"/> (several fields change together, in one validation).</summary>
        public void Stage(int field, double value)
        {
            _staged[field] = true;
            _stagedValues[field] = value;
        }

        /// <summary>
        /// Applies the staged fields as one new profile, validated like a profile file and then by the port
        /// authority (SettingAuthority: no protection switched off, no trip past the cell's ratings); refused
        /// whole if any check fails (the profile in force stays). One log entry for the request, naming its
        /// first field, how many it carried and (Modbus) its register range.
        /// </summary>
        public int ApplyStaged(AuthSession session, int source, long nowMs) { return ApplyStaged(session, source, nowMs, -1, 0); }

        public int ApplyStaged(AuthSession session, int source, long nowMs, int firstRegister, int registerCount)
        {
            int result;
            if (!Authorised(session, nowMs)) result = WriteLog.ResultNotAuthorised;
            else
            {
                // The one allocation of the protocol: a configuration change builds and parses the profile text (its
                // writer too: 6 KiB the ESP32's heap need not hold between changes).
                LimitProfile startup = StartupProfile;
                AsciiWriter profileText = new AsciiWriter(ProfileTextBytes);
                Fields.WriteText(_c.Supervisor.Profile, _staged, _stagedValues, profileText);
                string error = "profile text too long", text = null;
                LimitProfile candidate = null; // assigned so that a mutated && still compiles (mutation testing)
                // Validated here first: a refused write is the writer's error, answered to the writer; it must not
                // raise the controller's configRejected warning (that is for a bad profile file at start-up).
                bool ok = !profileText.Overflowed && LimitProfile.TryLoad(text = profileText.ToText(), "protocol", out candidate, out error)
                    && (error = SettingAuthority.Check(startup, _c.Supervisor.Profile, candidate, _c.Cell == null ? null : _c.Cell.Ratings)) == null
                    && _c.TryApplyProfile(text, "protocol", out error);
                result = ok ? WriteLog.ResultAccepted : WriteLog.ResultRefused;
                LastRefusal = ok ? null : error;
                if (ok) { _portProfile = _c.Supervisor.Profile; session.Touch(nowMs); }
                else Event(EventKind.ConfigRejected, (ushort)FirstStaged(), nowMs);
            }
            int first = FirstStaged(), fields = 0;
            for (int i = 0; i < _staged.Length; i++)
            {
                if (!_staged[i]) continue;
                fields++;
                if (result == WriteLog.ResultAccepted) Event(EventKind.SettingWritten, (ushort)i, nowMs);
            }
            Log.Add(nowMs, source, WriteLog.ActionSet, first, _stagedValues[first], fields, firstRegister, registerCount, result);
            ClearStaged();
            return result;
        }

        private int FirstStaged()
        {
            for (int i = 0; i < _staged.Length; i++) if (_staged[i]) return i;
            return 0;
        }

        /// <summary>Into the flash event log, where the board has one (the controller logs its own changes there too).</summary>
        private void Event(EventKind kind, ushort code, long nowMs)
        {
            if (_c.Lab != null) _c.Lab.Append(kind, code, _c.Measurement, _c.Estimator.PackSoc, (byte)_c.State, nowMs);
        }

        /// <summary>Abuse test, step 1 (unlock required; the controller checks and logs it too).</summary>
        public int AbuseRequest(AuthSession session, int source, string testName, uint inhibitMask, int expiryMs, long nowMs)
        {
            bool unlocked = session.IsUnlocked(nowMs);
            string error;
            bool ok = _c.RequestAbuseTest(testName, inhibitMask, expiryMs, unlocked, out error);
            int result = ok ? WriteLog.ResultAccepted : (unlocked ? WriteLog.ResultRefused : WriteLog.ResultNotAuthorised);
            LastRefusal = error;
            if (!unlocked) Authorised(session, nowMs); // the reason: unlock first, or change the placeholder key
            if (ok) session.Touch(nowMs);
            Log.Add(nowMs, source, WriteLog.ActionAbuseRequest, -1, inhibitMask, result);
            return result;
        }

        /// <summary>Abuse test, step 2: the confirmation repeating the test name arms it.</summary>
        public int AbuseConfirm(AuthSession session, int source, string testName, long nowMs)
        {
            bool unlocked = session.IsUnlocked(nowMs);
            string error;
            bool ok = _c.ConfirmAbuseTest(testName, unlocked, out error);
            int result = ok ? WriteLog.ResultAccepted : (unlocked ? WriteLog.ResultRefused : WriteLog.ResultNotAuthorised);
            LastRefusal = error;
            if (!unlocked) Authorised(session, nowMs);
            if (ok) session.Touch(nowMs);
            Log.Add(nowMs, source, WriteLog.ActionAbuseConfirm, -1, ok ? _c.Abuse.InhibitMask : 0, result);
            return result;
        }

        /// <summary>
        /// Triggers the lab's high-rate capture now. Needs the unlock: a held manual window would otherwise let
        /// anyone decide what the capture shows (a real trip still replaces a manual window: CaptureBuffer).
        /// Goes to the flash event log.
        /// </summary>
        public int CaptureTrigger(AuthSession session, int source, long nowMs)
        {
            int result = WriteLog.ResultAccepted;
            if (!Authorised(session, nowMs)) result = WriteLog.ResultNotAuthorised;
            else if (_c.Lab == null || _c.Lab.Capture == null) { result = WriteLog.ResultRefused; LastRefusal = "this board has no capture buffer"; }
            else if (!_c.Lab.Capture.Trigger(nowMs, false)) { result = WriteLog.ResultRefused; LastRefusal = "a capture is in progress or held: release it first"; }
            else { session.Touch(nowMs); Event(EventKind.CaptureTriggered, CaptureBuffer.TriggerManual, nowMs); }
            Log.Add(nowMs, source, WriteLog.ActionCaptureTrigger, -1, 0, result);
            return result;
        }

        /// <summary>
        /// Releases a capture back to continuous recording: discards evidence, so it needs the unlock, and a trip's
        /// window is released only once held and downloaded (CAPTURE DUMP to its end). Goes to the flash event log.
        /// </summary>
        public int CaptureRelease(AuthSession session, int source, long nowMs)
        {
            int result = WriteLog.ResultAccepted;
            if (!Authorised(session, nowMs)) result = WriteLog.ResultNotAuthorised;
            else if (_c.Lab == null || _c.Lab.Capture == null) { result = WriteLog.ResultRefused; LastRefusal = "this board has no capture buffer"; }
            else if (!_c.Lab.Capture.MayRelease)
            {
                result = WriteLog.ResultRefused;
                LastRefusal = _c.Lab.Capture.Frozen ? "the trip's capture window has not been downloaded: CAPTURE DUMP it to the end first"
                    : "the trip's capture window is still recording: it can be released once held and downloaded";
            }
            else
            {
                Event(EventKind.CaptureReleased, (ushort)(_c.Lab.Capture.Frozen ? 1 : 0), nowMs);
                _c.Lab.Capture.Release();
                session.Touch(nowMs);
            }
            Log.Add(nowMs, source, WriteLog.ActionCaptureRelease, -1, 0, result);
            return result;
        }

        /// <summary>Disarming only restores protection, so it needs no unlock.</summary>
        public void AbuseDisarm(int source, long nowMs)
        {
            _c.DisarmAbuseTest();
            Log.Add(nowMs, source, WriteLog.ActionAbuseDisarm, -1, 0, WriteLog.ResultAccepted);
        }

        /// <summary>Clears every latched trip, or none: refused (nothing cleared) if any trip's condition persists.</summary>
        public int ClearTrips(AuthSession session, int source, long nowMs)
        {
            int result;
            if (!Authorised(session, nowMs)) result = WriteLog.ResultNotAuthorised;
            else if (_c.TryClearTrips())
            {
                result = WriteLog.ResultAccepted;
                session.Touch(nowMs);
            }
            else
            {
                result = WriteLog.ResultRefused;
                LastRefusal = "a trip condition is still present";
            }
            Log.Add(nowMs, source, WriteLog.ActionClearTrips, -1, 0, result);
            return result;
        }

        /// <summary>
        /// A key holder's disconnect (the contactor opens now and is held open) or connect (the hold ends; the loop still
        /// decides, so a latched trip, a sensor fault or start-up keeps it open). One log entry per request, with the
        /// Modbus register range (-1 for none).
        /// </summary>
        public int SetOperation(AuthSession session, int source, bool connect, long nowMs, int firstRegister, int registerCount)
        {
            int result = WriteLog.ResultAccepted;
            if (!Authorised(session, nowMs)) result = WriteLog.ResultNotAuthorised;
            else
            {
                _c.SetOperatorDisconnect(!connect, nowMs);
                session.Touch(nowMs);
            }
            Log.Add(nowMs, source, connect ? WriteLog.ActionConnect : WriteLog.ActionDisconnect, -1, 0, 0, firstRegister, registerCount, result);
            return result;
        }

        public const long MaxUnixSeconds = 4294967295L;

        public int SetTime(AuthSession session, int source, long unixS, long nowMs)
        {
            int result;
            if (!Authorised(session, nowMs)) result = WriteLog.ResultNotAuthorised;
            else if (unixS <= 0 || unixS > MaxUnixSeconds)
            {
                result = WriteLog.ResultRefused;
                LastRefusal = "time must be 1..4294967295 s since 1970";
            }
            else
            {
                _unixOffsetMs = unixS * 1000 - nowMs;
                _timeSet = true;
                result = WriteLog.ResultAccepted;
                session.Touch(nowMs);
            }
            Log.Add(nowMs, source, WriteLog.ActionSetTime, -1, unixS, result);
            return result;
        }

        /// <summary>
        /// Capture: telemetry at the given period (down to every tick) until stopped, for lab logging at full
        /// rate. Open to all: it changes only how often the read-only stream is sent. Logged like a write.
        /// </summary>
        public int Capture(bool start, int periodMs, int source, long nowMs)
        {
            int tick = _c.Board.TickMs;
            if (start && (periodMs < tick || periodMs > 60000))
            {
                LastRefusal = "period must be from the tick to 60000 ms";
                Log.Add(nowMs, source, WriteLog.ActionCaptureStart, -1, periodMs, WriteLog.ResultRefused);
                return WriteLog.ResultRefused;
            }
            CaptureActive = start;
            TelemetryPeriodMs = start ? periodMs : _boardPeriodMs;
            Log.Add(nowMs, source, start ? WriteLog.ActionCaptureStart : WriteLog.ActionCaptureStop, -1, start ? periodMs : 0, WriteLog.ResultAccepted);
            return WriteLog.ResultAccepted;
        }
    }
}
