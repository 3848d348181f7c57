namespace SolidBms.Core.Hal
{
    /// <summary>
    /// Several inputs of one converter read in one call: a bank (a board's cells, its thermistors). On the device's
    /// interpreter an interface call a channel cost more than the channel's arithmetic; a bank is one interface call a
    /// tick, and its binding loops over the conversions itself.
    /// </summary>
    public interface IAdcBank
    {
        /// <summary>
        /// For each channel of the bank, in order: <paramref name="conversions"/> conversions summed into
        /// <paramref name="sums"/>[i], or -1 where any of them gave no answer or a count outside 0..MaxCounts (no partial
        /// sum; the other channels are still read).
        /// </summary>
        void ReadSums(int conversions, int[] sums);
    }

    /// <summary>A channel whose binding reads channels of its own kind as one bank.</summary>
    public interface IAdcBankable
    {
        /// <summary>A bank of these channels, in this order, or null when any of them is of another kind.</summary>
        IAdcBank BankOf(IAdcChannel[] channels);
    }
}
