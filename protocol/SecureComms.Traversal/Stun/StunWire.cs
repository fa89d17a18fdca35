using System.Buffers.Binary;

namespace SecureComms.Traversal.Stun;

/// <summary>Byte-level helpers of the STUN wire format shared by the reader, the writer and the integrity code.</summary>
internal static class StunWire
{
    /// <summary>Offset of the 16-bit message length in the header (§5).</summary>
    public const int LengthOffset = 2;

    /// <summary>Offset of the magic cookie in the header (§5).</summary>
    public const int MagicCookieOffset = 4;

    /// <summary>Offset of the transaction ID in the header (§5).</summary>
    public const int TransactionIdOffset = 8;

    /// <summary><paramref name="length"/> rounded up to a multiple of 4 (§14).</summary>
    public static int Padded(int length) => (length + StunLimits.Alignment - 1) & ~(StunLimits.Alignment - 1);

    /// <summary>
    /// A copy of <paramref name="message"/>[..<paramref name="end"/>] whose header length field says
    /// <paramref name="declaredEnd"/> − 20: the input of MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT, which
    /// "adjust the length to point to the end of" their own attribute (§14.5-14.7).
    /// </summary>
    public static byte[] PrefixWithLength(ReadOnlySpan<byte> message, int end, int declaredEnd)
    {
        byte[] prefix = message[..end].ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(prefix.AsSpan(LengthOffset), checked((ushort)(declaredEnd - StunLimits.HeaderSizeInBytes)));
        return prefix;
    }
}
