namespace SecureComms.Server.Storage;

/// <summary>What <see cref="IServerStore.EnqueueAsync"/> did.</summary>
public enum EnqueueStatus
{
    /// <summary>A new message, now durable: acknowledge it to the sender.</summary>
    Stored,

    /// <summary>A resend of a message already accepted (same sender, id, recipient and body), possibly already
    /// delivered and acknowledged: nothing was added; acknowledge it again with the original sequence.</summary>
    Duplicate,

    /// <summary>The sender already used this id for a different recipient or body: refused, nothing stored.</summary>
    IdReused,

    /// <summary>The sender or the recipient has no account: nothing stored.</summary>
    NoSuchUser,
}

/// <summary>The outcome of <see cref="IServerStore.EnqueueAsync"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Message">The stored message for <see cref="EnqueueStatus.Stored"/> and
/// <see cref="EnqueueStatus.Duplicate"/> (the original sequence and time), else null.</param>
public sealed record EnqueueResult(EnqueueStatus Status, StoredMessage? Message);
