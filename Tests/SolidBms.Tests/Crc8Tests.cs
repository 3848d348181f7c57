using SolidBms.Drivers.I2cCommon;

namespace SolidBms.Tests;

/// <summary>CRC-8 (poly 0x07, init 0) as the BQ76952 uses it, against known vectors.</summary>
public class Crc8Tests
{
    [Fact]
    public void StandardCheckValueOf123456789IsF4()
    {
        // CRC-8 (SMBus variant: x^8+x^2+x+1, init 0, no reflection) catalogue check value.
        byte[] data = System.Text.Encoding.ASCII.GetBytes("123456789");
        Assert.Equal(0xF4, Crc8.Compute(data, 0, data.Length));
    }

    [Theory]
    [InlineData(new byte[] { 0x01 }, 0x07)]              // one bit walks out of the register: the polynomial itself
    [InlineData(new byte[] { 0x80 }, 0x89)]              // 0x80 -> 0x07 -> seven shifts with one more reduction
    [InlineData(new byte[] { 0x10, 0x14, 0x11, 0x80 }, 0xA5)] // BQ read frame at 0x08: addrW, Cell1 cmd, addrR, data 0x80
    [InlineData(new byte[] { 0x0E }, 0x2A)]              // a later byte's CRC covers that byte alone
    [InlineData(new byte[] { 0x10, 0x3E, 0x01 }, 0x8A)]  // BQ write frame: addrW, 0x3E, first data byte
    public void KnownFrames(byte[] data, int expected)
    {
        Assert.Equal(expected, Crc8.Compute(data, 0, data.Length));
    }

    [Fact]
    public void AnySingleBitFlipChangesTheCrc()
    {
        byte[] frame = { 0x10, 0x14, 0x11, 0x80 };
        byte good = Crc8.Compute(frame, 0, frame.Length);
        for (int i = 0; i < frame.Length; i++)
            for (int bit = 0; bit < 8; bit++)
            {
                frame[i] ^= (byte)(1 << bit);
                Assert.NotEqual(good, Crc8.Compute(frame, 0, frame.Length));
                frame[i] ^= (byte)(1 << bit);
            }
    }
}
