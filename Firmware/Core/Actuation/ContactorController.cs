using SolidBms.Core.Hal;
using SolidBms.Core.Util;

namespace SolidBms.Core.Actuation
{
    /// <summary>
    /// Main contactor with precharge. Closing: precharge relay first, main only once the load side (DC link)
    /// has reached the pack voltage, or after a fixed time on rigs without a link sensor; a precharge that
    /// does not finish in time fails (a shorted load or an open resistor). Opening: main off at once, then
    /// a weld check: current still flowing after the check time means the contacts are welded. While open, current
    /// that flows for <see cref="OpenWeldChecks"/> check times means the same (contacts that welded after they had parted).
    /// Opening never waits for anything: <see cref="ForceOpen"/> has no precondition.
    /// </summary>
    public sealed class ContactorController
    {
        private readonly IDigitalOutput _main;
        private readonly IDigitalOutput _precharge;
        private readonly int _prechargeTimeoutMs;
        private readonly int _prechargeFixedMs;
        private readonly float _matchFraction;
        private readonly int _weldCheckMs;
        private long _stateSinceMs;
        private bool _weldCheckSawValid;
        private bool _weldCurrentSeen;
        private long _openCurrentSinceMs = -1; // open, not wanted closed: since when every valid reading was above idle (-1: not now)

        /// <summary>
        /// Weld-check times of unbroken current that make a weld while the contactor is open. Longer than the opening
        /// check, which looks once per open command: this one looks for as long as the contactor stays open, and sensor
        /// noise on an offset near idle must not line up into a verdict over hours (5 readings above idle in a row happen;
        /// 25 at 100 ms ticks do not). The same bound as "no valid reading, contacts unknown".
        /// </summary>
        public const int OpenWeldChecks = 5;

        public ContactorController(IDigitalOutput main, IDigitalOutput precharge, int prechargeTimeoutMs, int prechargeFixedMs, int matchPercent, int weldCheckMs)
        {
            _main = main;
            _precharge = precharge;
            _prechargeTimeoutMs = prechargeTimeoutMs;
            _prechargeFixedMs = prechargeFixedMs;
            _matchFraction = matchPercent / 100f;
            _weldCheckMs = weldCheckMs;
            ForceOpen(0);
            State = ContactorState.Open;
        }

        public ContactorState State { get; private set; }

        public bool PrechargeFailed { get; private set; }

        public bool WeldDetected { get; private set; }

        public bool IsClosed { get { return State == ContactorState.Closed; } }

        /// <param name="wantClosed">The supervisor allows the pack to be connected.</param>
        /// <param name="packMillivolts">Sum of cell voltages (NaN if unknown).</param>
        /// <param name="linkMillivolts">Load-side voltage (NaN on rigs without a link sensor, or if the reading failed).</param>
        /// <param name="linkSensorFitted">Whether the board has a link sensor at all.</param>
        /// <param name="currentMagnitudeA">|pack current| if valid, NaN otherwise.</param>
        public void Update(bool wantClosed, float packMillivolts, float linkMillivolts, bool linkSensorFitted, float currentMagnitudeA, float idleA, long nowMs)
        {
            switch (State)
            {
                case ContactorState.Open:
                    if (!wantClosed)
                    {
                        WatchOpenCurrent(currentMagnitudeA, idleA, nowMs);
                        break;
                    }
                    if (_precharge == null)
                    {
                        _main.Write(true);
                        Enter(ContactorState.Closed, nowMs);
                    }
                    else
                    {
                        _precharge.Write(true);
                        Enter(ContactorState.Precharge, nowMs);
                    }
                    break;

                case ContactorState.Precharge:
                    if (!wantClosed) { ForceOpen(nowMs); break; }
                    long elapsed = nowMs - _stateSinceMs;
                    bool matched = linkSensorFitted
                        ? !FastMath.IsBad(linkMillivolts) && !FastMath.IsBad(packMillivolts) && linkMillivolts >= packMillivolts * _matchFraction
                        : elapsed >= _prechargeFixedMs;
                    if (matched)
                    {
                        _main.Write(true);       // make before break: main closes, then the precharge path opens
                        _precharge.Write(false);
                        Enter(ContactorState.Closed, nowMs);
                    }
                    else if (elapsed >= _prechargeTimeoutMs)
                    {
                        _precharge.Write(false);
                        PrechargeFailed = true;
                        Enter(ContactorState.Failed, nowMs);
                    }
                    break;

                case ContactorState.Closed:
                    if (!wantClosed) ForceOpen(nowMs);
                    break;

                case ContactorState.Opening:
                    // Weld check: any valid current above idle in the second half of the check window (the first
                    // half lets the load's own current decay) means the contacts did not part; decided at the end of
                    // the window so a pulsed load cannot slip between samples. Without any valid reading by five
                    // windows the state of the contacts is unknown, and that is reported as a weld.
                    long opening = nowMs - _stateSinceMs;
                    if (!FastMath.IsBad(currentMagnitudeA) && opening * 2 >= _weldCheckMs)
                    {
                        _weldCheckSawValid = true;
                        if (currentMagnitudeA > idleA) _weldCurrentSeen = true;
                    }
                    if (opening >= _weldCheckMs && _weldCurrentSeen)
                    {
                        WeldDetected = true;
                        Enter(ContactorState.Failed, nowMs);
                    }
                    else if (opening >= _weldCheckMs && _weldCheckSawValid)
                    {
                        Enter(ContactorState.Open, nowMs);
                    }
                    else if (opening >= 5L * _weldCheckMs)
                    {
                        WeldDetected = true;
                        Enter(ContactorState.Failed, nowMs);
                    }
                    break;

                default: // Failed, the one state left: everything open, every tick
                    _main.Write(false);
                    if (_precharge != null) _precharge.Write(false);
                    break;
            }
        }

