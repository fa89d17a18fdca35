using SecureComms.Server.Accounts;

namespace SecureComms.Cloud.Tests.Accounts;

public sealed class SessionTokenTests
{
    [Fact]
    public void A_token_is_256_random_bits_in_43_base64url_characters_and_its_hash_is_recomputable()
    {
        (string token, byte[] hash) = SessionToken.Generate();
        Assert.Equal(SessionToken.EncodedLength, token.Length);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        Assert.Equal(32, hash.Length);
        Assert.True(SessionToken.TryHash(token, out byte[] again));
        Assert.Equal(hash, again);

        byte[] raw = System.Buffers.Text.Base64Url.DecodeFromChars(token);
        Assert.Equal(32, raw.Length);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(raw), hash);
    }

    [Fact]
    public void Tokens_are_distinct()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => SessionToken.Generate().Token).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(100, tokens.Count);
    }

    [Fact]
    public void Sessions_last_30_days()
    {
        Assert.Equal(TimeSpan.FromDays(30), SessionToken.Lifetime);
    }

    [Fact]
    public void Malformed_tokens_are_refused()
    {
        string token = SessionToken.Generate().Token;
        Assert.False(SessionToken.TryHash(null, out _));
        Assert.False(SessionToken.TryHash("", out _));
        Assert.False(SessionToken.TryHash(token[..42], out _));
        Assert.False(SessionToken.TryHash(token + "A", out _));
        Assert.False(SessionToken.TryHash(token[..42] + "=", out _));
        Assert.False(SessionToken.TryHash("+" + token[1..], out _)); // base64, not base64url
        Assert.False(SessionToken.TryHash("/" + token[1..], out _));
        Assert.False(SessionToken.TryHash(" " + token[1..], out _));

        // The last character carries 4 data bits and 2 zero bits; a non-zero filler is another spelling: refused.
        string canonical = System.Buffers.Text.Base64Url.EncodeToString(new byte[32]);
        Assert.True(SessionToken.TryHash(canonical, out _));
        Assert.False(SessionToken.TryHash(canonical[..42] + "B", out _));
    }
}
