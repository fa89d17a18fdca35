namespace SecureComms.Traversal.Stun;

/// <summary>The outcome of checking a received message's MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256.</summary>
public enum IntegrityCheck
{
    /// <summary>The attribute is present and its HMAC verifies under the key.</summary>
    Valid,

    /// <summary>The message has no such attribute (or was not received: built locally, nothing to check).</summary>
    Absent,

    /// <summary>The attribute is present and does not verify (wrong key, or the message was altered).</summary>
    Invalid,

    /// <summary>MESSAGE-INTEGRITY-SHA256 is present but shorter than the caller accepts (§14.6 truncation).</summary>
    TooShort,
}
