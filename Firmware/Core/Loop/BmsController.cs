using SolidBms.Core.Actuation;
using SolidBms.Core.Balancing;
using SolidBms.Core.Config;
using SolidBms.Core.Estimation;
using SolidBms.Core.Hal;
using SolidBms.Core.Lab;
using SolidBms.Core.Measurement;
using SolidBms.Core.Protocol;
using SolidBms.Core.Safety;
using SolidBms.Core.Util;

namespace SolidBms.Core.Loop
{
    /// <summary>
    /// The control loop: every tick measures, estimates, protects, actuates and reports, in that order,
    /// from the injected clock. Everything it touches is sized at construction; a tick allocates nothing.
    /// </summary>
    public sealed class BmsController
    {
        private readonly IPackSensors _sensors;
        private readonly ISensorDiagnostics _diagnostics; // the front end's bus-recovery log, if it keeps one (cast once)
        private readonly OutputStage _outputs;
        private readonly IWatchdog _watchdog;
        private readonly IMonotonicClock _clock;
        private readonly ProtocolEndpoint _protocol; // telemetry, commands, Modbus
        private readonly ContactorInputs _contactorInputs = new ContactorInputs();
        private IStageTimer _stageTimer;
        private SocMemory _socMemory; // the estimator's state across resets; null on a board without one
        private bool _restoreToLog; // a saved state was offered: log what the estimator made of it once it starts
        private readonly long[] _stageTicks = new long[TickStage.Count];

        /// <summary>The board's measurement front end (drv: exposed for telemetry of I2C fault counters and tests).</summary>
        public IPackSensors Sensors { get { return _sensors; } }

        public BmsController(BoardConfig board, LimitProfile profile, CellModel cell, IPackSensors sensors, OutputStage outputs,
            ISerialPort telemetryPort, IWatchdog watchdog, IMonotonicClock clock)
            : this(board, profile, cell, sensors, outputs, telemetryPort, null, watchdog, clock)
        {
        }

        /// <param name="modbusPort">Second serial port for the Modbus RTU slave (null: none).</param>
        public BmsController(BoardConfig board, LimitProfile profile, CellModel cell, IPackSensors sensors, OutputStage outputs,
            ISerialPort telemetryPort, ISerialPort modbusPort, IWatchdog watchdog, IMonotonicClock clock)
        {
            Board = board;
            Cell = cell;
            _sensors = sensors;
            _diagnostics = sensors as ISensorDiagnostics;
            _outputs = outputs;
            _watchdog = watchdog;
            _clock = clock;
            Measurement = new PackMeasurement(board.CellCount, board.StackCount);
            Estimator = new StateEstimator(cell, board.CellCount);
            Supervisor = new SafetySupervisor(profile, board.CellCount, board.StackCount, board.TickMs);
            Timer = new LoopTimer(board.TickMs);
            State = BmsState.Init;
            Abuse = new AbuseTestMode();
            var bleed = sensors as ICellBleed; // a front end with bleed switches (GPIO per cell, or the BQ76952's)
            if (board.Balancing != null && bleed != null) Balancer = new CellBalancer(board.Balancing, board.CellCount, bleed, Estimator);
            _protocol = new ProtocolEndpoint(this, telemetryPort, modbusPort);
            _outputs.ForceSafe(clock.NowMilliseconds);
            if (_watchdog != null) _watchdog.Start(board.WatchdogTimeoutMs);
        }

        public BoardConfig Board { get; private set; }

        /// <summary>The firmware's cell model (its [ratings] bound what a key holder may change over a port).</summary>
        public CellModel Cell { get; private set; }

        public PackMeasurement Measurement { get; private set; }

        public StateEstimator Estimator { get; private set; }

        public SafetySupervisor Supervisor { get; private set; }

        public OutputStage Outputs { get { return _outputs; } }

        public LoopTimer Timer { get; private set; }

        public BmsState State { get; private set; }

        /// <summary>The balancing stage; null on a rig without bleed hardware ([balancing] in the board file).</summary>
        public CellBalancer Balancer { get; private set; }

        /// <summary>Guarded abuse-test mode (RAM only: every start-up begins disarmed).</summary>
        public AbuseTestMode Abuse { get; private set; }

        /// <summary>Event log and capture; null until <see cref="AttachLab"/>.</summary>
        public LabRecorder Lab { get; private set; }

