namespace SecureComms.Crypto;

/// <summary>SHA-256 (FIPS 180-4 §6.2): 32-byte digest. Implementation: <see cref="System.Security.Cryptography.SHA256"/>.</summary>
/// <remarks>Hazard: plain hashes are not MACs (length extension); use <see cref="HmacSha256"/> with a key.</remarks>
public static class Sha256
{
    /// <summary>Digest size: 256 bits.</summary>
    public const int HashSizeInBytes = 256 / 8;

    /// <summary>Hashes <paramref name="data"/> into <paramref name="hash"/> (32 bytes).</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> hash)
    {
        if (hash.Length != HashSizeInBytes)
        {
            throw new ArgumentException($"Hash must be {HashSizeInBytes} bytes.", nameof(hash));
        }
        System.Security.Cryptography.SHA256.HashData(data, hash);
    }
}
