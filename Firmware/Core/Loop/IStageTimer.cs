namespace SolidBms.Core.Loop
{
    /// <summary>
    /// Optional high-resolution time source for the per-stage split of a tick (<see cref="BmsController.StageTimer"/>).
    /// The unit is the implementation's own (host: Stopwatch ticks; ESP32: microseconds from HighResTimer); only
    /// differences are used. Null on the controller (the default) turns stage timing off at the cost of one null
    /// test per stage. Never used for scheduling: the loop runs on <see cref="Hal.IMonotonicClock"/>.
    /// </summary>
    public interface IStageTimer
    {
        long NowTicks();
    }
}
