using System.Security.Cryptography;

namespace SecureComms.Crypto;

/// <summary>
/// HMAC-SHA1: the 20-byte MAC that STUN's MESSAGE-INTEGRITY attribute carries (RFC 8489 §14.5).
/// </summary>
/// <remarks>
/// <para><b>References.</b> RFC 2104 (HMAC), FIPS 198-1; RFC 8489 §14.5 (STUN MESSAGE-INTEGRITY).</para>
/// <para><b>Parameters.</b> Key of any length (keys over 64 bytes are hashed first); MAC
/// <see cref="MacSizeInBytes"/> = 20, never truncated.</para>
/// <para><b>Implementation.</b> <see cref="HMACSHA1"/>; comparison with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>.</para>
/// <para><b>Hazards.</b> Here only because a protocol mandates it: SHA-1 is broken for collision resistance,
/// which HMAC does not rely on, but new designs use <see cref="HmacSha256"/>. Compare MACs only with
/// <see cref="Verify"/> (fixed time).</para>
/// </remarks>
public static class HmacSha1
{
    /// <summary>MAC size: 160 bits.</summary>
    public const int MacSizeInBytes = 160 / 8;

    /// <summary>Computes the 20-byte MAC of <paramref name="data"/> under <paramref name="key"/>.</summary>
    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        if (mac.Length != MacSizeInBytes)
        {
            throw new ArgumentException($"MAC must be {MacSizeInBytes} bytes.", nameof(mac));
        }
        HMACSHA1.HashData(key, data, mac);
    }

    /// <summary>
    /// True when <paramref name="mac"/> is the MAC of <paramref name="data"/>, compared in fixed time. A MAC of
    /// any other length than <see cref="MacSizeInBytes"/> never verifies.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> mac)
    {
        if (mac.Length != MacSizeInBytes)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[MacSizeInBytes];
        try
        {
            HMACSHA1.HashData(key, data, expected);
            return CryptographicOperations.FixedTimeEquals(expected, mac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expected);
        }
    }
}
