using System.Numerics;
using System.Security.Cryptography;

namespace SecureComms.Crypto.Tests.Threats;

/// <summary>
/// THREATMODEL T7, non-canonical encodings: the same curve point written two ways must not verify under
/// both. XEdDSA §2.4 refuses u ≥ p; here a signature that is valid under u = 9 (whose Edwards twin is the
/// ed25519 base point, y = 4/5) is refused under u + p and under u with bit 255 set, which a reducing
/// decoder would map to the same point.
/// </summary>
public sealed class NonCanonicalKeyTests
{
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;

    [Fact]
    public void An_XEdDSA_signature_valid_under_u_equal_9_is_refused_under_u_plus_p_and_with_bit_255_set()
    {
        byte[] message = "u = 9 and u = 9 + p are the same point"u8.ToArray();
        byte[] signature = SignWithScalarOne(message);

        Assert.True(XEdDsa.Verify(Key(9), message, signature));
        Assert.False(XEdDsa.Verify(Key(9 + P), message, signature));
        Assert.False(XEdDsa.Verify(Key(9 + BigInteger.Pow(2, 255)), message, signature));
    }

    private static X25519PublicKey Key(BigInteger u)
    {
        var bytes = new byte[32];
        Assert.True(u.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false));
        return X25519PublicKey.Decode(bytes);
    }

    /// <summary>
    /// An EdDSA signature by the scalar a = 1, whose public key is the base point B itself (sign bit 0), made
    /// from libsodium's scalar operations: R = rB, h = SHA-512(R ‖ B ‖ M) mod q, s = r + h.
    /// </summary>
    private static byte[] SignWithScalarOne(byte[] message)
    {
        LibSodium.EnsureInitialized();
        byte[] one = new byte[32], basePoint = new byte[32], wide = RandomNumberGenerator.GetBytes(64);
        one[0] = 1;
        Assert.Equal(0, LibSodium.crypto_scalarmult_ed25519_base_noclamp(ref basePoint[0], in one[0]));
        Assert.Equal(0, basePoint[31] >> 7);

        byte[] r = new byte[32], h = new byte[32], signature = new byte[64];
        LibSodium.crypto_core_ed25519_scalar_reduce(ref r[0], in wide[0]);
        Assert.Equal(0, LibSodium.crypto_scalarmult_ed25519_base_noclamp(ref signature[0], in r[0]));
        byte[] digest = SHA512.HashData([.. signature.AsSpan(0, 32), .. basePoint, .. message]);
        LibSodium.crypto_core_ed25519_scalar_reduce(ref h[0], in digest[0]);
        LibSodium.crypto_core_ed25519_scalar_add(ref signature[32], in r[0], in h[0]);
        return signature;
    }
}