        /// <summary>The second line of defence the board declares ([secondMeans]); null on a board without one (a weld is then reported only).</summary>
        public SecondLineOfDefence SecondLine { get; private set; }

        /// <summary>Gives the loop the board's second means (composition time).</summary>
        public void AttachSecondLine(SecondLineOfDefence secondLine)
        {
            SecondLine = secondLine;
        }

        /// <summary>Abuse-test request (step 1); refusals are logged. Authorisation (unlock) is the caller's to state.</summary>
        public bool RequestAbuseTest(string testName, uint inhibitMask, int expiryMs, bool unlocked, out string error)
        {
            long now = _clock.NowMilliseconds;
            bool ok;
            if ((inhibitMask & ~InhibitableClasses) != 0)
            {
                error = "only limit classes (bits 0.." + (Supervisor.Monitors.Length - 1).ToString() + ") except shortCircuit and loopLate may be inhibited: a short or a stalled loop would leave the rig itself unprotected, a sensor fault the other limits blind";
                ok = false;
            }
            else ok = Abuse.TryRequest(testName, inhibitMask, expiryMs, unlocked, now, out error);
            if (!ok) Log(EventKind.UnlockRefused, 1);
            return ok;
        }

        /// <summary>
        /// Fault classes an abuse test may inhibit: the limits, except shortCircuit and loopLate. A short through a
        /// closed contactor endangers the rig's wiring and contactor, not just the cell under test (an external-short
        /// test wires the cell outside the BMS's contactor), and a stalled loop protects nothing. Never a sensor class
        /// (the other limits would then run on unknown data), never contactor faults or the watchdog (not in the mask).
        /// </summary>
        public uint InhibitableClasses
        {
            get
            {
                int limits = Supervisor.Monitors.Length;
                uint mask = limits >= 32 ? 0xFFFFFFFFu : (1u << limits) - 1u;
                for (int c = 0; c < limits; c++)
                {
                    LevelLimit limit = Supervisor.Monitors[c].Limit;
                    if (limit == Supervisor.Profile.LoopLate || limit == Supervisor.Profile.ShortCircuit) mask &= ~(1u << c);
                }
                return mask;
            }
        }

        /// <summary>Abuse-test confirmation (step 2): arms, and logs the arming with the inhibit mask.</summary>
        public bool ConfirmAbuseTest(string testName, bool unlocked, out string error)
        {
            bool ok = Abuse.TryConfirm(testName, unlocked, _clock.NowMilliseconds, out error);
            Log(ok ? EventKind.AbuseArmed : EventKind.UnlockRefused, ok ? Abuse.InhibitMask : 2u); // the whole mask: the record's code holds 24 bits
            return ok;
        }

        public void DisarmAbuseTest()
        {
            if (!Abuse.Armed) return;
            Abuse.Disarm();
            Log(EventKind.AbuseDisarmed, 0);
        }

        /// <summary>Every bus recovery the front end made since the last tick, into the event log.</summary>
        private void LogSensorRecoveries()
        {
            if (_diagnostics == null || Lab == null) return;
            int device;
            while (_diagnostics.TakeRecovery(out device)) Log(EventKind.SensorBusRecovered, (ushort)device);
        }

        private void Log(EventKind kind, uint code)
        {
            if (Lab != null) Lab.Append(kind, code, Measurement, Estimator.PackSoc, (byte)State, _clock.NowMilliseconds);
        }

        /// <summary>Attaches the event log and high-rate capture (flash and RAM the board provides) and logs the reset.</summary>
        public void AttachLab(EventLog log, CaptureBuffer capture)
        {
            Lab = new LabRecorder(log, capture, Supervisor.FaultClassCount);
            Lab.OnReset(_watchdog != null ? _watchdog.LastResetCause : ResetCause.Unknown, Measurement, _clock.NowMilliseconds);
        }

        /// <summary>
        /// Attaches the flash that keeps the estimator's state across resets (<see cref="SocMemory"/>) and hands the saved
        /// state, if any, to the estimator's start. A saved state that cannot be used is logged (SocRestore, code why); a
        /// fresh device (nothing saved) logs nothing. Call before the first tick, after <see cref="AttachLab"/>.
        /// </summary>
        public void AttachSocMemory(SocMemory memory)
        {
            _socMemory = memory;
            if (!memory.HasSaved) return;
            int check = memory.CheckRestore();
            if (check != SocMemory.Restored)
            {
                Log(EventKind.SocRestore, (uint)check);
                return;
            }
            Estimator.RestoreFrom(memory.Saved);
            _restoreToLog = true;
        }

