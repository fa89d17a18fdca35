using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace SecureComms.Crypto.Tests.Contracts;

/// <summary>
/// <see cref="Aes256Gcm"/>: argument checks, round trips on both implementation paths (96-bit nonces on the
/// platform, other lengths on BouncyCastle), agreement of each path with an independent GCM, and refusal
/// that zeroes the plaintext buffer (STYLE.md §12).
/// </summary>
public sealed class Aes256GcmContractTests
{
    private static readonly byte[] Key = TestBytes.Seeded(32, 1);
    private static readonly byte[] Plaintext = TestBytes.Seeded(45, 2);
    private static readonly byte[] AssociatedData = TestBytes.Seeded(13, 3);

    public static TheoryData<int> NonceLengths => [1, 8, 11, 12, 13, 16, 64];

    [Fact]
    public void Constructor_requires_a_256_bit_key()
    {
        Assert.Equal(32, Aes256Gcm.KeySizeInBytes);
        foreach (int length in new[] { 0, 16, 31, 33 })
        {
            ContractAssert.ThrowsArgument("key", () => new Aes256Gcm(new byte[length]).Dispose(), "32");
        }
        ContractAssert.ThrowsArgument("key", () => new Aes256Gcm((SymmetricKey)null!).Dispose());
    }

    [Fact]
    public void Seal_and_TryOpen_refuse_an_empty_nonce()
    {
        using var aead = new Aes256Gcm(Key);
        ContractAssert.ThrowsArgument("nonce", () => aead.Seal([], [], [], new byte[16]));
        ContractAssert.ThrowsArgument("nonce", () => aead.TryOpen([], [], new byte[16], []));
    }

    [Fact]
    public void Seal_and_TryOpen_require_a_128_bit_tag()
    {
        using var aead = new Aes256Gcm(Key);
        // Both paths: the platform's (12-byte nonce) and BouncyCastle's (any other length).
        foreach (var nonce in new[] { new byte[12], new byte[8] })
        {
            foreach (int length in new[] { 0, 12, 15, 17 })
            {
                ContractAssert.ThrowsArgument("tag", () => aead.Seal(nonce, [], [], new byte[length]), "16");
                ContractAssert.ThrowsArgument("tag", () => aead.TryOpen(nonce, [], new byte[length], []), "16");
            }
        }
    }

    [Fact]
    public void Seal_and_TryOpen_require_ciphertext_as_long_as_plaintext()
    {
        using var aead = new Aes256Gcm(Key);
        var nonce = new byte[12];
        var tag = new byte[16];
        ContractAssert.ThrowsArgument("ciphertext", () => aead.Seal(nonce, new byte[5], new byte[4], tag));
        ContractAssert.ThrowsArgument("ciphertext", () => aead.Seal(nonce, new byte[5], new byte[6], tag));
        ContractAssert.ThrowsArgument("ciphertext", () => aead.TryOpen(nonce, new byte[5], tag, new byte[4]));
        ContractAssert.ThrowsArgument("ciphertext", () => aead.TryOpen(nonce, new byte[5], tag, new byte[6]));
    }

    [Theory, MemberData(nameof(NonceLengths))]
    public void Seal_matches_an_independent_BouncyCastle_GCM(int nonceLength)
    {
        byte[] nonce = TestBytes.Seeded(nonceLength, 4);
        var (ciphertext, tag) = Seal(nonce, Plaintext, AssociatedData);
        byte[] expected = ReferenceSeal(Key, nonce, Plaintext, AssociatedData);
        Assert.Equal(expected[..Plaintext.Length], ciphertext);
        Assert.Equal(expected[Plaintext.Length..], tag);
    }

    [Theory, MemberData(nameof(NonceLengths))]
    public void TryOpen_recovers_the_plaintext(int nonceLength)
    {
        byte[] nonce = TestBytes.Seeded(nonceLength, 5);
        var (ciphertext, tag) = Seal(nonce, Plaintext, AssociatedData);
        using var aead = new Aes256Gcm(Key);
        var opened = TestBytes.Poisoned(Plaintext.Length);
        Assert.True(aead.TryOpen(nonce, ciphertext, tag, opened, AssociatedData));
        Assert.Equal(Plaintext, opened);
    }

