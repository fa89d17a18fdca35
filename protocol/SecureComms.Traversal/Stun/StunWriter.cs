using System.Buffers.Binary;
using SecureComms.Traversal.Stun.Attributes;

namespace SecureComms.Traversal.Stun;

/// <summary>
/// Writes a <see cref="StunMessage"/> to bytes (RFC 8489 §5, §14), computing MESSAGE-INTEGRITY,
/// MESSAGE-INTEGRITY-SHA256 and FINGERPRINT where the message places them (§14.5-14.7).
/// </summary>
/// <remarks>
/// <para><b>Integrity.</b> Given a <see cref="StunKey"/>, every MESSAGE-INTEGRITY (HMAC-SHA1, 20 bytes) and
/// MESSAGE-INTEGRITY-SHA256 (HMAC-SHA256, truncated to the placeholder's length) is computed over the bytes before
/// it with the header length adjusted to end at that attribute. Without a key their values are written as they are
/// in the message (re-serializing a received message); a placeholder then goes out as zeros, which no receiver
/// accepts: pass the key to send.</para>
/// <para><b>FINGERPRINT</b> is always computed (it needs no key), over everything before it with the final length.</para>
/// <para><b>Padding.</b> Values are padded to 4 bytes with <c>paddingByte</c>, 0x00 by default (§14: "SHOULD be
/// zero"... the content is ignored). RFC 5769's samples §2.1-2.3 pad with 0x20 (space); passing 0x20 reproduces them
/// bit for bit. The integrity attributes cover the padding as written.</para>
/// <para><b>Misuse</b> throws <see cref="ArgumentException"/>: integrity attributes out of the §14.5-14.7 order (the
/// order <see cref="StunReader"/> accepts), more than <see cref="StunLimits.MaxAttributes"/> attributes, or a
/// message over <see cref="StunLimits.MaxMessageSizeInBytes"/>.</para>
/// </remarks>
public static class StunWriter
{
    /// <summary>The message as bytes; see the type's remarks for <paramref name="key"/> and <paramref name="paddingByte"/>.</summary>
    public static byte[] Write(StunMessage message, StunKey? key = null, byte paddingByte = 0x00)
    {
        ArgumentNullException.ThrowIfNull(message);
        CheckOrder(message.Attributes);
        if (message.Attributes.Count > StunLimits.MaxAttributes)
        {
            throw new ArgumentException($"At most {StunLimits.MaxAttributes} attributes ({message.Attributes.Count} given).", nameof(message));
        }
        long size = StunLimits.HeaderSizeInBytes
            + message.Attributes.Sum(a => (long)StunLimits.AttributeHeaderSizeInBytes + StunWire.Padded(a.ValueLength));
        if (size > StunLimits.MaxMessageSizeInBytes)
        {
            throw new ArgumentException($"A STUN message is at most {StunLimits.MaxMessageSizeInBytes} bytes ({size} needed).", nameof(message));
        }
        var buffer = new byte[size];
        WriteCore(message, key, paddingByte, buffer);
        return buffer;
    }

    private static void WriteCore(StunMessage message, StunKey? key, byte paddingByte, Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt16BigEndian(buffer, StunMessageType.Encode(message.Method, message.Class));
        BinaryPrimitives.WriteUInt16BigEndian(buffer[StunWire.LengthOffset..], checked((ushort)(buffer.Length - StunLimits.HeaderSizeInBytes)));
        BinaryPrimitives.WriteUInt32BigEndian(buffer[StunWire.MagicCookieOffset..], StunLimits.MagicCookie);
        message.TransactionId.Bytes.CopyTo(buffer[StunWire.TransactionIdOffset..]);
        int offset = StunLimits.HeaderSizeInBytes;
        foreach (var attribute in message.Attributes)
        {
            int length = attribute.ValueLength;
            BinaryPrimitives.WriteUInt16BigEndian(buffer[offset..], attribute.Type);
            BinaryPrimitives.WriteUInt16BigEndian(buffer[(offset + 2)..], checked((ushort)length));
            var value = buffer.Slice(offset + StunLimits.AttributeHeaderSizeInBytes, length);
            switch (attribute)
            {
                case MessageIntegrityAttribute when key is not null:
                    StunIntegrity.ComputeMessageIntegrity(buffer, offset, key, value);
                    break;
                case MessageIntegritySha256Attribute when key is not null:
                    StunIntegrity.ComputeMessageIntegritySha256(buffer, offset, key, value);
                    break;
                case FingerprintAttribute:
                    BinaryPrimitives.WriteUInt32BigEndian(value, StunIntegrity.Fingerprint(buffer, offset));
                    break;
                default:
                    attribute.WriteValue(value, message.TransactionId);
                    break;
            }
            int padded = StunWire.Padded(length);
            buffer.Slice(offset + StunLimits.AttributeHeaderSizeInBytes + length, padded - length).Fill(paddingByte);
            offset += StunLimits.AttributeHeaderSizeInBytes + padded;
        }
    }

    /// <summary>§14.5-14.7: MESSAGE-INTEGRITY, then MESSAGE-INTEGRITY-SHA256, then FINGERPRINT, each at most once and
    /// nothing else after the first of them.</summary>
    private static void CheckOrder(IReadOnlyList<StunAttribute> attributes)
    {
        int rank = 0; // 0: ordinary attributes; 1: after MI; 2: after MI-SHA256; 3: after FINGERPRINT
        foreach (var attribute in attributes)
        {
            int next = attribute switch
            {
                MessageIntegrityAttribute => 1,
                MessageIntegritySha256Attribute => 2,
                FingerprintAttribute => 3,
                _ => 0,
            };
            if (next <= rank && rank > 0)
            {
                throw new ArgumentException(
                    $"Attribute 0x{attribute.Type:x4} is out of order: only MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256, FINGERPRINT, in that order, end a message.",
                    nameof(attributes));
            }
            rank = next;
        }
    }
}
