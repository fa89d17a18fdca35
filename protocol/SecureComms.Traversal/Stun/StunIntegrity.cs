using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using SecureComms.Crypto;
using SecureComms.Traversal.Stun.Attributes;

namespace SecureComms.Traversal.Stun;

/// <summary>
/// MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT computed and checked over message bytes
/// (RFC 8489 §14.5-14.7).
/// </summary>
/// <remarks>
/// <para><b>Input.</b> Each value covers the message from the header up to (excluding) its own attribute, with the
/// header length temporarily set as if the message ended right after that attribute (so MESSAGE-INTEGRITY ignores a
/// FINGERPRINT that follows, and MESSAGE-INTEGRITY-SHA256 covers a MESSAGE-INTEGRITY before it). Padding bytes are
/// covered as they are on the wire.</para>
/// <para><b>Fixed time.</b> MACs are compared with <see cref="HmacSha1.Verify"/> and <see cref="HmacSha256.Verify"/>
/// (<c>CryptographicOperations.FixedTimeEquals</c>). FINGERPRINT is a checksum, compared plainly.</para>
/// <para><b>CRC-32.</b> <see cref="Crc32"/> from System.IO.Hashing (the ISO-HDLC / IEEE 802.3 polynomial that
/// §14.7 names), not a cryptographic primitive.</para>
/// </remarks>
internal static class StunIntegrity
{
    /// <summary>
    /// Computes the HMAC-SHA1 for a MESSAGE-INTEGRITY attribute starting at <paramref name="attributeOffset"/> of
    /// <paramref name="message"/>, into <paramref name="mac"/> (20 bytes).
    /// </summary>
    public static void ComputeMessageIntegrity(ReadOnlySpan<byte> message, int attributeOffset, StunKey key, Span<byte> mac)
    {
        int end = attributeOffset + StunLimits.AttributeHeaderSizeInBytes + MessageIntegrityAttribute.ValueSizeInBytes;
        HmacSha1.Compute(key.Bytes, StunWire.PrefixWithLength(message, attributeOffset, end), mac);
    }

    /// <summary>
    /// Computes the HMAC-SHA256 for a MESSAGE-INTEGRITY-SHA256 attribute of <paramref name="mac"/>.Length bytes
    /// starting at <paramref name="attributeOffset"/>: the leftmost bytes of the full HMAC.
    /// </summary>
    public static void ComputeMessageIntegritySha256(ReadOnlySpan<byte> message, int attributeOffset, StunKey key, Span<byte> mac)
    {
        int end = attributeOffset + StunLimits.AttributeHeaderSizeInBytes + mac.Length;
        Span<byte> full = stackalloc byte[HmacSha256.MacSizeInBytes];
        HmacSha256.Compute(key.Bytes, StunWire.PrefixWithLength(message, attributeOffset, end), full);
        full[..mac.Length].CopyTo(mac);
        CryptographicOperations.ZeroMemory(full);
    }

    /// <summary>Whether the MESSAGE-INTEGRITY at <paramref name="attributeOffset"/> of a received message verifies.</summary>
    public static bool VerifyMessageIntegrity(ReadOnlySpan<byte> message, int attributeOffset, StunKey key)
    {
        int valueOffset = attributeOffset + StunLimits.AttributeHeaderSizeInBytes;
        int end = valueOffset + MessageIntegrityAttribute.ValueSizeInBytes;
        return HmacSha1.Verify(key.Bytes, StunWire.PrefixWithLength(message, attributeOffset, end), message[valueOffset..end]);
    }

    /// <summary>Whether the MESSAGE-INTEGRITY-SHA256 at <paramref name="attributeOffset"/> (of
    /// <paramref name="length"/> bytes, already checked to be 16-32 and a multiple of 4) verifies.</summary>
    public static bool VerifyMessageIntegritySha256(ReadOnlySpan<byte> message, int attributeOffset, int length, StunKey key)
    {
        int valueOffset = attributeOffset + StunLimits.AttributeHeaderSizeInBytes;
        int end = valueOffset + length;
        return HmacSha256.Verify(key.Bytes, StunWire.PrefixWithLength(message, attributeOffset, end), message[valueOffset..end]);
    }

    /// <summary>
    /// §14.7: CRC-32 of the message up to the FINGERPRINT attribute at <paramref name="attributeOffset"/> (the
    /// header length counting FINGERPRINT, the last attribute) XOR 0x5354554E.
    /// </summary>
    public static uint Fingerprint(ReadOnlySpan<byte> message, int attributeOffset)
    {
        int end = attributeOffset + StunLimits.AttributeHeaderSizeInBytes + FingerprintAttribute.ValueSizeInBytes;
        return Crc32.HashToUInt32(StunWire.PrefixWithLength(message, attributeOffset, end)) ^ FingerprintAttribute.XorConstant;
    }

    /// <summary>The FINGERPRINT value carried at <paramref name="attributeOffset"/>.</summary>
    public static uint CarriedFingerprint(ReadOnlySpan<byte> message, int attributeOffset) =>
        BinaryPrimitives.ReadUInt32BigEndian(message[(attributeOffset + StunLimits.AttributeHeaderSizeInBytes)..]);
}
