using System.Numerics;

namespace SecureComms.Crypto.Tests.Threats;

/// <summary>
/// THREATMODEL T5, malleable signatures: a valid signature (R, s) has a twin (R, s + L) that a verifier
/// reducing s mod L would also accept. Both Ed25519 and XEdDSA verification refuse s ≥ L.
/// </summary>
public sealed class MalleabilityTests
{
    /// <summary>L, the order of the ed25519 base point (RFC 8032 §5.1): checked below to reduce to zero.</summary>
    private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");

    [Fact]
    public void L_is_the_group_order_libsodium_reduces_to_zero()
    {
        var wide = new byte[64];
        L.TryWriteBytes(wide, out _, isUnsigned: true, isBigEndian: false);
        var reduced = new byte[32];
        LibSodium.crypto_core_ed25519_scalar_reduce(ref reduced[0], in wide[0]);
        Assert.All(reduced, b => Assert.Equal(0, b));
    }

    [Fact]
    public void XEdDsa_refuses_the_twin_signature_with_s_plus_L()
    {
        using var key = X25519PrivateKey.Generate();
        byte[] message = "transfer 10 to bob"u8.ToArray();
        var signature = new byte[XEdDsa.SignatureSizeInBytes];
        XEdDsa.Sign(key, message, signature);
        Assert.True(XEdDsa.Verify(key.PublicKey, message, signature));

        byte[] twin = WithSPlusL(signature);
        Assert.False(XEdDsa.Verify(key.PublicKey, message, twin));
    }

    [Fact]
    public void Ed25519_refuses_the_twin_signature_with_s_plus_L()
    {
        using var key = Ed25519PrivateKey.Generate();
        byte[] message = "transfer 10 to bob"u8.ToArray();
        var signature = new byte[Ed25519.SignatureSizeInBytes];
        Ed25519.Sign(key, message, signature);
        Assert.True(Ed25519.Verify(key.PublicKey, message, signature));
        Assert.False(Ed25519.Verify(key.PublicKey, message, WithSPlusL(signature)));
    }

    private static byte[] WithSPlusL(byte[] signature)
    {
        var s = new BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: false);
        var twin = (byte[])signature.Clone();
        Array.Clear(twin, 32, 32);
        (s + L).TryWriteBytes(twin.AsSpan(32), out _, isUnsigned: true, isBigEndian: false);
        Assert.True((twin[63] & 0xE0) == 0, "s + L stays below 2^253, so only the range check can refuse it");
        return twin;
    }
}