        private void KeepSocAcrossResets(long now)
        {
            if (_restoreToLog && Estimator.Initialised)
            {
                _restoreToLog = false;
                Log(EventKind.SocRestore, (uint)Estimator.RestoreOutcome);
            }
            _socMemory.OnTick(Estimator, now);
        }

        /// <summary>Reported current limits, A: the smaller of the supervisor's and the estimator's state of power (est).</summary>
        public float ChargeLimitA { get { return FastMath.Min(Supervisor.ChargeLimitA, Estimator.ChargeLimitA); } }

        public float DischargeLimitA { get { return FastMath.Min(Supervisor.DischargeLimitA, Estimator.DischargeLimitA); } }

        /// <summary>Telemetry lines the port could not take whole.</summary>
        public long TelemetryDropped { get { return _protocol.TelemetryDropped; } }

        /// <summary>The serial side: line protocol, Modbus, authorisation, write log.</summary>
        public ProtocolEndpoint Protocol { get { return _protocol; } }

        /// <summary>
        /// Optional time source for the per-stage split of each tick (the bench on the host, the on-device timing test).
        /// Null (the default): off, one null test per stage.
        /// </summary>
        public IStageTimer StageTimer { get { return _stageTimer; } set { _stageTimer = value; } }

        /// <summary>How long a stage (<see cref="TickStage"/>) took in the last tick, in the stage timer's units (0 when off).</summary>
        public long StageTicks(int stage) { return _stageTicks[stage]; }

        private long EndStage(IStageTimer timer, int stage, long start)
        {
            long end = timer.NowTicks();
            _stageTicks[stage] = end - start;
            return end;
        }

        /// <summary>One pass of the loop. Call when <see cref="LoopTimer.IsDue"/> says so.</summary>
        public void Tick()
        {
            IStageTimer timer = _stageTimer;
            long mark = timer != null ? timer.NowTicks() : 0;
            long now = _clock.NowMilliseconds;
            // The parts in locals: each property is a call on the device's interpreter, some forty a tick otherwise.
            PackMeasurement m = Measurement;
            StateEstimator estimator = Estimator;
            SafetySupervisor supervisor = Supervisor;
            LoopTimer loop = Timer;
            LimitProfile profile = supervisor.Profile;
            loop.MarkTick(now);

            // Measure: every reading gets a fresh status; nothing is carried over from the last tick.
            m.Invalidate();
            m.TimestampMs = now;
            _sensors.Acquire(m, now);
            LogSensorRecoveries(); // I2C bus recoveries into the event log
            if (timer != null) mark = EndStage(timer, TickStage.Measure, mark);

            // Estimate
            estimator.Update(m, loop.ElapsedMs);
            estimator.UpdatePowerLimits(m, profile); // state of power
            if (_socMemory != null) KeepSocAcrossResets(now);
            if (timer != null) mark = EndStage(timer, TickStage.Estimate, mark);

            // Protect (an armed abuse test inhibits the actuation of chosen classes; detection is unchanged)
            AbuseTestMode abuse = Abuse;
            if (abuse.Update(now) && Lab != null) Lab.Append(EventKind.AbuseDisarmed, 1, m, estimator.PackSoc, (byte)State, now);
            supervisor.SetInhibitMask(abuse.Armed ? abuse.InhibitMask : 0u);
            supervisor.SetReportedChargeLimit(ChargeLimitA); // last tick's combined limit: what the charger was told
            supervisor.Evaluate(m, now, loop.ElapsedMs - loop.PeriodMs, estimator.R0GrowthPercentMax);
            if (timer != null) mark = EndStage(timer, TickStage.Protect, mark);

            // Actuate
            BmsState state = DecideState();
            bool connect = state != BmsState.Safe && state != BmsState.Init && !OperatorDisconnect;
            ContactorInputs inputs = _contactorInputs;
            inputs.PackMillivolts = supervisor.PackMillivolts; // this tick's sum, from the protect stage
            inputs.LinkMillivolts = m.LinkStatus == SensorStatus.Ok ? m.LinkMillivolts : float.NaN;
            inputs.LinkSensorFitted = Board.LinkAdcChannel >= 0;
            SensorStatus currentStatus = m.PackCurrentStatus;
            float currentA = m.PackCurrentA;
            inputs.CurrentMagnitudeA = currentStatus == SensorStatus.Ok || currentStatus == SensorStatus.OverRange
                ? (currentA < 0 ? -currentA : currentA) : float.NaN;
            inputs.IdleA = profile.IdleCurrentA;
            ContactorController contactor = _outputs.Contactor;
            _outputs.Apply(connect, supervisor.ChargeAllowed, supervisor.DischargeAllowed, supervisor.AnyAlarm || AnyTrip, inputs, now);
            if (contactor.State == ContactorState.Failed && state != BmsState.Safe)
            {
                state = BmsState.Safe;
                _outputs.ForceSafe(now);
            }
            State = state;
            if (SecondLine != null && (SecondLine.Engaged || contactor.WeldDetected)) ActOnSecondLine(now); // nothing to do before a weld
            if (timer != null) mark = EndStage(timer, TickStage.Actuate, mark);

            // Balance: a low-rate stage (every few seconds), and at once when a trip, the safe state or a discharge must stop the bleed
            bool balanceStop = state == BmsState.Safe || state == BmsState.Init || AnyTrip;
            CellBalancer balancer = Balancer;
            if (balancer != null && balancer.IsDue(now, balanceStop, state == BmsState.Discharge)) balancer.Run(m, profile, balanceStop, now);
            if (timer != null) mark = EndStage(timer, TickStage.Balance, mark);

            if (Lab != null) Lab.OnTick(m, supervisor, estimator.PackSoc, (byte)state, now);
            if (timer != null) mark = EndStage(timer, TickStage.Record, mark);

            // Report and serve the ports (telemetry frame, commands, Modbus requests)
            _protocol.Service(now);

            if (_watchdog != null) _watchdog.Feed();
            if (timer != null) EndStage(timer, TickStage.Report, mark);
        }

