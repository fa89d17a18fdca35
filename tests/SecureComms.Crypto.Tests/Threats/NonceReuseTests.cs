namespace SecureComms.Crypto.Tests.Threats;

/// <summary>THREATMODEL T1, nonce reuse: the nonce source never repeats a value and refuses to wrap.</summary>
public sealed class NonceReuseTests
{
    [Fact]
    public void Successive_nonces_are_distinct_and_encode_the_counter_big_endian_after_32_zero_bits()
    {
        var counter = new NonceCounter();
        var seen = new HashSet<string>();
        Span<byte> nonce = stackalloc byte[NonceCounter.NonceSizeInBytes];
        for (int i = 0; i < 1000; i++)
        {
            Assert.True(counter.TryNext(nonce));
            Assert.True(seen.Add(Convert.ToHexString(nonce)));
        }
        Assert.Equal("0000000000000000000003E7", Convert.ToHexString(nonce));
        Assert.Equal(1000UL, counter.Next);
    }

    [Fact]
    public void The_last_usable_value_is_two_to_the_64_minus_2_and_the_counter_then_refuses_instead_of_wrapping()
    {
        var counter = new NonceCounter(NonceCounter.MaxValue - 1);
        Span<byte> nonce = stackalloc byte[NonceCounter.NonceSizeInBytes];
        Assert.True(counter.TryNext(nonce));
        Assert.Equal("00000000FFFFFFFFFFFFFFFD", Convert.ToHexString(nonce));
        Assert.True(counter.TryNext(nonce));
        Assert.Equal("00000000FFFFFFFFFFFFFFFE", Convert.ToHexString(nonce));
        nonce.Fill(0xAA);
        Assert.False(counter.TryNext(nonce));
        Assert.False(counter.TryNext(nonce));
        Assert.Equal("AAAAAAAAAAAAAAAAAAAAAAAA", Convert.ToHexString(nonce));
    }

    [Fact]
    public void Every_nonce_overwrites_the_whole_buffer()
    {
        var counter = new NonceCounter(0x0102030405060708);
        byte[] nonce = Enumerable.Repeat((byte)0xAA, NonceCounter.NonceSizeInBytes).ToArray();
        Assert.True(counter.TryNext(nonce));
        Assert.Equal("000000000102030405060708", Convert.ToHexString(nonce));
    }

    [Fact]
    public void An_exhausted_counter_still_refuses_a_buffer_of_the_wrong_size()
    {
        var counter = new NonceCounter(ulong.MaxValue);
        Assert.Throws<ArgumentException>("nonce", () => counter.TryNext(new byte[8]));
    }

    [Fact]
    public void A_counter_started_on_the_reserved_value_hands_out_nothing()
    {
        var counter = new NonceCounter(ulong.MaxValue);
        Assert.False(counter.TryNext(new byte[NonceCounter.NonceSizeInBytes]));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    public void Nonce_buffers_of_the_wrong_size_are_refused(int size)
    {
        var counter = new NonceCounter();
        Assert.Throws<ArgumentException>("nonce", () => counter.TryNext(new byte[size]));
        Assert.Throws<ArgumentException>("nonce", () => NonceCounter.Write(0, new byte[size]));
        Assert.Equal(0UL, counter.Next);
    }
}
