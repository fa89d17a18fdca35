using System.Security.Cryptography;
using SecureComms.Channel.Noise;
using SecureComms.Crypto;

namespace SecureComms.Channel.Tests.Noise;

/// <summary>
/// §5.1 CipherState against an independent AES-256-GCM (the platform's <see cref="AesGcm"/>) and the spec's rules:
/// nonce encoding (§12.4), the reserved nonce 2^64 − 1, a failed decrypt not advancing n, REKEY (§4.2), the
/// 65535-byte limit, and the empty-key copy.
/// </summary>
public sealed class CipherStateTests
{
    [Fact]
    public void EncryptWithAdIsAesGcmWithBigEndianCounterNonce()
    {
        byte[] key = TestBytes.Random(32), ad = [1, 2, 3], plaintext = TestBytes.Random(50);
        using var cipher = new CipherState();
        cipher.InitializeKey(key);
        cipher.SetNonce(0x0102030405060708);
        byte[] ciphertext = new byte[66];
        Assert.Equal(66, cipher.EncryptWithAd(ad, plaintext, ciphertext));
        Assert.Equal(0x0102030405060709UL, cipher.Nonce);

        byte[] expected = new byte[66];
        using var reference = new AesGcm(key, 16);
        reference.Encrypt([0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8], plaintext, expected.AsSpan(0, 50), expected.AsSpan(50), ad);
        Assert.Equal(expected, ciphertext);
    }

    [Fact]
    public void ReservedNonceIsRefusedInBothDirections()
    {
        byte[] key = TestBytes.Random(32);
        using var sender = new CipherState();
        using var receiver = new CipherState();
        sender.InitializeKey(key);
        receiver.InitializeKey(key);
        sender.SetNonce(ulong.MaxValue - 1);
        receiver.SetNonce(ulong.MaxValue - 1);
        byte[] message = new byte[16], plaintext = [];
        sender.EncryptWithAd([], [], message);
        receiver.DecryptWithAd([], message, plaintext); // 2^64 − 2, the last usable nonce
        Assert.Equal(NoiseError.NonceExhausted, Assert.Throws<NoiseException>(() => sender.EncryptWithAd([], [], message)).Reason);
        Assert.Equal(NoiseError.NonceExhausted, Assert.Throws<NoiseException>(() => receiver.DecryptWithAd([], message, plaintext)).Reason);
        Assert.Equal(ulong.MaxValue, sender.Nonce);
    }

    [Fact]
    public void FailedDecryptKeepsNonceAndZeroesPlaintext()
    {
        byte[] key = TestBytes.Random(32);
        using var sender = new CipherState();
        using var receiver = new CipherState();
        sender.InitializeKey(key);
        receiver.InitializeKey(key);
        byte[] message = new byte[26];
        sender.EncryptWithAd([], TestBytes.Random(10), message);
        message[3] ^= 4;
        byte[] plaintext = Enumerable.Repeat((byte)0x55, 10).ToArray();
        Assert.Equal(NoiseError.DecryptionFailed, Assert.Throws<NoiseException>(() => receiver.DecryptWithAd([], message, plaintext)).Reason);
        Assert.Equal(0UL, receiver.Nonce);
        Assert.All(plaintext, b => Assert.Equal(0, b));
        message[3] ^= 4;
        Assert.Equal(10, receiver.DecryptWithAd([], message, plaintext));
        Assert.Equal(1UL, receiver.Nonce);
        Assert.Equal(NoiseError.DecryptionFailed, Assert.Throws<NoiseException>(() => receiver.DecryptWithAd([], new byte[15], plaintext)).Reason);
    }

    /// <summary>REKEY(k) = first 32 bytes of ENCRYPT(k, 2^64 − 1, zerolen, zeros); n is kept (§11.3).</summary>
    [Fact]
    public void RekeyFollowsTheDefaultRekeyFunction()
    {
        byte[] key = TestBytes.Random(32);
        using var cipher = new CipherState();
        cipher.InitializeKey(key);
        cipher.SetNonce(5);
        cipher.Rekey();
        Assert.Equal(5UL, cipher.Nonce);

        byte[] newKey = new byte[32], tag = new byte[16];
        using (var reference = new AesGcm(key, 16))
        {
            reference.Encrypt((byte[])[0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], new byte[32], newKey, tag);
        }
        using var expected = new CipherState();
        expected.InitializeKey(newKey);
        expected.SetNonce(5);
        byte[] a = new byte[20], b = new byte[20];
        cipher.EncryptWithAd([], [1, 2, 3, 4], a);
        expected.EncryptWithAd([], [1, 2, 3, 4], b);
        Assert.Equal(b, a);
        using var empty = new CipherState();
        Assert.Throws<InvalidOperationException>(() => empty.Rekey());
    }

    [Fact]
    public void EmptyKeyCopiesAndLimitsHold()
    {
        using var cipher = new CipherState();
        Assert.False(cipher.HasKey());
        byte[] output = new byte[3];
        Assert.Equal(3, cipher.EncryptWithAd([9], [1, 2, 3], output));
        Assert.Equal([1, 2, 3], output);
        cipher.InitializeKey(TestBytes.Random(32));
        Assert.True(cipher.HasKey());
        Assert.Throws<ArgumentException>(() => cipher.EncryptWithAd([], new byte[NoiseLimits.MaxPlaintextLength + 1], new byte[NoiseLimits.MaxMessageLength + 1]));
        Assert.Equal(NoiseError.MessageTooLarge,
            Assert.Throws<NoiseException>(() => cipher.DecryptWithAd([], new byte[NoiseLimits.MaxMessageLength + 1], new byte[NoiseLimits.MaxMessageLength])).Reason);
        Assert.Throws<ArgumentException>(() => cipher.InitializeKey(new byte[31]));
        Assert.DoesNotContain("=", cipher.ToString().Replace("n=0", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
