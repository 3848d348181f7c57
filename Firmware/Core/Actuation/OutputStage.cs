using SolidBms.Core.Hal;

namespace SolidBms.Core.Actuation
{
    /// <summary>
    /// The pack's switches: main contactor, charge-enable and discharge-enable lines, alarm output.
    /// De-energised is safe: power-up, a reset and the watchdog all leave every switch open.
    /// </summary>
    public sealed class OutputStage
    {
        private readonly IDigitalOutput _mainContactor;
        private readonly IDigitalOutput _chargeEnable;
        private readonly IDigitalOutput _dischargeEnable;
        private readonly IDigitalOutput _alarm;

        public OutputStage(IDigitalOutput mainContactor, IDigitalOutput chargeEnable, IDigitalOutput dischargeEnable, IDigitalOutput alarm)
        {
            _mainContactor = mainContactor;
            _chargeEnable = chargeEnable;
            _dischargeEnable = dischargeEnable;
            _alarm = alarm;
            ForceSafe();
        }

        public bool MainClosed { get { return _mainContactor.State; } }

        public bool ChargeEnabled { get { return _chargeEnable.State; } }

        public bool DischargeEnabled { get { return _dischargeEnable.State; } }

        public bool AlarmOn { get { return _alarm.State; } }

        public bool IsSafe { get { return !_mainContactor.State && !_chargeEnable.State && !_dischargeEnable.State; } }

        /// <summary>Drives the outputs; enable lines only ever high behind a closed contactor.</summary>
        public void Apply(bool closeMain, bool enableCharge, bool enableDischarge, bool alarm)
        {
            if (!closeMain)
            {
                ForceSafe();
                _alarm.Write(alarm);
                return;
            }
            _mainContactor.Write(true);
            _chargeEnable.Write(enableCharge);
            _dischargeEnable.Write(enableDischarge);
            _alarm.Write(alarm);
        }

        /// <summary>The safe state: reachable from anywhere, in one call, with no precondition.</summary>
        public void ForceSafe()
        {
            _chargeEnable.Write(false);
            _dischargeEnable.Write(false);
            _mainContactor.Write(false);
        }
    }
}
