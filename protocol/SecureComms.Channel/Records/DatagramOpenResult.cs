namespace SecureComms.Channel.Records;

/// <summary>What happened to one received datagram.</summary>
public enum DatagramOutcome
{
    /// <summary>Authentic data, delivered once: <see cref="DatagramOpenResult.PayloadLength"/> bytes in the caller's buffer.</summary>
    Delivered,

    /// <summary>An authentic keepalive: liveness only, nothing delivered.</summary>
    Keepalive,

    /// <summary>Dropped for <see cref="DatagramOpenResult.Reason"/>; the opener's state is unchanged.</summary>
    Dropped,
}

/// <summary>
/// The result of <see cref="DatagramOpener.Open"/>: a value, not an exception, because drops are expected on a
/// hostile network (STYLE.md §13); no allocation.
/// </summary>
public readonly record struct DatagramOpenResult(DatagramOutcome Outcome, DatagramDropReason Reason, ulong Counter, int PayloadLength)
{
    /// <summary>A drop for <paramref name="reason"/>.</summary>
    internal static DatagramOpenResult Drop(DatagramDropReason reason, ulong counter) => new(DatagramOutcome.Dropped, reason, counter, 0);
}
