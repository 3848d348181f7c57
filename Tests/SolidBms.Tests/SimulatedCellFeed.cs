using SolidBms.Core.Estimation;
using SolidBms.Core.Measurement;
using SolidBms.Simulator.Physics;

namespace SolidBms.Tests;

/// <summary>
/// One simulated cell (the simulator's <see cref="EcmCell"/>) stepped at 100 ms and fed to estimators as the firmware's
/// measurement carries it: its terminal voltage, 25 C, 1000 kPa, the current, every reading valid.
/// </summary>
internal sealed class SimulatedCellFeed
{
    private readonly SimCellParameters _p;
    private readonly StateEstimator[] _estimators;

    public SimulatedCellFeed(SimCellParameters p, double initialSoc, params StateEstimator[] estimators)
    {
        _p = p;
        _estimators = estimators;
        Cell = new EcmCell(p, p.Model.CapacityAh, 1.0, initialSoc, 25) { LookupStepC = 0 };
    }

    public EcmCell Cell { get; }
    public PackMeasurement Measurement { get; } = new(1, 1);

    public void Tick(double amps)
    {
        Cell.Step(amps, 0.1, _p.ReferenceKpa);
        var m = Measurement;
        m.Invalidate();
        m.CellMillivolts[0] = (float)Cell.TerminalMillivolts; m.CellVoltageStatus[0] = SensorStatus.Ok;
        m.CellTemperatureC[0] = 25; m.CellTemperatureStatus[0] = SensorStatus.Ok;
        m.StackPressureKpa[0] = 1000; m.StackPressureStatus[0] = SensorStatus.Ok;
        m.PackCurrentA = (float)amps; m.PackCurrentStatus = SensorStatus.Ok;
        foreach (var e in _estimators) e.Update(m, 100);
    }
}
