namespace SecureComms.Crypto.Tests.Contracts;

/// <summary><see cref="FixedTime"/>: equality over every byte and the length; all-zero over every byte.</summary>
public sealed class FixedTimeContractTests
{
    [Fact]
    public void Equals_is_false_for_any_single_bit_difference_and_for_any_length_difference()
    {
        byte[] value = TestBytes.Seeded(33, 1);
        Assert.True(FixedTime.Equals(value, [.. value]));
        Assert.True(FixedTime.Equals([], []));
        for (int bit = 0; bit < value.Length * 8; bit++)
        {
            Assert.False(FixedTime.Equals(value, TestBytes.FlipBit(value, bit)));
        }
        Assert.False(FixedTime.Equals(value, value.AsSpan(0, 32)));
        Assert.False(FixedTime.Equals(value.AsSpan(0, 32), value));
    }

    [Fact]
    public void IsAllZero_is_false_when_any_single_bit_is_set()
    {
        Assert.True(FixedTime.IsAllZero([]));
        Assert.True(FixedTime.IsAllZero(new byte[64]));
        for (int bit = 0; bit < 64 * 8; bit++)
        {
            Assert.False(FixedTime.IsAllZero(TestBytes.FlipBit(new byte[64], bit)));
        }
        Assert.False(FixedTime.IsAllZero([1, 1])); // an XOR accumulator would cancel these out
        Assert.False(FixedTime.IsAllZero([0x80, 0x80, 0x80]));
    }
}
