namespace SolidBms.Core.Measurement
{
    /// <summary>
    /// The measurement front end of a board: fills a <see cref="PackMeasurement"/> from its drivers.
    /// Implementations must set a status for every reading and NaN for every invalid value.
    /// </summary>
    public interface IPackSensors
    {
        void Acquire(PackMeasurement measurement, long nowMs);
    }
}
