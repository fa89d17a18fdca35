using System.Security.Cryptography;
using System.Text;
using SecureComms.Channel.Noise;

namespace SecureComms.Channel.Tests.Noise;

/// <summary>
/// §5.2 SymmetricState against an independent computation with the platform's SHA-256, HKDF (RFC 5869, salt = ck,
/// empty info) and AES-GCM: InitializeSymmetric's padding and hashing of the name, MixHash, MixKey, MixKeyAndHash,
/// EncryptAndHash.
/// </summary>
public sealed class SymmetricStateTests
{
    [Fact]
    public void ShortNameIsPaddedLongNameIsHashed()
    {
        byte[] shortName = Encoding.ASCII.GetBytes("Noise_NN_25519_AESGCM_SHA256"); // 28 bytes
        using var state = new SymmetricState(shortName);
        Assert.Equal([.. shortName, 0, 0, 0, 0], state.GetHandshakeHash());
        byte[] longName = Encoding.ASCII.GetBytes("Noise_XXpsk0+psk3_25519_AESGCM_SHA256");
        using var hashed = new SymmetricState(longName);
        Assert.Equal(SHA256.HashData(longName), hashed.GetHandshakeHash());
    }

    [Fact]
    public void MixKeyThenEncryptAndHashMatchesHkdfAndAesGcm()
    {
        byte[] name = Encoding.ASCII.GetBytes("Noise_XX_25519_AESGCM_SHA256\0\0\0\0");
        byte[] ikm = RandomNumberGenerator.GetBytes(32), data = [7, 7, 7], plaintext = [1, 2, 3];
        using var state = new SymmetricState(name.AsSpan(0, 28));
        state.MixHash(data);
        state.MixKey(ikm);
        byte[] ciphertext = new byte[19];
        state.EncryptAndHash(plaintext, ciphertext);

        byte[] h = SHA256.HashData([.. name, .. data]);
        byte[] okm = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 64, salt: name, info: []);
        byte[] expected = new byte[19];
        using (var aes = new AesGcm(okm.AsSpan(32), 16))
        {
            aes.Encrypt(new byte[12], plaintext, expected.AsSpan(0, 3), expected.AsSpan(3), h);
        }
        Assert.Equal(expected, ciphertext);
        Assert.Equal(SHA256.HashData([.. h, .. expected]), state.GetHandshakeHash());
    }

    [Fact]
    public void MixKeyAndHashMixesTheSecondOutputIntoH()
    {
        byte[] name = new byte[32];
        name[0] = (byte)'N';
        byte[] psk = RandomNumberGenerator.GetBytes(32);
        using var state = new SymmetricState(name.AsSpan(0, 1));
        state.MixKeyAndHash(psk);
        byte[] okm = HKDF.DeriveKey(HashAlgorithmName.SHA256, psk, 96, salt: name, info: []);
        Assert.Equal(SHA256.HashData([.. name, .. okm.AsSpan(32, 32)]), state.GetHandshakeHash());
        Assert.True(state.HasKey());
    }

    [Fact]
    public void DecryptAndHashFailureLeavesHUnchanged()
    {
        using var state = new SymmetricState("x"u8);
        state.MixKey(new byte[32]);
        byte[] before = state.GetHandshakeHash();
        Assert.Throws<NoiseException>(() => state.DecryptAndHash(new byte[20], new byte[4]));
        Assert.Equal(before, state.GetHandshakeHash());
    }
}
