namespace SecureComms.Crypto;

/// <summary>
/// An X25519 private key (RFC 7748 §5 scalar) in a <see cref="Secret"/> container, with its public key.
/// </summary>
/// <remarks>
/// Generated keys are clamped at generation (RFC 7748 §5 decodeScalar25519), so the stored scalar is the
/// one used; imported keys are kept as given and clamped by the function, as RFC 7748 requires.
/// XEdDSA signs with this same key (<see cref="XEdDsa"/>).
/// </remarks>
public sealed class X25519PrivateKey : Secret
{
    /// <summary>Private key size: 256 bits.</summary>
    public const int SizeInBytes = 256 / 8;

    private X25519PrivateKey(ReadOnlySpan<byte> scalar, bool exportable) : base(scalar, exportable)
    {
        PublicKey = DerivePublicKey(scalar);
    }

    /// <summary>The matching public key, X25519(k, 9).</summary>
    public X25519PublicKey PublicKey { get; }

    /// <summary>A fresh key from the operating system's CSPRNG, clamped.</summary>
    public static X25519PrivateKey Generate(bool exportable = false)
    {
        Span<byte> scalar = stackalloc byte[SizeInBytes];
        try
        {
            System.Security.Cryptography.RandomNumberGenerator.Fill(scalar);
            Clamp(scalar);
            return new X25519PrivateKey(scalar, exportable);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(scalar);
        }
    }

    /// <summary>Copies a 32-byte scalar into a new container (kept as given).</summary>
    public static X25519PrivateKey Import(ReadOnlySpan<byte> scalar, bool exportable = false)
    {
        if (scalar.Length != SizeInBytes)
        {
            throw new ArgumentException($"X25519 private key must be {SizeInBytes} bytes.", nameof(scalar));
        }
        return new X25519PrivateKey(scalar, exportable);
    }

    /// <summary>RFC 7748 §5 decodeScalar25519 clamping, in place.</summary>
    public static void Clamp(Span<byte> scalar)
    {
        scalar[0] &= 248;
        scalar[31] &= 127;
        scalar[31] |= 64;
    }

    internal ReadOnlySpan<byte> Scalar => Value;

    private static X25519PublicKey DerivePublicKey(ReadOnlySpan<byte> scalar)
    {
        LibSodium.EnsureInitialized();
        Span<byte> u = stackalloc byte[X25519PublicKey.SizeInBytes];
        // crypto_scalarmult_curve25519_base clamps internally; it fails only for a zero result, impossible
        // for a clamped scalar times the base point.
        // Stryker disable once all : unreachable (see above); kept so that a libsodium change fails loudly.
        if (LibSodium.crypto_scalarmult_curve25519_base(ref u[0], in scalar[0]) != 0)
        {
            throw new System.Security.Cryptography.CryptographicException("X25519 base-point multiplication failed.");
        }
        return X25519PublicKey.Decode(u);
    }
}
