using SolidBms.Core.Hal;

namespace SolidBms.Simulator.Hardware;

/// <summary>A simulated output line; counts its switching so tests can see chatter.</summary>
public sealed class SimDigitalOutput : IDigitalOutput
{
    public bool State { get; private set; }
    public int Transitions { get; private set; }

    public void Write(bool energised)
    {
        if (energised != State) Transitions++;
        State = energised;
    }
}
