namespace SecureComms.Traversal.Stun;

/// <summary>The class of a STUN message (RFC 8489 §5: bits C1 C0 of the message type).</summary>
public enum StunClass
{
    /// <summary>0b00: a request, answered by a success or error response.</summary>
    Request = 0b00,

    /// <summary>0b01: an indication, never answered.</summary>
    Indication = 0b01,

    /// <summary>0b10: a success response.</summary>
    SuccessResponse = 0b10,

    /// <summary>0b11: an error response (carries ERROR-CODE).</summary>
    ErrorResponse = 0b11,
}

/// <summary>
/// A STUN method (RFC 8489 §5, §18.2): a 12-bit number. Any value up to <see cref="StunMessageType.MaxMethod"/>
/// is carried; only <see cref="Binding"/> is defined by RFC 8489 (TURN adds its own, RFC 8656 §17).
/// </summary>
public enum StunMethod : ushort
{
    /// <summary>0x001 Binding (RFC 8489 §18.2).</summary>
    Binding = 0x001,
}

/// <summary>
/// The 14-bit message type of the STUN header: method and class interleaved (RFC 8489 §5, Figure 3).
/// </summary>
/// <remarks>
/// Bit layout (most significant first, after the two leading zero bits):
/// <c>M11 M10 M9 M8 M7 C1 M6 M5 M4 C0 M3 M2 M1 M0</c>. So a Binding request is 0x0001, a Binding success
/// response 0x0101, a Binding error response 0x0111, a Binding indication 0x0011.
/// </remarks>
public static class StunMessageType
{
    /// <summary>Largest method number: 12 bits.</summary>
    public const ushort MaxMethod = 0x0FFF;

    /// <summary>The two most significant bits of every STUN message are zero (§5): a mask of them.</summary>
    public const ushort LeadingBitsMask = 0xC000;

    /// <summary>Encodes <paramref name="method"/> and <paramref name="messageClass"/> into the 14-bit type.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The method is over 12 bits or the class is undefined.</exception>
    public static ushort Encode(StunMethod method, StunClass messageClass)
    {
        ushort m = (ushort)method;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(m, MaxMethod, nameof(method));
        if (!Enum.IsDefined(messageClass))
        {
            throw new ArgumentOutOfRangeException(nameof(messageClass), messageClass, "undefined STUN class");
        }
        int c = (int)messageClass;
        int type = (m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2)
            | ((c & 0b01) << 4) | ((c & 0b10) << 7);
        return (ushort)type;
    }

    /// <summary>Splits a 14-bit message type into method and class (the caller has checked the leading bits).</summary>
    public static (StunMethod Method, StunClass Class) Decode(ushort type)
    {
        int method = (type & 0x000F) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0F80);
        int c = ((type >> 4) & 0b01) | ((type >> 7) & 0b10);
        return ((StunMethod)method, (StunClass)c);
    }
}
