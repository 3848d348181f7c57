namespace SolidBms.Core.Hal
{
    /// <summary>
    /// A means that opens the pack's current path and can never close it (the second line of defence: a front end's
    /// protection FETs, a shunt-trip output, a fuse-blow output). Called every tick while it is wanted open, so a
    /// device that forgot the command (a chip reset) is told again; nothing here offers the way back.
    /// </summary>
    public interface IDisconnect
    {
        /// <summary>Commands the path open. True once the device confirms it (read back), or, where it cannot, once the command went out.</summary>
        bool Open();
    }
}
