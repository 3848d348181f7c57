namespace SolidBms.Core.Balancing
{
    /// <summary>
    /// Bleed switches of a rig (a GPIO per cell, or the BQ76952's host-controlled balancing), addressed by pack
    /// cell: bit i of a mask is cell i + 1. Called at the balancing stage's low rate, never per tick.
    /// </summary>
    public interface ICellBleed
    {
        /// <summary>
        /// Bleeds exactly the cells in <paramref name="mask"/> (0: none), renewing any hardware timeout. False when the
        /// hardware did not take it; <see cref="BleedingMask"/> then says what really bleeds.
        /// </summary>
        bool SetBleeding(ulong mask);

        /// <summary>The cells the hardware reports bleeding after the last call (read back where it can be).</summary>
        ulong BleedingMask { get; }
    }
}