        /// <summary>The weld verdict opens the second means; a current that persists with the cell voltages confirming the hazard blows the fuse.</summary>
        private void ActOnSecondLine(long now)
        {
            SafetySupervisor sup = Supervisor;
            bool overVoltage = sup.ClassTripLatched(SafetySupervisor.CellOverVoltageClass) || sup.ClassTripLatched(SafetySupervisor.PackOverVoltageClass);
            bool underVoltage = sup.ClassTripLatched(SafetySupervisor.CellUnderVoltageClass) || sup.ClassTripLatched(SafetySupervisor.PackUnderVoltageClass);
            SecondLineOfDefence second = SecondLine;
            int events = second.Update(_outputs.Contactor.WeldDetected, Measurement.PackCurrentStatus, Measurement.PackCurrentA, sup.Profile.IdleCurrentA, overVoltage, underVoltage, now);
            if (events == 0) return;
            int means = second.DisconnectMeans << 8;
            if ((events & SecondLineOfDefence.EventCommanded) != 0) Log(EventKind.SecondDisconnect, (ushort)(means | 1));
            if ((events & SecondLineOfDefence.EventCurrentStopped) != 0) Log(EventKind.SecondDisconnect, (ushort)(means | 2));
            if ((events & SecondLineOfDefence.EventFuseBlown) != 0) Log(EventKind.FuseBlown, (ushort)second.FuseMeans);
        }

        private bool SecondLineEngaged { get { return SecondLine != null && SecondLine.Engaged; } }

        private BmsState DecideState()
        {
            if (ActuatingTrip) return BmsState.Safe;
            if (State == BmsState.Init && (!Estimator.Initialised || !Measurement.AllCellVoltagesValid())) return BmsState.Init;
            if (Supervisor.AnyAlarm) return BmsState.Derate;
            float current = Measurement.PackCurrentA;
            float idle = Supervisor.Profile.IdleCurrentA;
            if (current > idle) return BmsState.Discharge;
            if (current < -idle) return BmsState.Charge;
            return BmsState.Idle;
        }

