using System.Security.Cryptography;

namespace SecureComms.Crypto.Tests.Contracts;

/// <summary>
/// <see cref="Aes256Cbc"/>: argument checks, PKCS#7 length arithmetic, round trips across block boundaries,
/// and refusal (false, zero bytes written, buffer zeroed) of malformed ciphertexts.
/// </summary>
public sealed class Aes256CbcContractTests
{
    private static readonly byte[] Key = TestBytes.Seeded(32, 1);
    private static readonly byte[] Iv = TestBytes.Seeded(16, 2);

    public static TheoryData<int> PlaintextLengths => [.. Enumerable.Range(0, 34)];

    [Fact]
    public void Constructor_requires_a_256_bit_key()
    {
        foreach (int length in new[] { 0, 16, 31, 33 })
        {
            ContractAssert.ThrowsArgument("key", () => new Aes256Cbc(new byte[length]).Dispose(), "32");
        }
    }

    [Fact]
    public void Encrypt_and_TryDecrypt_require_a_128_bit_iv()
    {
        using var cbc = new Aes256Cbc(Key);
        foreach (int length in new[] { 0, 15, 17 })
        {
            ContractAssert.ThrowsArgument("iv", () => cbc.Encrypt(new byte[length], [], new byte[16]), "16");
            ContractAssert.ThrowsArgument("iv", () => cbc.TryDecrypt(new byte[length], new byte[16], new byte[16], out _), "16");
        }
    }

    [Fact]
    public void Encrypt_requires_room_for_the_padded_ciphertext()
    {
        using var cbc = new Aes256Cbc(Key);
        ContractAssert.ThrowsArgument("ciphertext", () => cbc.Encrypt(Iv, new byte[16], new byte[31]), "32");
        Assert.Equal(32, cbc.Encrypt(Iv, new byte[16], new byte[32]));
        Assert.Equal(32, cbc.Encrypt(Iv, new byte[16], new byte[33]));
    }

    [Fact]
    public void TryDecrypt_requires_a_plaintext_buffer_as_long_as_the_ciphertext()
    {
        using var cbc = new Aes256Cbc(Key);
        ContractAssert.ThrowsArgument("plaintext", () => cbc.TryDecrypt(Iv, new byte[32], new byte[31], out _), "32");
    }

    [Fact]
    public void CiphertextLength_rounds_up_to_the_next_whole_block()
    {
        Assert.Equal(16, Aes256Cbc.CiphertextLength(0));
        Assert.Equal(16, Aes256Cbc.CiphertextLength(1));
        Assert.Equal(16, Aes256Cbc.CiphertextLength(15));
        Assert.Equal(32, Aes256Cbc.CiphertextLength(16));
        Assert.Equal(32, Aes256Cbc.CiphertextLength(17));
        Assert.Equal(48, Aes256Cbc.CiphertextLength(32));
        Assert.Throws<ArgumentOutOfRangeException>("plaintextLength", () => Aes256Cbc.CiphertextLength(-1));
        Assert.Throws<OverflowException>(() => Aes256Cbc.CiphertextLength(int.MaxValue));
    }

    [Theory, MemberData(nameof(PlaintextLengths))]
    public void Encrypt_then_TryDecrypt_round_trips_with_PKCS7_padding(int length)
    {
        byte[] plaintext = TestBytes.Seeded(length, length);
        using var cbc = new Aes256Cbc(Key);
        var ciphertext = new byte[Aes256Cbc.CiphertextLength(length)];
        Assert.Equal(ciphertext.Length, cbc.Encrypt(Iv, plaintext, ciphertext));

        // The last block, decrypted without unpadding, ends in n bytes of value n (RFC 5652 §6.3).
        using var aes = Aes.Create();
        aes.Key = Key;
        byte[] padded = aes.DecryptCbc(ciphertext, Iv, PaddingMode.None);
        int pad = ciphertext.Length - length;
        Assert.All(padded[length..], b => Assert.Equal(pad, b));
        Assert.Equal(plaintext, padded[..length]);

        var decrypted = TestBytes.Poisoned(ciphertext.Length);
        Assert.True(cbc.TryDecrypt(Iv, ciphertext, decrypted, out int written));
        Assert.Equal(length, written);
        Assert.Equal(plaintext, decrypted[..written]);
    }

    [Fact]
    public void TryDecrypt_refuses_bad_padding_and_zeroes_the_buffer()
    {
        using var cbc = new Aes256Cbc(Key);
        using var aes = Aes.Create();
        aes.Key = Key;
        // Last byte 0x00, 0x11 (> 16) and an inconsistent run: none is valid PKCS#7.
        foreach (byte[] block in new[] { new byte[16], Enumerable.Repeat((byte)0x11, 16).ToArray(), [.. new byte[14], 1, 2] })
        {
            byte[] ciphertext = aes.EncryptCbc(block, Iv, PaddingMode.None);
            AssertRefused(cbc, ciphertext);
        }
    }

    [Fact]
    public void TryDecrypt_refuses_an_empty_or_partial_block_ciphertext_and_zeroes_the_buffer()
    {
        using var cbc = new Aes256Cbc(Key);
        var valid = new byte[32];
        cbc.Encrypt(Iv, new byte[16], valid);
        AssertRefused(cbc, []);
        AssertRefused(cbc, valid[..15]);
        AssertRefused(cbc, valid[..17]);
        AssertRefused(cbc, valid[..31]);
    }

    [Fact]
    public void Use_after_dispose_throws_ObjectDisposedException()
    {
        var cbc = new Aes256Cbc(Key);
        cbc.Dispose();
        Assert.Throws<ObjectDisposedException>(() => cbc.Encrypt(Iv, [], new byte[16]));
        Assert.Throws<ObjectDisposedException>(() => cbc.TryDecrypt(Iv, new byte[16], new byte[16], out _));
    }

    [Fact]
    public void ToString_names_the_algorithm_only()
    {
        using var cbc = new Aes256Cbc(Key);
        Assert.Equal("AES-256-CBC-PKCS7", cbc.ToString());
    }

    private static void AssertRefused(Aes256Cbc cbc, byte[] ciphertext)
    {
        var plaintext = TestBytes.Poisoned(Math.Max(ciphertext.Length, 16));
        Assert.False(cbc.TryDecrypt(Iv, ciphertext, plaintext, out int written));
        Assert.Equal(0, written);
        ContractAssert.AllZero(plaintext);
    }
}
