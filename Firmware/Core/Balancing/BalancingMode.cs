namespace SolidBms.Core.Balancing
{
    /// <summary>What the last balancing decision was based on, or why nothing bleeds (telemetry and Modbus number these).</summary>
    public enum BalancingMode
    {
        /// <summary>Bleeding (or ready to) from the estimator's per-cell SOC and capacity.</summary>
        Soc = 0,
        /// <summary>Bleeding (or ready to) from cell voltages at rest: the estimator has not converged or the profile asks for it.</summary>
        Voltage = 1,
        /// <summary>The profile disables balancing.</summary>
        Disabled = 2,
        /// <summary>A latched trip, the safe state or start-up.</summary>
        Trip = 3,
        /// <summary>A cell voltage, temperature or the current is unknown.</summary>
        SensorFault = 4,
        /// <summary>A cell is below the profile's undervoltage warning.</summary>
        UnderVoltage = 5,
        /// <summary>Bleed heat: a cell at or above the profile's stop temperature (until it cools by the hysteresis).</summary>
        Temperature = 6,
        /// <summary>Discharging below the profile's SOC floor.</summary>
        Discharge = 7,
        /// <summary>Voltage fallback waiting for a long enough rest.</summary>
        WaitingForRest = 8,
        /// <summary>The bleed hardware refused or failed the last command.</summary>
        HardwareRefused = 9,
    }
}
