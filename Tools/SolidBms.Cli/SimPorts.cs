using System;
using SolidBms.Cli.Serial;

namespace SolidBms.Cli;

/// <summary>The pseudo-terminals `sim` serves; disposing removes their links.</summary>
public sealed class SimPorts : IDisposable
{
    public PtySerialPort Telemetry { get; private set; }
    public PtySerialPort Modbus { get; private set; }

    public void Open(string telemetryPath, string modbusPath)
    {
        if (telemetryPath != null) Telemetry = new PtySerialPort(telemetryPath);
        if (modbusPath != null) Modbus = new PtySerialPort(modbusPath);
    }

    public void Dispose()
    {
        Telemetry?.Dispose();
        Modbus?.Dispose();
    }
}