        /// <summary>Any latched trip: the supervisor's, a failed precharge or welded contactor, or the second line of defence engaged.</summary>
        public bool AnyTrip { get { return Supervisor.AnyTripLatched || _outputs.Contactor.State == ContactorState.Failed || SecondLineEngaged; } }

        /// <summary>A trip that drives the outputs: any latched trip not inhibited by an armed abuse test.</summary>
        public bool ActuatingTrip
        {
            get
            {
                return (Abuse.Armed ? Supervisor.AnyTripLatchedExcept(Abuse.InhibitMask) : Supervisor.AnyTripLatched)
                    || _outputs.Contactor.State == ContactorState.Failed || SecondLineEngaged;
            }
        }

        /// <summary>
        /// A key holder's disconnect (SunSpec 802 SetOp over Modbus): the contactor is held open until a connect request.
        /// RAM only (its changes are in the event log): a restart starts with no hold, the supervisor alone deciding (docs/modbus-register-map.md, "SunSpec").
        /// </summary>
        public bool OperatorDisconnect { get; private set; }

        /// <summary>
        /// Disconnect opens the outputs at once (the safe state's own call) and holds them open; connect only ends the
        /// hold: the contactor closes when, and only if, the loop's own decision allows it (no trip, no start-up).
        /// Authorisation and the write log are the caller's (ProtocolEndpoint.SetOperation).
        /// </summary>
        public void SetOperatorDisconnect(bool disconnect, long nowMs)
        {
            if (disconnect != OperatorDisconnect) Log(EventKind.OperatorDisconnect, disconnect ? 1u : 0u); // a change of the hold is evidence
            OperatorDisconnect = disconnect;
            if (disconnect) _outputs.ForceSafe(nowMs);
        }

        /// <summary>Why the last profile was refused (null once a profile has loaded since).</summary>
        public string LastConfigError { get; private set; }

        public const string ConfigRejectedFault = "configRejected:warning";
        public const string PrechargeFailedFault = "prechargeFailed:trip";
        public const string ContactorWeldedFault = "contactorWelded:trip";
        public const string SecondDisconnectFault = "secondDisconnect:trip";
        public const string FuseBlownFault = "fuseBlown:trip";

        /// <summary>Names of the active faults (copied into the caller's array), for reports.</summary>
        public int CopyFaultNames(string[] into)
        {
            int n = Supervisor.CopyFaultNames(into);
            if (n < into.Length && _outputs.Contactor.PrechargeFailed) into[n++] = PrechargeFailedFault;
            if (n < into.Length && _outputs.Contactor.WeldDetected) into[n++] = ContactorWeldedFault;
            if (n < into.Length && SecondLineEngaged) into[n++] = SecondDisconnectFault;
            if (n < into.Length && SecondLine != null && SecondLine.FuseBlown) into[n++] = FuseBlownFault;
            if (n < into.Length && LastConfigError != null) into[n++] = ConfigRejectedFault;
            return n;
        }

        /// <summary>
        /// Replaces the limit profile from text. A profile that does not validate is refused with the reason,
        /// and the profile in force stays.
        /// </summary>
        public bool TryApplyProfile(string text, string sourceName, out string error)
        {
            LimitProfile candidate;
            if (!LimitProfile.TryLoad(text, sourceName, out candidate, out error))
            {
                LastConfigError = error;
                Log(EventKind.ConfigRejected, 0);
                return false;
            }
            Supervisor.ApplyProfile(candidate);
            LastConfigError = null;
            Log(EventKind.ConfigChanged, 0);
            return true;
        }

        /// <summary>
        /// Authorised clear of latched trips (authorisation is the caller's: the protocol's unlock). All or nothing:
        /// if any trip's condition persists (or a welded contactor still carries current), nothing is cleared. Once the second
        /// line of defence has acted nothing is cleared until a restart: its means stays open, and the contactor is to be replaced.
        /// </summary>
        public bool TryClearTrips()
        {
            float currentA = _contactorInputs.CurrentMagnitudeA, idleA = Supervisor.Profile.IdleCurrentA;
            bool ok = !SecondLineEngaged && Supervisor.CanClearTrips() && _outputs.Contactor.CanClear(currentA, idleA)
                && Supervisor.TryClearTrips() && _outputs.Contactor.TryClear(currentA, idleA);
            Log(ok ? EventKind.TripsCleared : EventKind.ClearRefused, 0);
            return ok;
        }
    }
}
