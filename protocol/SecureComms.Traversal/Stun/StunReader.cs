using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using SecureComms.Traversal.Stun.Attributes;

namespace SecureComms.Traversal.Stun;

/// <summary>
/// Reads one STUN message from a datagram (RFC 8489 §5, §14): a total parser that returns a typed
/// <see cref="StunError"/> for every malformed input and never throws for any input bytes.
/// </summary>
/// <remarks>
/// <para><b>Checks, in order.</b> Size (20 bytes to the caller's bound, <see cref="StunLimits.MaxMessageSizeInBytes"/>
/// by default); the two leading zero bits; the magic cookie; the header length a multiple of 4 and equal to the
/// bytes after the header (a datagram carries exactly one message); then each attribute: its header and padded value
/// inside the message, at most <see cref="StunLimits.MaxAttributes"/>, a well-formed value for the types
/// SecureComms understands (<see cref="StunAttributeCodec"/>), the order of the integrity attributes, and the
/// FINGERPRINT value.</para>
/// <para><b>Padding</b> content is ignored (§14: RFC 5769's samples pad with 0x20); it stays covered by the
/// integrity attributes, which are computed over the bytes as received.</para>
/// <para><b>Integrity order.</b> Only MESSAGE-INTEGRITY-SHA256 (after MESSAGE-INTEGRITY) and FINGERPRINT may follow
/// MESSAGE-INTEGRITY; only FINGERPRINT may follow MESSAGE-INTEGRITY-SHA256; nothing may follow FINGERPRINT.
/// §14.5-14.6 tell receivers to <i>ignore</i> other attributes after the integrity attributes; SecureComms refuses
/// the message instead (<see cref="StunErrorReason.AttributeAfterIntegrity"/>). No specification defines an
/// attribute there, so no conforming sender is refused, and every byte of an accepted message is then either
/// covered by the MAC or is the FINGERPRINT (a bit flip anywhere is detected, which the tests check exhaustively).</para>
/// <para><b>Not checked here</b>: MESSAGE-INTEGRITY(-SHA256), which need a key
/// (<see cref="StunMessage.VerifyIntegrity"/>), and unknown comprehension-required attributes, which are the
/// agent's to answer (<see cref="StunMessage.UnknownComprehensionRequired"/>).</para>
/// </remarks>
public static class StunReader
{
    /// <summary>
    /// Reads <paramref name="datagram"/>. True with the message, or false with the reason. Only the caller's
    /// <paramref name="maxSizeInBytes"/> can throw (<see cref="ArgumentOutOfRangeException"/>, outside 20-65,552).
    /// </summary>
    public static bool TryRead(
        ReadOnlySpan<byte> datagram,
        [NotNullWhen(true)] out StunMessage? message,
        [NotNullWhen(false)] out StunError? error,
        int maxSizeInBytes = StunLimits.MaxMessageSizeInBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSizeInBytes, StunLimits.HeaderSizeInBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSizeInBytes, StunLimits.MaxMessageSizeInBytes);
        message = null;
        error = CheckHeader(datagram, maxSizeInBytes);
        return error is null && TryReadAttributes(datagram, out message, out error);
    }

    /// <summary>
    /// Whether <paramref name="datagram"/> looks like STUN (§5, §7: leading bits, cookie, length): the cheap
    /// demultiplexing test for a port shared with other protocols. Does not parse the attributes.
    /// </summary>
    public static bool LooksLikeStun(ReadOnlySpan<byte> datagram) => CheckHeader(datagram, StunLimits.MaxMessageSizeInBytes) is null;

    private static StunError? CheckHeader(ReadOnlySpan<byte> data, int maxSize)
    {
        if (data.Length < StunLimits.HeaderSizeInBytes)
        {
            return new StunError(StunErrorReason.TooShort, 0, data.Length, StunLimits.HeaderSizeInBytes);
        }
        if (data.Length > maxSize)
        {
            return new StunError(StunErrorReason.TooLarge, 0, data.Length, maxSize);
        }
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(data);
        if ((type & StunMessageType.LeadingBitsMask) != 0)
        {
            return new StunError(StunErrorReason.NotStun, 0, type, 0);
        }
        uint cookie = BinaryPrimitives.ReadUInt32BigEndian(data[StunWire.MagicCookieOffset..]);
        if (cookie != StunLimits.MagicCookie)
        {
            return new StunError(StunErrorReason.BadMagicCookie, StunWire.MagicCookieOffset, unchecked((int)cookie), 0);
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(data[StunWire.LengthOffset..]);
        if (length % StunLimits.Alignment != 0)
        {
            return new StunError(StunErrorReason.MisalignedLength, StunWire.LengthOffset, length, StunLimits.Alignment);
        }
        if (length != data.Length - StunLimits.HeaderSizeInBytes)
        {
            return new StunError(StunErrorReason.LengthMismatch, StunWire.LengthOffset, length, data.Length - StunLimits.HeaderSizeInBytes);
        }
        return null;
    }

    private static bool TryReadAttributes(ReadOnlySpan<byte> data, [NotNullWhen(true)] out StunMessage? message, [NotNullWhen(false)] out StunError? error)
    {
        message = null;
        var (method, messageClass) = StunMessageType.Decode(BinaryPrimitives.ReadUInt16BigEndian(data));
        var transactionId = TransactionId.FromBytes(data.Slice(StunWire.TransactionIdOffset, TransactionId.SizeInBytes));
        var attributes = new List<StunAttribute>();
        int integrityOffset = -1, integritySha256Offset = -1;
        bool fingerprintSeen = false;
        int offset = StunLimits.HeaderSizeInBytes;
        while (offset < data.Length)
        {
            int left = data.Length - offset;
            if (attributes.Count == StunLimits.MaxAttributes)
            {
                error = new StunError(StunErrorReason.TooManyAttributes, offset, attributes.Count + 1, StunLimits.MaxAttributes);
                return false;
            }
            // The header length is a multiple of 4, so at least 4 bytes are left here.
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            int size = StunLimits.AttributeHeaderSizeInBytes + StunWire.Padded(length);
            if (size > left)
            {
                error = new StunError(StunErrorReason.AttributeTruncated, offset, size, left);
                return false;
            }
            bool allowed = !fingerprintSeen && (type, integrityOffset >= 0, integritySha256Offset >= 0) switch
            {
                ((ushort)StunAttributeType.Fingerprint, _, _) => true,
                ((ushort)StunAttributeType.MessageIntegritySha256, _, false) => true,
                (_, false, false) => true,
                _ => false,
            };
            if (!allowed)
            {
                error = new StunError(StunErrorReason.AttributeAfterIntegrity, offset, type, 0);
                return false;
            }
            var value = data.Slice(offset + StunLimits.AttributeHeaderSizeInBytes, length);
            if (StunAttributeCodec.TryDecode(type, value, transactionId) is not { } attribute)
            {
                error = new StunError(StunErrorReason.InvalidAttribute, offset, type, 0);
                return false;
            }
            switch (attribute)
            {
                case MessageIntegrityAttribute:
                    integrityOffset = offset;
                    break;
                case MessageIntegritySha256Attribute:
                    integritySha256Offset = offset;
                    break;
                case FingerprintAttribute fingerprint:
                    if (fingerprint.Value != StunIntegrity.Fingerprint(data, offset))
                    {
                        error = new StunError(StunErrorReason.BadFingerprint, offset, type, 0);
                        return false;
                    }
                    fingerprintSeen = true;
                    break;
            }
            attributes.Add(attribute);
            offset += size;
        }
        message = new StunMessage(messageClass, method, transactionId, [.. attributes], data.ToArray(), integrityOffset, integritySha256Offset);
        error = null;
        return true;
    }
}
