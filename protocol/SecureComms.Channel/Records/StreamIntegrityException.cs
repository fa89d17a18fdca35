namespace SecureComms.Channel.Records;

/// <summary>Why a TCP record stream lost its integrity.</summary>
public enum StreamRecordError
{
    /// <summary>The length prefix exceeds <see cref="RecordLimits.MaxStreamBodyLength"/>: refused before reading or allocating the body.</summary>
    RecordTooLarge,

    /// <summary>The length prefix is below type and tag (<see cref="RecordLimits.MinStreamBodyLength"/>).</summary>
    RecordTooShort,

    /// <summary>The stream ended inside a record.</summary>
    Truncated,

    /// <summary>The type byte is not Data, Keepalive or KeyUpdate, or a Keepalive/KeyUpdate carries payload.</summary>
    UnknownType,

    /// <summary>The tag did not verify: forged, corrupted, reordered, replayed, or under a retired key.</summary>
    BadTag,

    /// <summary>The counter of the current key reached its limit without a KeyUpdate.</summary>
    CounterExhausted,

    /// <summary>An earlier record already broke the stream: the reader refuses everything after it.</summary>
    Closed,
}

/// <summary>
/// The TCP record stream is broken and the channel must end (STYLE.md §13: an expected protocol failure with a
/// named reason). Unlike UDP, where a bad datagram is dropped and the channel continues, a stream has implicit
/// counters and no record boundaries but the length prefixes: after one bad record the reader can trust neither the
/// next boundary nor the next counter. The message names the reason and sizes only.
/// </summary>
public sealed class StreamIntegrityException : Exception
{
    /// <summary>A broken stream, for <paramref name="reason"/>.</summary>
    public StreamIntegrityException(StreamRecordError reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Not for use: every refusal has a reason.</summary>
    public StreamIntegrityException()
        : this(StreamRecordError.BadTag, "Stream integrity lost.")
    {
    }

    /// <summary>Not for use: every refusal has a reason.</summary>
    public StreamIntegrityException(string message)
        : this(StreamRecordError.BadTag, message)
    {
    }

    /// <summary>Not for use: every refusal has a reason.</summary>
    public StreamIntegrityException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = StreamRecordError.BadTag;
    }

    /// <summary>Why.</summary>
    public StreamRecordError Reason { get; }
}
