using System.Security.Cryptography;

namespace SecureComms.Crypto.Tests.Contracts;

/// <summary>
/// Test-only, straight-line transcriptions of two XEdDSA signers, built from libsodium's group and scalar
/// operations rather than from <see cref="XEdDsa"/>:
/// <list type="bullet">
/// <item>the spec's xeddsa_sign (XEdDSA rev. 1 §2.3): a = −k mod q when E = kB has sign bit 1, else k mod q;
/// A = E with sign bit 0; r = hash1(a ‖ M ‖ Z);</item>
/// <item>libsignal's <c>calculate_signature</c> (libsignal <c>rust/core/src/curve/curve25519.rs</c>,
/// libsignal-protocol-c <c>curve_sigs.c</c>): a = k mod q, never negated; A = E with its sign bit as is;
/// r = hash1(k ‖ M ‖ Z); E's sign bit stored in bit 511 of the signature.</item>
/// </list>
/// Both then compute R = rB, h = SHA-512(R ‖ A ‖ M) mod q, s = r + h·a mod q.
/// </summary>
internal static class ReferenceXEdDsa
{
    private static readonly byte[] Hash1Prefix = [0xFE, .. Enumerable.Repeat((byte)0xFF, 31)];

    /// <summary>The spec's xeddsa_sign(k, M, Z), k clamped as the X25519 function clamps it.</summary>
    public static byte[] SignAsSpec(byte[] privateKey, byte[] message, byte[] random)
    {
        byte[] k = Clamped(privateKey);
        byte[] bigA = EdwardsPublicKey(k);
        byte[] a = Reduce(k);
        if (bigA[31] >> 7 == 1)
        {
            a = Negate(a);
            bigA[31] &= 0x7F;
        }
        return SignCore(a, bigA, Reduce(SHA512.HashData([.. Hash1Prefix, .. a, .. message, .. random])), message);
    }

    /// <summary>libsignal's calculate_signature(k, M, Z).</summary>
    public static byte[] SignAsLibsignal(byte[] privateKey, byte[] message, byte[] random)
    {
        byte[] k = Clamped(privateKey);
        byte[] bigA = EdwardsPublicKey(k);
        byte[] signature = SignCore(Reduce(k), bigA, Reduce(SHA512.HashData([.. Hash1Prefix, .. k, .. message, .. random])), message);
        signature[63] |= (byte)(bigA[31] & 0x80);
        return signature;
    }

    /// <summary>The sign bit of E = kB for the clamped form of <paramref name="privateKey"/>.</summary>
    public static int EdwardsSign(byte[] privateKey) => EdwardsPublicKey(Clamped(privateKey))[31] >> 7;

    private static byte[] SignCore(byte[] a, byte[] bigA, byte[] r, byte[] message)
    {
        var signature = new byte[64];
        Assert.Equal(0, LibSodium.crypto_scalarmult_ed25519_base_noclamp(ref signature[0], in r[0]));
        byte[] h = Reduce(SHA512.HashData([.. signature[..32], .. bigA, .. message]));
        var s = new byte[32];
        LibSodium.crypto_core_ed25519_scalar_mul(ref s[0], in h[0], in a[0]);
        LibSodium.crypto_core_ed25519_scalar_add(ref s[0], in s[0], in r[0]);
        s.CopyTo(signature, 32);
        return signature;
    }

    private static byte[] Clamped(byte[] privateKey)
    {
        byte[] k = [.. privateKey];
        X25519PrivateKey.Clamp(k);
        return k;
    }

    private static byte[] EdwardsPublicKey(byte[] clampedScalar)
    {
        LibSodium.EnsureInitialized();
        var point = new byte[32];
        Assert.Equal(0, LibSodium.crypto_scalarmult_ed25519_base_noclamp(ref point[0], in clampedScalar[0]));
        return point;
    }

    private static byte[] Reduce(byte[] value)
    {
        byte[] wide = [.. value, .. new byte[64 - value.Length]];
        var scalar = new byte[32];
        LibSodium.crypto_core_ed25519_scalar_reduce(ref scalar[0], in wide[0]);
        return scalar;
    }

    private static byte[] Negate(byte[] scalar)
    {
        var negated = new byte[32];
        LibSodium.crypto_core_ed25519_scalar_negate(ref negated[0], in scalar[0]);
        return negated;
    }
}
