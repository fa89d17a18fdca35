using System.Runtime.InteropServices;
using NSec.Cryptography;

namespace SecureComms.Crypto;

/// <summary>
/// Ed25519 signatures (PureEdDSA over edwards25519).
/// </summary>
/// <remarks>
/// <para><b>References.</b> RFC 8032 §5.1.6 (sign), §5.1.7 (verify), §7.1 (test vectors).</para>
/// <para><b>Parameters.</b> Seed 32 bytes, public key 32, signature <see cref="SignatureSizeInBytes"/> = 64.</para>
/// <para><b>Implementation.</b> Signing: NSec <see cref="SignatureAlgorithm.Ed25519"/> over the key in NSec's
/// guarded memory. Verification: libsodium <c>crypto_sign_ed25519_verify_detached</c> (the function NSec
/// calls) on the raw public key, so that no key object is allocated per call. libsodium rejects S ≥ L
/// (malleability), non-canonical and small-order public keys and R values.</para>
/// <para><b>Hazards.</b> Signatures are deterministic; the seed must stay secret and never be reused as an
/// X25519 key (use <see cref="XEdDsa"/> to sign with an X25519 key).</para>
/// </remarks>
public static class Ed25519
{
    /// <summary>Signature size: 512 bits (R ‖ S).</summary>
    public const int SignatureSizeInBytes = 512 / 8;

    /// <summary>Signs <paramref name="message"/> into <paramref name="signature"/> (64 bytes).</summary>
    public static void Sign(Ed25519PrivateKey privateKey, ReadOnlySpan<byte> message, Span<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        // Stryker disable all : equivalent; NSec refuses the same length naming "signature", this gives the size.
        if (signature.Length != SignatureSizeInBytes)
        {
            throw new ArgumentException($"Signature must be {SignatureSizeInBytes} bytes.", nameof(signature));
        }
        // Stryker restore all
        SignatureAlgorithm.Ed25519.Sign(privateKey.NSecKey, message, signature);
    }

    /// <summary>True when <paramref name="signature"/> is a valid signature of <paramref name="message"/>.
    /// Any malformed input (wrong length, invalid point, S ≥ L) is simply false.</summary>
    public static bool Verify(Ed25519PublicKey publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (signature.Length != SignatureSizeInBytes)
        {
            return false;
        }
        LibSodium.EnsureInitialized();
        return LibSodium.crypto_sign_ed25519_verify_detached(
            in signature[0], in MemoryMarshal.GetReference(message), (ulong)message.Length, in publicKey.Bytes[0]) == 0;
    }
}
