using SolidBms.Core.Hal;

namespace SolidBms.Drivers.Bq76952
{
    /// <summary>
    /// The chip as the board's second means: its CHG/DSG FET drivers (ALL_FETS_OFF, read back from FET Status), or its
    /// FUSE pin as the fuse-blow output (FUSE_TOGGLE, once). Both only ever open.
    /// </summary>
    public sealed class Bq76952SecondMeans : IDisconnect
    {
        private readonly Bq76952Monitor _chip;
        private readonly bool _fuse;

        /// <param name="fuse">True: the FUSE pin; false: the FET drivers.</param>
        public Bq76952SecondMeans(Bq76952Monitor chip, bool fuse)
        {
            _chip = chip;
            _fuse = fuse;
        }

        public bool Open()
        {
            return _fuse ? _chip.DriveFuse() : _chip.ForceFetsOff();
        }
    }
}
