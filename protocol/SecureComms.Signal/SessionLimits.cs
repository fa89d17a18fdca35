namespace SecureComms.Signal;

/// <summary>
/// The bounds on what a session keeps, as libsignal's <c>rust/protocol/src/consts.rs</c> names them. Each
/// is enforced, and each refusal carries the number that crossed it.
/// </summary>
public static class SessionLimits
{
    /// <summary>Archived session states kept in a record beside the current one.</summary>
    public const int ArchivedStatesMaxLength = 40;

    /// <summary>Receiver chains kept per session (older ones are dropped).</summary>
    public const int MaxReceiverChains = 5;

    /// <summary>Skipped message keys kept per receiver chain (the oldest is evicted past it).</summary>
    public const int MaxMessageKeys = 2000;

    /// <summary>Largest forward jump in one chain: a counter further ahead is refused (skipped-key DoS).</summary>
    public const int MaxForwardJumps = 25_000;

    /// <summary>An initiated session whose peer never replied stops being used for sending after this.</summary>
    public static readonly TimeSpan MaxUnacknowledgedSessionAge = TimeSpan.FromDays(30);
}
