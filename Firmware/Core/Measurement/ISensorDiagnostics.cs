namespace SolidBms.Core.Measurement
{
    /// <summary>
    /// Implemented by a front end whose buses can be recovered (I2C): the controller drains the recoveries each
    /// tick into the event log, so a rig's flash shows when and on which chip the bus had to be freed.
    /// </summary>
    public interface ISensorDiagnostics
    {
        /// <summary>
        /// True once for every bus recovery not yet taken, with the chip's code (the SensorSource value:
        /// 1 BQ76952, 2 INA228, 3 NAU7802, 4 FMA). Allocates nothing.
        /// </summary>
        bool TakeRecovery(out int deviceCode);
    }
}
