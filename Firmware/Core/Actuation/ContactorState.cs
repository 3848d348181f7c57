namespace SolidBms.Core.Actuation
{
    public enum ContactorState
    {
        Open = 0,
        /// <summary>Precharge relay closed, main open: the load's DC link charges through the precharge resistor.</summary>
        Precharge = 1,
        Closed = 2,
        /// <summary>Main commanded open; waiting to confirm that current has stopped (weld check).</summary>
        Opening = 3,
        /// <summary>Precharge failed or the contactor is welded: open and latched until an authorised clear.</summary>
        Failed = 4,
    }
}
