using SolidBms.Core.Measurement;
using SolidBms.Drivers.I2cCommon;
using SolidBms.Drivers.I2cFrontEnd;

namespace SolidBms.Simulator.Run;

/// <summary>The per-chip I2C counters as summary lines, so a run shows every NACK, CRC error, stale reading and recovery.</summary>
public static class I2cHealthText
{
    public static void AddTo(RunSummary summary, IPackSensors sensors)
    {
        if (sensors is not I2cPackSensors i2c) return;
        foreach (var h in i2c.Health) summary.I2cDevices.Add(Describe(h));
    }

    public static string Describe(I2cHealth h) =>
        $"{h.DeviceName}: {h.Transactions:N0} transactions, nack {h.Nacks}, timeout {h.Timeouts}, bus error {h.BusErrors}, " +
        $"crc {h.CrcErrors}, out of range {h.OutOfRangeValues}, stale {h.StaleReadings}, wrong device {h.WrongDeviceAnswers}, " +
        $"recoveries {h.RecoveryAttempts}, initialisations {h.Initialisations}";
}
