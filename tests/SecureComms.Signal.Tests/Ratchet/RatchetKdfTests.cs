using System.Security.Cryptography;
using SecureComms.Signal.Ratchet;

namespace SecureComms.Signal.Tests.Ratchet;

/// <summary>
/// KDF_RK restated from Double Ratchet §5.2 as libsignal instantiates it, computed independently with .NET's
/// HKDF: a KDF that both parties share could be wrong in the same way on both sides and still converse, so
/// only a known answer catches it (libsignal's own root-key vector needs an unclamped ladder: THREATMODEL).
/// </summary>
public sealed class RatchetKdfTests
{
    [Fact]
    public void KdfRk_is_HKDF_with_the_root_key_as_salt_split_into_root_and_chain_keys()
    {
        byte[] rootKey = RandomNumberGenerator.GetBytes(32), dhOutput = RandomNumberGenerator.GetBytes(32);
        byte[] expected = HKDF.DeriveKey(HashAlgorithmName.SHA256, dhOutput, 64, rootKey, "WhisperRatchet"u8.ToArray());
        byte[] newRoot = new byte[32], chain = new byte[32];

        RatchetKdf.KdfRk(rootKey, dhOutput, newRoot, chain);

        Assert.Equal(expected[..32], newRoot);
        Assert.Equal(expected[32..], chain);
    }

    [Fact]
    public void KdfRk_may_write_the_new_root_key_over_its_input()
    {
        byte[] rootKey = RandomNumberGenerator.GetBytes(32), dhOutput = RandomNumberGenerator.GetBytes(32);
        byte[] expected = HKDF.DeriveKey(HashAlgorithmName.SHA256, dhOutput, 64, rootKey, "WhisperRatchet"u8.ToArray());
        byte[] chain = new byte[32];

        RatchetKdf.KdfRk(rootKey, dhOutput, rootKey, chain); // as DhRatchet's second step does

        Assert.Equal(expected[..32], rootKey);
    }
}
