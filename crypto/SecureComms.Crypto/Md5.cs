namespace SecureComms.Crypto;

/// <summary>
/// MD5 (RFC 1321): 16-byte digest, kept only for STUN's long-term credential key (RFC 8489 §9.2.2,
/// <c>key = MD5(username ":" realm ":" password)</c>, the default password algorithm).
/// Implementation: <see cref="System.Security.Cryptography.MD5"/>.
/// </summary>
/// <remarks>Hazard: MD5 is broken (collisions in seconds); never use it for anything a protocol does not
/// force. STUN peers that support it negotiate SHA-256 instead (PASSWORD-ALGORITHM, RFC 8489 §14.12).</remarks>
public static class Md5
{
    /// <summary>Digest size: 128 bits.</summary>
    public const int HashSizeInBytes = 128 / 8;

    /// <summary>Hashes <paramref name="data"/> into <paramref name="hash"/> (16 bytes).</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> hash)
    {
        if (hash.Length != HashSizeInBytes)
        {
            throw new ArgumentException($"Hash must be {HashSizeInBytes} bytes.", nameof(hash));
        }
        System.Security.Cryptography.MD5.HashData(data, hash);
    }
}
