namespace SecureComms.Traversal.Stun;

/// <summary>
/// The sizes of the STUN wire format and the bounds the reader enforces, each with its reason
/// (RFC 8489 §5, §14; STYLE.md §14).
/// </summary>
public static class StunLimits
{
    /// <summary>The fixed header: type (2) ‖ length (2) ‖ magic cookie (4) ‖ transaction ID (12) (§5).</summary>
    public const int HeaderSizeInBytes = 20;

    /// <summary>The magic cookie, 0x2112A442 in network byte order (§5).</summary>
    public const uint MagicCookie = 0x2112A442;

    /// <summary>An attribute's type (2) ‖ length (2) header (§14).</summary>
    public const int AttributeHeaderSizeInBytes = 4;

    /// <summary>Attributes, and so messages, are padded to a multiple of 4 bytes (§14).</summary>
    public const int Alignment = 4;

    /// <summary>
    /// The largest message the 16-bit length field can describe with 4-byte alignment: 20 + 65,532 bytes. The
    /// reader's default bound; a UDP agent passes a smaller one (its receive buffer).
    /// </summary>
    public const int MaxMessageSizeInBytes = HeaderSizeInBytes + 0xFFFC;

    /// <summary>
    /// Most attributes one message may carry: 64. The largest RFC 8489 / RFC 8656 messages carry about a dozen;
    /// the bound caps the objects one datagram can make the reader allocate.
    /// </summary>
    public const int MaxAttributes = 64;

    /// <summary>USERNAME: "fewer than 509 bytes" of UTF-8 (§14.3).</summary>
    public const int MaxUsernameSizeInBytes = 508;

    /// <summary>REALM, NONCE, SOFTWARE, the ERROR-CODE reason: "fewer than 128 characters" (§14.8-14.10, §14.14).</summary>
    public const int MaxTextCharacters = 127;

    /// <summary>REALM, NONCE, SOFTWARE, the ERROR-CODE reason: "can be as long as 763 bytes" of UTF-8 (ibid.).</summary>
    public const int MaxTextSizeInBytes = 763;
}