        /// <summary>
        /// Open and meant to stay open: a continuous run of valid readings above idle for <see cref="OpenWeldChecks"/> weld-check times means the
        /// contacts are closed (welded after they had parted, or welded while the weld check saw a pause). An unknown
        /// reading neither adds to the run nor ends it; a valid reading at or below idle ends it, so an offset near the
        /// idle band or a pulse never qualifies.
        /// </summary>
        private void WatchOpenCurrent(float currentMagnitudeA, float idleA, long nowMs)
        {
            if (FastMath.IsBad(currentMagnitudeA)) return;
            if (currentMagnitudeA <= idleA) { _openCurrentSinceMs = -1; return; }
            if (_openCurrentSinceMs < 0) _openCurrentSinceMs = nowMs;
            else if (nowMs - _openCurrentSinceMs >= OpenWeldChecks * (long)_weldCheckMs)
            {
                WeldDetected = true;
                Enter(ContactorState.Failed, nowMs);
            }
        }

        /// <summary>Opens everything now, from any state. A closed contactor goes through the weld check.</summary>
        public void ForceOpen(long nowMs)
        {
            _main.Write(false);
            if (_precharge != null) _precharge.Write(false);
            if (State == ContactorState.Closed) Enter(ContactorState.Opening, nowMs);
            else if (State == ContactorState.Precharge) Enter(ContactorState.Open, nowMs);
        }

        /// <summary>Authorised clear of a failed precharge or weld; a weld clears only once no current flows.</summary>
        /// <summary>A clear now would succeed (no weld with current still flowing).</summary>
        public bool CanClear(float currentMagnitudeA, float idleA)
        {
            return State != ContactorState.Failed || !WeldDetected || !(FastMath.IsBad(currentMagnitudeA) || currentMagnitudeA > idleA);
        }

        public bool TryClear(float currentMagnitudeA, float idleA)
        {
            if (State != ContactorState.Failed) return true;
            if (WeldDetected && (FastMath.IsBad(currentMagnitudeA) || currentMagnitudeA > idleA)) return false;
            PrechargeFailed = false;
            WeldDetected = false;
            State = ContactorState.Open;
            return true;
        }

        private void Enter(ContactorState state, long nowMs)
        {
            // The weld check's flags are read only in Opening: reset on every entry, so each weld check starts clean.
            _weldCheckSawValid = false;
            _weldCurrentSeen = false;
            _openCurrentSinceMs = -1;
            State = state;
            _stateSinceMs = nowMs;
        }
    }
}
