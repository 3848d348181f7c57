using SolidBms.Core.Hal;

namespace SolidBms.Core.Actuation
{
    /// <summary>
    /// The pack's switches: main contactor (with precharge), charge-enable and discharge-enable lines, alarm
    /// output. De-energised is safe: power-up, a reset and the watchdog all leave every switch open.
    /// The enable lines are only ever on behind a closed contactor.
    /// </summary>
    public sealed class OutputStage
    {
        private readonly IDigitalOutput _mainContactor;
        private readonly IDigitalOutput _chargeEnable;
        private readonly IDigitalOutput _dischargeEnable;
        private readonly IDigitalOutput _alarm;

        public OutputStage(IDigitalOutput mainContactor, IDigitalOutput precharge, IDigitalOutput chargeEnable, IDigitalOutput dischargeEnable,
            IDigitalOutput alarm, ContactorTiming timing)
        {
            _mainContactor = mainContactor;
            _chargeEnable = chargeEnable;
            _dischargeEnable = dischargeEnable;
            _alarm = alarm;
            Contactor = new ContactorController(mainContactor, precharge, timing.PrechargeTimeoutMs, timing.PrechargeFixedMs, timing.PrechargeMatchPercent, timing.WeldCheckMs);
            ForceSafe(0);
        }

        public ContactorController Contactor { get; private set; }

        public bool MainClosed { get { return _mainContactor.State; } }

        public bool ChargeEnabled { get { return _chargeEnable.State; } }

        public bool DischargeEnabled { get { return _dischargeEnable.State; } }

        public bool AlarmOn { get { return _alarm.State; } }

        public bool IsSafe { get { return !_mainContactor.State && !_chargeEnable.State && !_dischargeEnable.State; } }

        public void Apply(bool connect, bool enableCharge, bool enableDischarge, bool alarm, ContactorInputs inputs, long nowMs)
        {
            if (!connect)
            {
                ForceSafe(nowMs);
            }
            Contactor.Update(connect, inputs.PackMillivolts, inputs.LinkMillivolts, inputs.LinkSensorFitted, inputs.CurrentMagnitudeA, inputs.IdleA, nowMs);
            bool closed = Contactor.IsClosed;
            _chargeEnable.Write(closed && enableCharge);
            _dischargeEnable.Write(closed && enableDischarge);
            _alarm.Write(alarm);
        }

        /// <summary>The safe state: reachable from anywhere, in one call, with no precondition.</summary>
        public void ForceSafe(long nowMs)
        {
            _chargeEnable.Write(false);
            _dischargeEnable.Write(false);
            Contactor.ForceOpen(nowMs);
        }
    }

    /// <summary>
    /// What the contactor logic reads each tick. A class, held by the loop and filled in place: on the device's interpreter
    /// a struct field written or passed by value is a new heap object each time (six a tick of garbage as a struct).
    /// </summary>
    public sealed class ContactorInputs
    {
        public float PackMillivolts;
        public float LinkMillivolts;
        public bool LinkSensorFitted;
        public float CurrentMagnitudeA;
        public float IdleA;
    }

    /// <summary>Contactor timing from the board file.</summary>
    public struct ContactorTiming
    {
        public int PrechargeTimeoutMs;
        public int PrechargeFixedMs;
        public int PrechargeMatchPercent;
        public int WeldCheckMs;
    }
}
