using SolidBms.Core.Hal;
using SolidBms.Core.Measurement;
using SolidBms.Core.Util;

namespace SolidBms.Core.Actuation
{
    /// <summary>
    /// What the firmware does when opening the main contactor did not stop the current (the contactor's weld verdict):
    /// it opens a second, independent means (the front end's protection FETs, or a trip output on the board) and, on a
    /// board with a fuse-blow output, blows the fuse once the current has gone on for the qualification time after that
    /// with the cell voltages confirming the hazard. Opens only: nothing here ever closes a path, and once engaged it
    /// stays engaged until a restart (a service action, after the contactor is replaced). Allocation-free.
    /// </summary>
    /// <remarks>
    /// Evidence for the fuse (irreversible, so no single sensor may decide it): every current reading in the qualification
    /// time valid (<see cref="SensorStatus.Ok"/>: a saturated or failed channel is no evidence), a reading above idle at
    /// least once per stop window (a longer pause means the current stopped, and the time starts again), and in the
    /// direction of a hazard the cell voltages have confirmed with a latched trip: charge with cellOverVoltage or
    /// packOverVoltage, discharge with cellUnderVoltage or packUnderVoltage. A current sensor's offset or a stuck channel
    /// cannot latch a voltage trip, so it cannot blow the fuse by itself.
    /// </remarks>
    public sealed class SecondLineOfDefence
    {
        /// <summary>Bits of <see cref="Update"/>'s result: what happened this tick, for the event log.</summary>
        public const int EventCommanded = 1, EventCurrentStopped = 2, EventFuseBlown = 4;

        private readonly IDisconnect _disconnect;
        private readonly IDisconnect _fuse;
        private readonly int _fuseQualifyMs;
        private readonly int _stopWindowMs;
        private long _lastAboveMs;
        private long _evidenceSinceMs = -1;
        private bool _stopLogged;

        /// <param name="disconnect">The second means (null: none fitted; the fuse then follows the weld verdict itself).</param>
        /// <param name="fuse">The fuse-blow output (null: none).</param>
        /// <param name="stopWindowMs">No reading above idle for this long means the current stopped (the contactor's weld-check time).</param>
        public SecondLineOfDefence(IDisconnect disconnect, int disconnectMeans, IDisconnect fuse, int fuseMeans, int fuseQualifyMs, int stopWindowMs)
        {
            _disconnect = disconnect;
            _fuse = fuse;
            DisconnectMeans = disconnectMeans;
            FuseMeans = fuseMeans;
            _fuseQualifyMs = fuseQualifyMs;
            _stopWindowMs = stopWindowMs;
        }

        /// <summary>Config.SecondMeansSettings code of the disconnect and of the fuse output (for the event records).</summary>
        public int DisconnectMeans { get; private set; }

        public int FuseMeans { get; private set; }

        public bool HasFuse { get { return _fuse != null; } }

        /// <summary>The weld verdict came and the second means was commanded open (latched until a restart).</summary>
        public bool Engaged { get; private set; }

        public long EngagedAtMs { get; private set; }

        /// <summary>The disconnect read back open on its last command (always true for an output that cannot be read back).</summary>
        public bool DisconnectConfirmed { get; private set; }

        /// <summary>Since the command, no reading above idle for a whole stop window (false again if current comes back).</summary>
        public bool CurrentStopped { get; private set; }

        public bool FuseBlown { get; private set; }

        /// <summary>When the fuse's evidence began to hold (ms), or -1: what the qualification time is counted from.</summary>
        public long FuseEvidenceSinceMs { get { return _evidenceSinceMs; } }

        /// <param name="weldDetected">The contactor's verdict: opened, and current went on (or no valid reading said it stopped).</param>
        /// <param name="currentA">This tick's pack current, A, positive = discharge (used only when its status is Ok).</param>
        /// <param name="overVoltageTripped">cellOverVoltage or packOverVoltage latched: the hazard of a charge current.</param>
        /// <param name="underVoltageTripped">cellUnderVoltage or packUnderVoltage latched: the hazard of a discharge current.</param>
        /// <returns>The Event* bits of what happened this tick (0 nearly always).</returns>
        public int Update(bool weldDetected, SensorStatus currentStatus, float currentA, float idleA, bool overVoltageTripped, bool underVoltageTripped, long nowMs)
        {
            int events = 0;
            if (!Engaged)
            {
                if (!weldDetected) return 0;
                Engaged = true;
                EngagedAtMs = nowMs;
                _lastAboveMs = nowMs; // the verdict itself: current above idle up to now (or nothing known)
                events = EventCommanded;
            }
            // Commanded every tick: a front end that reset (a chip power-on) has forgotten the command; Open is idempotent.
            if (_disconnect != null) DisconnectConfirmed = _disconnect.Open();
            if (nowMs == EngagedAtMs) return events; // this tick's reading was taken before the command

            bool valid = currentStatus == SensorStatus.Ok;
            bool above = valid && FastMath.Abs(currentA) > idleA;
            if (above)
            {
                _lastAboveMs = nowMs;
                CurrentStopped = false;
            }
            else if (valid && nowMs - _lastAboveMs >= _stopWindowMs && !CurrentStopped)
            {
                CurrentStopped = true;
                if (!_stopLogged) { _stopLogged = true; events = EventCurrentStopped; } // the only event of this tick (the engaging tick returned above)
            }

            if (_fuse == null || FuseBlown) return events;
            // Stryker disable once Equality : hazard is read only above idle (idle >= 0 A), where the current is never 0 A
            bool hazard = currentA < 0 ? overVoltageTripped : underVoltageTripped; // negative = charge
            if (!valid || CurrentStopped || (above && !hazard)) _evidenceSinceMs = -1;
            else if (above && _evidenceSinceMs < 0) _evidenceSinceMs = nowMs;
            // (a valid reading at or below idle inside the stop window neither starts nor ends it: a pulsed current)
            if (_evidenceSinceMs >= 0 && nowMs - _evidenceSinceMs >= _fuseQualifyMs && _fuse.Open())
            {
                FuseBlown = true;
                events = EventFuseBlown; // alone: a stop logged this tick ended the evidence above
            }
            return events;
        }
    }
}
