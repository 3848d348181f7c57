namespace SolidBms.Core.Hal
{
    /// <summary>A driven output (contactor coil driver, enable line, alarm). True = energised.</summary>
    public interface IDigitalOutput
    {
        void Write(bool energised);

        bool State { get; }
    }
}
