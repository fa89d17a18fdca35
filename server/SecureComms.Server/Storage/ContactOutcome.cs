namespace SecureComms.Server.Storage;

/// <summary>What a contact operation did (see <see cref="ContactState"/> for the transitions).</summary>
public enum ContactOutcome
{
    /// <summary>The request is recorded (also when the peer will never see it).</summary>
    RequestSent,

    /// <summary>Both are now accepted contacts.</summary>
    Accepted,

    /// <summary>They were accepted contacts already; nothing changed.</summary>
    AlreadyContacts,

    /// <summary>The request is declined.</summary>
    Declined,

    /// <summary>The peer is blocked.</summary>
    Blocked,

    /// <summary>The actor's row is gone (request withdrawn, decline undone, unblocked, or contact removed).</summary>
    Removed,

    /// <summary>Remove found nothing of the actor's to remove.</summary>
    NothingToRemove,

    /// <summary>Accept or decline without a visible pending request from the peer.</summary>
    NoPendingRequest,

    /// <summary>The actor blocks the peer: remove the block before asking.</summary>
    UnblockFirst,

    /// <summary>The actor and the peer are the same account.</summary>
    CannotContactSelf,

    /// <summary>The actor or the peer has no account.</summary>
    NoSuchUser,
}
