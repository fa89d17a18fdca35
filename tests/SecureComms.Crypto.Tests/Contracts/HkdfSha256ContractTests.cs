namespace SecureComms.Crypto.Tests.Contracts;

/// <summary>
/// <see cref="HkdfSha256"/>: output bounds 1 to 255 × 32 bytes (RFC 5869 §2.3) on both entry points, PRK
/// sizes, DeriveKey = Expand ∘ Extract, and the empty salt meaning 32 zero bytes (§2.2). Known answers live
/// in <c>Rfc/</c> (RFC 5869 Appendix A).
/// </summary>
public sealed class HkdfSha256ContractTests
{
    private static readonly byte[] Ikm = TestBytes.Seeded(22, 1);
    private static readonly byte[] Salt = TestBytes.Seeded(13, 2);
    private static readonly byte[] Info = TestBytes.Seeded(10, 3);
    private static readonly byte[] Prk = TestBytes.Seeded(32, 4);

    [Fact]
    public void The_output_limit_is_255_blocks_of_32_bytes()
    {
        Assert.Equal(32, HkdfSha256.PrkSizeInBytes);
        Assert.Equal(8160, HkdfSha256.MaxOutputSizeInBytes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8161)]
    [InlineData(16384)]
    public void DeriveKey_and_Expand_refuse_an_output_of_0_or_more_than_8160_bytes(int length)
    {
        ContractAssert.ThrowsArgument("output", () => HkdfSha256.DeriveKey(Ikm, Salt, Info, new byte[length]), "1 to 8160");
        ContractAssert.ThrowsArgument("output", () => HkdfSha256.Expand(Prk, Info, new byte[length]), "1 to 8160");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(8159)]
    [InlineData(8160)]
    public void DeriveKey_equals_Expand_of_Extract_for_every_accepted_length(int length)
    {
        var derived = new byte[length];
        HkdfSha256.DeriveKey(Ikm, Salt, Info, derived);
        var prk = new byte[32];
        HkdfSha256.Extract(Ikm, Salt, prk);
        var expanded = new byte[length];
        HkdfSha256.Expand(prk, Info, expanded);
        Assert.Equal(expanded, derived);
        Assert.False(TestBytes.IsAllZero(derived[^Math.Min(length, 32)..]));
    }

    [Fact]
    public void Shorter_outputs_are_prefixes_of_longer_ones()
    {
        var full = new byte[100];
        HkdfSha256.Expand(Prk, Info, full);
        var part = new byte[33];
        HkdfSha256.Expand(Prk, Info, part);
        Assert.Equal(full[..33], part);
    }

    [Fact]
    public void Extract_requires_a_32_byte_prk_buffer()
    {
        foreach (int length in new[] { 0, 31, 33, 64 })
        {
            ContractAssert.ThrowsArgument("pseudorandomKey", () => HkdfSha256.Extract(Ikm, Salt, new byte[length]), "32");
        }
    }

    [Fact]
    public void Extract_is_HMAC_of_the_ikm_keyed_by_the_salt()
    {
        var prk = new byte[32];
        HkdfSha256.Extract(Ikm, Salt, prk);
        Assert.Equal(TestBytes.Mac(Salt, Ikm), prk);
    }

    [Fact]
    public void Expand_requires_a_prk_of_at_least_32_bytes()
    {
        foreach (int length in new[] { 0, 16, 31 })
        {
            ContractAssert.ThrowsArgument("pseudorandomKey", () => HkdfSha256.Expand(new byte[length], Info, new byte[32]), "32");
        }
        HkdfSha256.Expand(new byte[32], Info, new byte[32]);
        HkdfSha256.Expand(new byte[33], Info, new byte[32]);
    }

    [Fact]
    public void An_empty_salt_means_32_zero_bytes()
    {
        var withEmpty = new byte[42];
        var withZeros = new byte[42];
        var withOther = new byte[42];
        HkdfSha256.DeriveKey(Ikm, [], Info, withEmpty);
        HkdfSha256.DeriveKey(Ikm, new byte[32], Info, withZeros);
        HkdfSha256.DeriveKey(Ikm, Salt, Info, withOther);
        Assert.Equal(withZeros, withEmpty);
        Assert.NotEqual(withOther, withEmpty);
    }

    [Fact]
    public void Distinct_info_strings_give_independent_keys()
    {
        var first = new byte[32];
        var second = new byte[32];
        HkdfSha256.Expand(Prk, Info, first);
        HkdfSha256.Expand(Prk, TestBytes.FlipBit(Info, 0), second);
        Assert.NotEqual(first, second);
    }
}
