namespace SecureComms.Traversal.Stun;

/// <summary>
/// STUN attribute type codes (RFC 8489 §14, §18.3; the IANA "STUN Attributes" registry). Types 0x0000-0x7FFF are
/// comprehension-required, 0x8000-0xFFFF comprehension-optional; any other value is carried as a
/// <see cref="Attributes.RawAttribute"/>.
/// </summary>
public enum StunAttributeType : ushort
{
    /// <summary>0x0001 MAPPED-ADDRESS (§14.1).</summary>
    MappedAddress = 0x0001,

    /// <summary>0x0006 USERNAME (§14.3).</summary>
    Username = 0x0006,

    /// <summary>0x0008 MESSAGE-INTEGRITY (§14.5).</summary>
    MessageIntegrity = 0x0008,

    /// <summary>0x0009 ERROR-CODE (§14.8).</summary>
    ErrorCode = 0x0009,

    /// <summary>0x000A UNKNOWN-ATTRIBUTES (§14.13).</summary>
    UnknownAttributes = 0x000A,

    /// <summary>0x0014 REALM (§14.9).</summary>
    Realm = 0x0014,

    /// <summary>0x0015 NONCE (§14.10).</summary>
    Nonce = 0x0015,

    /// <summary>0x001C MESSAGE-INTEGRITY-SHA256 (§14.6).</summary>
    MessageIntegritySha256 = 0x001C,

    /// <summary>0x001D PASSWORD-ALGORITHM (§14.12).</summary>
    PasswordAlgorithm = 0x001D,

    /// <summary>0x001E USERHASH (§14.4).</summary>
    UserHash = 0x001E,

    /// <summary>0x0020 XOR-MAPPED-ADDRESS (§14.2).</summary>
    XorMappedAddress = 0x0020,

    /// <summary>0x8002 PASSWORD-ALGORITHMS (§14.11).</summary>
    PasswordAlgorithms = 0x8002,

    /// <summary>0x8022 SOFTWARE (§14.14).</summary>
    Software = 0x8022,

    /// <summary>0x8023 ALTERNATE-SERVER (§14.15).</summary>
    AlternateServer = 0x8023,

    /// <summary>0x8028 FINGERPRINT (§14.7).</summary>
    Fingerprint = 0x8028,
}

/// <summary>Properties of attribute type codes.</summary>
public static class StunAttributeTypes
{
    /// <summary>Types below this are comprehension-required (§14): an agent that does not know one must refuse
    /// the message (a request with 420 Unknown Attribute).</summary>
    public const ushort FirstComprehensionOptional = 0x8000;

    /// <summary>Whether an agent that does not understand <paramref name="type"/> must refuse the message.</summary>
    public static bool IsComprehensionRequired(ushort type) => type < FirstComprehensionOptional;
}