    [Theory, MemberData(nameof(NonceLengths))]
    public void TryOpen_refuses_a_forgery_and_zeroes_the_plaintext_buffer(int nonceLength)
    {
        byte[] nonce = TestBytes.Seeded(nonceLength, 6);
        var (ciphertext, tag) = Seal(nonce, Plaintext, AssociatedData);
        using var aead = new Aes256Gcm(Key);
        AssertRefused(aead, nonce, TestBytes.FlipBit(ciphertext, 0), tag, AssociatedData);
        AssertRefused(aead, nonce, ciphertext, TestBytes.FlipBit(tag, 127), AssociatedData);
        AssertRefused(aead, TestBytes.FlipBit(nonce, 3), ciphertext, tag, AssociatedData);
        AssertRefused(aead, nonce, ciphertext, tag, TestBytes.FlipBit(AssociatedData, 9));
        AssertRefused(aead, nonce, ciphertext, tag, []);
    }

    [Fact]
    public void Empty_plaintext_still_authenticates_the_associated_data()
    {
        byte[] nonce = TestBytes.Seeded(12, 7);
        var (ciphertext, tag) = Seal(nonce, [], AssociatedData);
        Assert.Empty(ciphertext);
        Assert.Equal(ReferenceSeal(Key, nonce, [], AssociatedData), tag);
        using var aead = new Aes256Gcm(Key);
        Assert.True(aead.TryOpen(nonce, [], tag, [], AssociatedData));
        Assert.False(aead.TryOpen(nonce, [], tag, [], TestBytes.FlipBit(AssociatedData, 0)));
    }

    [Fact]
    public void The_SymmetricKey_constructor_uses_the_same_key_and_leaves_the_callers_key_alive()
    {
        using var key = SymmetricKey.Import(Key);
        byte[] nonce = TestBytes.Seeded(12, 8);
        var fromKey = (ciphertext: new byte[Plaintext.Length], tag: new byte[16]);
        using (var aead = new Aes256Gcm(key))
        {
            aead.Seal(nonce, Plaintext, fromKey.ciphertext, fromKey.tag, AssociatedData);
        }
        Assert.False(key.IsDisposed);
        var (ciphertext, tag) = Seal(nonce, Plaintext, AssociatedData);
        Assert.Equal(ciphertext, fromKey.ciphertext);
        Assert.Equal(tag, fromKey.tag);
    }

    [Fact]
    public void Seal_and_TryOpen_after_dispose_throw_ObjectDisposedException()
    {
        var aead = new Aes256Gcm(Key);
        aead.Dispose();
        foreach (int nonceLength in new[] { 12, 16 })
        {
            var nonce = new byte[nonceLength];
            Assert.Throws<ObjectDisposedException>(() => aead.Seal(nonce, [], [], new byte[16]));
            Assert.Throws<ObjectDisposedException>(() => aead.TryOpen(nonce, [], new byte[16], []));
        }
    }

    [Fact]
    public void ToString_names_the_algorithm_only()
    {
        using var aead = new Aes256Gcm(Key);
        Assert.Equal("AES-256-GCM", aead.ToString());
    }

    private static (byte[] Ciphertext, byte[] Tag) Seal(byte[] nonce, byte[] plaintext, byte[] associatedData)
    {
        using var aead = new Aes256Gcm(Key);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[Aes256Gcm.TagSizeInBytes];
        aead.Seal(nonce, plaintext, ciphertext, tag, associatedData);
        return (ciphertext, tag);
    }

    private static void AssertRefused(Aes256Gcm aead, byte[] nonce, byte[] ciphertext, byte[] tag, byte[] associatedData)
    {
        var plaintext = TestBytes.Poisoned(ciphertext.Length);
        Assert.False(aead.TryOpen(nonce, ciphertext, tag, plaintext, associatedData));
        ContractAssert.AllZero(plaintext);
    }

    /// <summary>GCM from BouncyCastle's portable <see cref="AesEngine"/>, built here, not by the wrapper:
    /// ciphertext ‖ tag.</summary>
    private static byte[] ReferenceSeal(byte[] key, byte[] nonce, byte[] plaintext, byte[] associatedData)
    {
        var cipher = new GcmBlockCipher(new AesEngine());
        cipher.Init(true, new AeadParameters(new KeyParameter(key), 128, nonce, associatedData));
        var output = new byte[cipher.GetOutputSize(plaintext.Length)];
        int written = cipher.ProcessBytes(plaintext, 0, plaintext.Length, output, 0);
        cipher.DoFinal(output, written);
        return output;
    }
}
