using System.Security.Cryptography;

namespace SecureComms.Crypto;

/// <summary>
/// HMAC-SHA256: a 32-byte message authentication code, optionally truncated on verification.
/// </summary>
/// <remarks>
/// <para><b>References.</b> RFC 2104 (HMAC), FIPS 198-1, RFC 4231 (test cases), RFC 2104 §5 (truncation:
/// keep the leftmost bytes, no fewer than half the hash length or 80 bits, except where a protocol fixes
/// otherwise: Signal's v3 messages carry 8 bytes).</para>
/// <para><b>Parameters.</b> Key of any length (keys over 64 bytes are hashed first); MAC
/// <see cref="MacSizeInBytes"/> = 32; verification accepts a truncated MAC of at least
/// <see cref="MinTruncatedMacSizeInBytes"/> bytes.</para>
/// <para><b>Implementation.</b> <see cref="HMACSHA256"/>; comparison with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>.</para>
/// <para><b>Hazards.</b> Compare MACs only with <see cref="Verify"/> (fixed time). A truncated MAC of n
/// bytes gives at most 8n bits of forgery resistance.</para>
/// </remarks>
public static class HmacSha256
{
    /// <summary>Full MAC size: 256 bits.</summary>
    public const int MacSizeInBytes = 256 / 8;

    /// <summary>Shortest MAC accepted by <see cref="Verify"/>: 64 bits (Signal v3 message MAC).</summary>
    public const int MinTruncatedMacSizeInBytes = 64 / 8;

    /// <summary>Computes the full 32-byte MAC of <paramref name="data"/> under <paramref name="key"/>.</summary>
    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        if (mac.Length != MacSizeInBytes)
        {
            throw new ArgumentException($"MAC must be {MacSizeInBytes} bytes.", nameof(mac));
        }
        HMACSHA256.HashData(key, data, mac);
    }

    /// <summary>
    /// True when <paramref name="mac"/> equals the leftmost bytes of the MAC of <paramref name="data"/>,
    /// compared in fixed time. A MAC shorter than <see cref="MinTruncatedMacSizeInBytes"/> or longer than
    /// <see cref="MacSizeInBytes"/> never verifies.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> mac)
    {
        if (mac.Length < MinTruncatedMacSizeInBytes || mac.Length > MacSizeInBytes)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[MacSizeInBytes];
        try
        {
            HMACSHA256.HashData(key, data, expected);
            return CryptographicOperations.FixedTimeEquals(expected[..mac.Length], mac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expected);
        }
    }
}
