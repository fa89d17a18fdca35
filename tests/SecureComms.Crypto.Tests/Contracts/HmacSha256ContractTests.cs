namespace SecureComms.Crypto.Tests.Contracts;

/// <summary>
/// <see cref="HmacSha256"/>: Compute writes exactly 32 bytes; Verify accepts exactly the leftmost 8 to 32
/// bytes of the true MAC (RFC 2104 §5) and nothing else. Known answers live in <c>Rfc/</c> (RFC 4231).
/// </summary>
public sealed class HmacSha256ContractTests
{
    private static readonly byte[] Key = TestBytes.Seeded(32, 1);
    private static readonly byte[] Data = TestBytes.Seeded(100, 2);

    [Fact]
    public void Compute_requires_a_32_byte_mac_buffer()
    {
        Assert.Equal(32, HmacSha256.MacSizeInBytes);
        foreach (int length in new[] { 0, 8, 31, 33 })
        {
            ContractAssert.ThrowsArgument("mac", () => HmacSha256.Compute(Key, Data, new byte[length]), "32");
        }
    }

    [Fact]
    public void Compute_depends_on_every_input_and_matches_the_platform_HMAC()
    {
        byte[] mac = TestBytes.Mac(Key, Data);
        Assert.Equal(System.Security.Cryptography.HMACSHA256.HashData(Key, Data), mac);
        Assert.NotEqual(mac, TestBytes.Mac(TestBytes.FlipBit(Key, 0), Data));
        Assert.NotEqual(mac, TestBytes.Mac(Key, TestBytes.FlipBit(Data, 799)));
        Assert.NotEqual(mac, TestBytes.Mac(Key, Data[..99]));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(7, false)]
    [InlineData(8, true)]
    [InlineData(9, true)]
    [InlineData(16, true)]
    [InlineData(31, true)]
    [InlineData(32, true)]
    public void Verify_accepts_exactly_the_prefixes_of_8_to_32_bytes(int length, bool accepted)
    {
        byte[] mac = TestBytes.Mac(Key, Data);
        Assert.Equal(8, HmacSha256.MinTruncatedMacSizeInBytes);
        Assert.Equal(accepted, HmacSha256.Verify(Key, Data, mac.AsSpan(0, length)));
    }

    [Fact]
    public void Verify_refuses_a_33_byte_mac_even_when_it_starts_with_the_true_mac()
    {
        byte[] mac = TestBytes.Mac(Key, Data);
        Assert.False(HmacSha256.Verify(Key, Data, [.. mac, 0]));
        Assert.False(HmacSha256.Verify(Key, Data, [.. mac, .. mac]));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(32)]
    public void Verify_refuses_a_mac_with_any_single_bit_flipped(int length)
    {
        byte[] mac = TestBytes.Mac(Key, Data)[..length];
        for (int bit = 0; bit < length * 8; bit++)
        {
            Assert.False(HmacSha256.Verify(Key, Data, TestBytes.FlipBit(mac, bit)));
        }
    }

    [Fact]
    public void Verify_refuses_the_mac_under_another_key_or_for_other_data()
    {
        byte[] mac = TestBytes.Mac(Key, Data);
        Assert.False(HmacSha256.Verify(TestBytes.FlipBit(Key, 255), Data, mac));
        Assert.False(HmacSha256.Verify(Key, TestBytes.FlipBit(Data, 0), mac));
        Assert.False(HmacSha256.Verify(Key, [], mac));
    }

    [Fact]
    public void Keys_longer_than_a_block_are_hashed_first()
    {
        // RFC 2104 §2: K' = H(K) when |K| > B = 64.
        byte[] longKey = TestBytes.Seeded(65, 3);
        Assert.Equal(TestBytes.Mac(Sha256Of(longKey), Data), TestBytes.Mac(longKey, Data));
        Assert.True(HmacSha256.Verify(longKey, Data, TestBytes.Mac(Sha256Of(longKey), Data)));
    }

    private static byte[] Sha256Of(byte[] data)
    {
        var hash = new byte[Sha256.HashSizeInBytes];
        Sha256.Hash(data, hash);
        return hash;
    }
}
