namespace SecureComms.Channel.Noise;

/// <summary>
/// Why a Noise operation was refused (STYLE.md §13: an expected protocol failure has a named reason). Caller
/// misuse (a missing key, a buffer too small, a call out of turn) throws <see cref="ArgumentException"/> or
/// <see cref="InvalidOperationException"/> instead.
/// </summary>
public enum NoiseError
{
    /// <summary>The protocol name is not <c>Noise_PATTERN[modifiers]_DH_CIPHER_HASH</c>, or names an unknown pattern.</summary>
    InvalidProtocolName,

    /// <summary>The name is well formed but its algorithms are not <c>25519_AESGCM_SHA256</c>, the only suite offered.</summary>
    UnsupportedSuite,

    /// <summary>A pattern modifier other than <c>pskN</c> (e.g. <c>fallback</c>), or a psk modifier past the last message.</summary>
    UnsupportedModifier,

    /// <summary>The message is shorter than its pattern's keys and tags (§5.3 ReadMessage).</summary>
    MessageTooShort,

    /// <summary>The message is longer than 65535 bytes (§3).</summary>
    MessageTooLarge,

    /// <summary>An AEAD tag did not verify (§5.1 DecryptWithAd): wrong key, wrong prologue, or a tampered byte.</summary>
    DecryptionFailed,

    /// <summary>A Diffie-Hellman result was all zero: the peer sent a small-order key (§12.1 allows refusing it).</summary>
    NonContributoryKey,

    /// <summary>The nonce reached 2^64 − 1, which §5.1 reserves: the session must end.</summary>
    NonceExhausted,
}

/// <summary>
/// A refused Noise operation, with its <see cref="Reason"/>. The message names the reason and sizes only, never a
/// key or a byte of a message. After a refused <see cref="HandshakeState.ReadMessage(ReadOnlySpan{byte}, Span{byte})"/>
/// the handshake is unusable (§5: "the handshake has failed").
/// </summary>
public sealed class NoiseException : Exception
{
    /// <summary>A refusal for <paramref name="reason"/>.</summary>
    public NoiseException(NoiseError reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Not for use: every refusal has a reason.</summary>
    public NoiseException()
        : this(NoiseError.DecryptionFailed, "Noise operation refused.")
    {
    }

    /// <summary>Not for use: every refusal has a reason.</summary>
    public NoiseException(string message)
        : this(NoiseError.DecryptionFailed, message)
    {
    }

    /// <summary>Not for use: every refusal has a reason.</summary>
    public NoiseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = NoiseError.DecryptionFailed;
    }

    /// <summary>Why.</summary>
    public NoiseError Reason { get; }
}
