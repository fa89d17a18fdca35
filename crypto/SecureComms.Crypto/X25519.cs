namespace SecureComms.Crypto;

/// <summary>
/// X25519 Diffie-Hellman: shared = X25519(k, u).
/// </summary>
/// <remarks>
/// <para><b>References.</b> RFC 7748 §5 (the function), §6.1 (key agreement, and the all-zero check).
/// Implementation: libsodium <c>crypto_scalarmult_curve25519</c>.</para>
/// <para><b>Parameters.</b> Private key, public key and output are 32 bytes.</para>
/// <para><b>Hazards.</b> A peer that sends a small-order point forces an all-zero output that any
/// eavesdropper knows; it is refused here as <see cref="AgreementResult.NonContributory"/> (STYLE.md §11)
/// and the output is zeroed. The raw output is not uniformly random: feed it to a KDF, never use it as a
/// key. The caller wipes the output span.</para>
/// </remarks>
public static class X25519
{
    /// <summary>Size of the shared secret: 256 bits.</summary>
    public const int SharedSecretSizeInBytes = 256 / 8;

    /// <summary>
    /// Computes X25519(privateKey, publicKey) into <paramref name="sharedSecret"/>.
    /// </summary>
    /// <returns><see cref="AgreementResult.Success"/>, or <see cref="AgreementResult.NonContributory"/>
    /// (output zeroed) when the result is all zero.</returns>
    public static AgreementResult Agree(X25519PrivateKey privateKey, X25519PublicKey publicKey, Span<byte> sharedSecret)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        ArgumentNullException.ThrowIfNull(publicKey);
        if (sharedSecret.Length != SharedSecretSizeInBytes)
        {
            throw new ArgumentException($"Shared secret must be {SharedSecretSizeInBytes} bytes.", nameof(sharedSecret));
        }
        return AgreeCore(privateKey.Scalar, publicKey.Bytes, sharedSecret);
    }

    private static AgreementResult AgreeCore(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> u, Span<byte> output)
    {
        LibSodium.EnsureInitialized();
        // libsodium returns -1 exactly when the output is all zero (libsodium scalarmult/curve25519.c).
        if (LibSodium.crypto_scalarmult_curve25519(ref output[0], in scalar[0], in u[0]) != 0)
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(output);
            return AgreementResult.NonContributory;
        }
        return AgreementResult.Success;
    }
}

/// <summary>Outcome of a Diffie-Hellman agreement.</summary>
public enum AgreementResult
{
    /// <summary>The shared secret was written.</summary>
    Success = 0,

    /// <summary>The peer's key is of small order: the result is all zero and was refused (RFC 7748 §6.1).</summary>
    NonContributory = 1,
}
