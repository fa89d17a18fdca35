using SecureComms.Cloud.Proto;

namespace SecureComms.Client.Local;

/// <summary>Where a message stands in the profile.</summary>
public enum LocalMessageState
{
    /// <summary>Outgoing, in the outbox: not yet accepted by the server (sent again on every connection).</summary>
    Pending = 0,

    /// <summary>Outgoing, accepted by the server (durable there).</summary>
    Sent = 1,

    /// <summary>Outgoing, refused by the server (not a contact, no such user...); <see cref="LocalMessage.Error"/> says why.</summary>
    Failed = 2,

    /// <summary>Incoming, read (decrypted when private).</summary>
    Received = 3,

    /// <summary>Incoming private message that did not decrypt; <see cref="LocalMessage.Error"/> says why.</summary>
    Undecryptable = 4,
}

/// <summary>The signed-in user's session as the profile keeps it.</summary>
/// <param name="Username">The account's normalized name.</param>
/// <param name="Token">The session token: a bearer secret, never printed.</param>
/// <param name="ExpiresAt">When the server stops accepting it.</param>
public sealed record LocalSession(string Username, string Token, DateTimeOffset ExpiresAt)
{
    /// <summary>Keeps the token out of logs and exception messages.</summary>
    public override string ToString() => $"LocalSession {{ Username = {Username}, ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>A contact as last seen from the server.</summary>
public sealed record LocalContact(string Username, ContactStatus Status, Presence Presence);

/// <summary>A message in the profile.</summary>
/// <param name="LocalId">Its row: increasing in the order messages were written here.</param>
/// <param name="Peer">The other party.</param>
/// <param name="Outgoing">Sent by this user.</param>
/// <param name="ClientMessageId">The sender's id for it (the same on both sides).</param>
/// <param name="Text">The text; null when it did not decrypt.</param>
/// <param name="Private">A Private Conversation (Signal) message.</param>
/// <param name="State">Where it stands.</param>
/// <param name="ServerSequence">The server's sequence once accepted (outgoing) or as delivered (incoming).</param>
/// <param name="At">When it was written (outgoing) or accepted by the server (incoming).</param>
/// <param name="Error">Why it failed, if it did.</param>
/// <param name="Seen">Shown to the user already (<see cref="LocalStore.MarkSeen"/>).</param>
public sealed record LocalMessage(long LocalId, string Peer, bool Outgoing, Guid ClientMessageId, string? Text, bool Private,
    LocalMessageState State, long? ServerSequence, DateTimeOffset At, string? Error, bool Seen);

/// <summary>An outbox entry: what to send again, byte for byte.</summary>
public sealed record OutboxEntry(Guid ClientMessageId, string To, byte[] WireBody, bool Private);
