namespace SecureComms.Traversal.Stun;

/// <summary>Why <see cref="StunReader"/> refused a datagram.</summary>
public enum StunErrorReason
{
    /// <summary>Shorter than the 20-byte header.</summary>
    TooShort,

    /// <summary>Longer than the reader's bound (<see cref="StunError.Limit"/>).</summary>
    TooLarge,

    /// <summary>One of the two leading bits is set: not a STUN message (§5; RTP, DTLS... on a shared port).</summary>
    NotStun,

    /// <summary>The magic cookie is not 0x2112A442 (§5; a classic RFC 3489 message or something else).</summary>
    BadMagicCookie,

    /// <summary>The header's length is not a multiple of 4 (§5).</summary>
    MisalignedLength,

    /// <summary>The header's length and the bytes received disagree (a UDP datagram is exactly one message).</summary>
    LengthMismatch,

    /// <summary>An attribute header or its padded value runs past the end of the message.</summary>
    AttributeTruncated,

    /// <summary>More attributes than <see cref="StunLimits.MaxAttributes"/>.</summary>
    TooManyAttributes,

    /// <summary>A known attribute's value is malformed (wrong length, bad family, invalid UTF-8, over a text bound...).</summary>
    InvalidAttribute,

    /// <summary>
    /// An attribute after MESSAGE-INTEGRITY(-SHA256) other than the ones allowed to follow it (MESSAGE-INTEGRITY-SHA256
    /// after MESSAGE-INTEGRITY, FINGERPRINT after either), or anything after FINGERPRINT (§14.5-14.7).
    /// </summary>
    AttributeAfterIntegrity,

    /// <summary>The FINGERPRINT value is not CRC-32 of the message XOR 0x5354554E (§14.7).</summary>
    BadFingerprint,
}

/// <summary>
/// A refused STUN datagram with the numbers involved (STYLE.md §13-14). Safe to log: offsets, types and
/// lengths only, never attribute contents.
/// </summary>
/// <param name="Reason">What was wrong.</param>
/// <param name="Offset">Byte offset in the datagram where the problem was found (0 for header problems).</param>
/// <param name="Value">The offending number: the declared length, the attribute type, the count, the magic cookie
/// (its 32 bits as an <see cref="int"/>, so possibly negative).</param>
/// <param name="Limit">The bound that applied (maximum size, maximum count, bytes available), 0 when none.</param>
public sealed record StunError(StunErrorReason Reason, int Offset, int Value, int Limit)
{
    /// <summary>A one-line description with the numbers.</summary>
    public override string ToString() => Reason switch
    {
        StunErrorReason.TooShort => $"too short for a STUN header ({Value} bytes, minimum {Limit})",
        StunErrorReason.TooLarge => $"STUN message too large ({Value} bytes, maximum {Limit})",
        StunErrorReason.NotStun => $"not STUN (leading bits of type 0x{Value:x4} set)",
        StunErrorReason.BadMagicCookie => $"bad magic cookie 0x{unchecked((uint)Value):x8}",
        StunErrorReason.MisalignedLength => $"header length {Value} is not a multiple of {Limit}",
        StunErrorReason.LengthMismatch => $"header length {Value} but {Limit} bytes of attributes received",
        StunErrorReason.AttributeTruncated => $"attribute at offset {Offset} runs past the end ({Value} bytes needed, {Limit} left)",
        StunErrorReason.TooManyAttributes => $"more than {Limit} attributes",
        StunErrorReason.InvalidAttribute => $"malformed attribute 0x{Value:x4} at offset {Offset}",
        StunErrorReason.AttributeAfterIntegrity => $"attribute 0x{Value:x4} at offset {Offset} after MESSAGE-INTEGRITY or FINGERPRINT",
        StunErrorReason.BadFingerprint => $"FINGERPRINT at offset {Offset} does not match",
        _ => Reason.ToString(),
    };
}
