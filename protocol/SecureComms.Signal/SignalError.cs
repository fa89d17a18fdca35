namespace SecureComms.Signal;

/// <summary>
/// Why a Signal operation was refused. The names are the shim's error reasons (<c>docs/shim.md</c>) and
/// follow libsignal's <c>SignalProtocolError</c> where one exists.
/// </summary>
public enum SignalError
{
    /// <summary>The message's truncated HMAC-SHA256 did not verify.</summary>
    BadMac,

    /// <summary>The message was already decrypted, or its key was evicted (libsignal <c>DuplicatedMessage</c>).</summary>
    DuplicateMessage,

    /// <summary>The counter is more than <see cref="SessionLimits.MaxForwardJumps"/> past its chain.</summary>
    TooFarInFuture,

    /// <summary>The message is malformed or no session can decrypt it.</summary>
    InvalidMessage,

    /// <summary>The peer's identity key differs from the one trusted for that address.</summary>
    UntrustedIdentity,

    /// <summary>No session with that address, or it expired unacknowledged (libsignal <c>SessionNotFound</c>).</summary>
    NoSession,

    /// <summary>A PreKeySignalMessage names a one-time prekey this party does not have.</summary>
    InvalidPreKeyId,

    /// <summary>A PreKeySignalMessage names a signed prekey this party does not have.</summary>
    InvalidSignedPreKeyId,

    /// <summary>A bundle's signed-prekey signature does not verify (libsignal <c>SignatureValidationFailed</c>).</summary>
    InvalidSignature,

    /// <summary>A public key is not 33 bytes with type byte 0x05, or has low order.</summary>
    InvalidKey,

    /// <summary>The version byte's high nibble is below 3.</summary>
    LegacyVersion,

    /// <summary>The version byte's high nibble is above 3 (PQXDH and later are not spoken here).</summary>
    UnknownVersion,

    /// <summary>A stored record does not parse or is inconsistent.</summary>
    InvalidRecord,
}

/// <summary>
/// A refused Signal operation. Every refusal leaves the stores exactly as they were. Limits that were hit
/// are carried in <see cref="Value"/> and <see cref="Limit"/>.
/// </summary>
public sealed class SignalProtocolException : Exception
{
    /// <summary>A refusal for <paramref name="reason"/>.</summary>
    public SignalProtocolException(SignalError reason, string message, long? value = null, long? limit = null)
        : base(message)
    {
        Reason = reason;
        Value = value;
        Limit = limit;
    }

    /// <summary>Not for use: every refusal has a reason.</summary>
    public SignalProtocolException()
        : this(SignalError.InvalidMessage, "Invalid message.")
    {
    }

    /// <summary>Not for use: every refusal has a reason.</summary>
    public SignalProtocolException(string message)
        : this(SignalError.InvalidMessage, message)
    {
    }

    /// <summary>A refusal for <paramref name="reason"/> caused by <paramref name="innerException"/>.</summary>
    public SignalProtocolException(SignalError reason, string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>Not for use: every refusal has a reason.</summary>
    public SignalProtocolException(string message, Exception innerException)
        : this(SignalError.InvalidMessage, message, innerException)
    {
    }

    /// <summary>Why.</summary>
    public SignalError Reason { get; }

    /// <summary>The offending number (a counter, a jump), when a limit was hit.</summary>
    public long? Value { get; }

    /// <summary>The limit that was hit.</summary>
    public long? Limit { get; }
}
