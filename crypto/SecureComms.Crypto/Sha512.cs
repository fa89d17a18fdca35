namespace SecureComms.Crypto;

/// <summary>SHA-512 (FIPS 180-4 §6.4): 64-byte digest. Implementation: <see cref="System.Security.Cryptography.SHA512"/>.</summary>
/// <remarks>Used by Ed25519/XEdDSA and Signal's numeric fingerprints. Hazard: not a MAC (length extension).</remarks>
public static class Sha512
{
    /// <summary>Digest size: 512 bits.</summary>
    public const int HashSizeInBytes = 512 / 8;

    /// <summary>Hashes <paramref name="data"/> into <paramref name="hash"/> (64 bytes).</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> hash)
    {
        if (hash.Length != HashSizeInBytes)
        {
            throw new ArgumentException($"Hash must be {HashSizeInBytes} bytes.", nameof(hash));
        }
        System.Security.Cryptography.SHA512.HashData(data, hash);
    }
}
