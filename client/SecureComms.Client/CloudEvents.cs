using SecureComms.Cloud.Proto;

namespace SecureComms.Client;

/// <summary>Something the server pushed, as <see cref="CloudClient.Events"/> delivers it.</summary>
public abstract record CloudEvent;

/// <summary>A stored message for this user (acknowledge it with <see cref="CloudClient.AckAsync"/>).</summary>
/// <param name="From">The sender's username.</param>
/// <param name="ClientMessageId">The sender's id for it.</param>
/// <param name="ServerSequence">The server's sequence: increasing per recipient.</param>
/// <param name="Body">The opaque body.</param>
/// <param name="Private">A Private Conversation (Signal) ciphertext.</param>
/// <param name="SentAt">When the server accepted it.</param>
public sealed record MessageReceived(string From, Guid ClientMessageId, long ServerSequence, byte[] Body, bool Private, DateTimeOffset SentAt) : CloudEvent;

/// <summary>An accepted contact's presence changed.</summary>
public sealed record PresenceUpdated(string User, Presence Status) : CloudEvent;

/// <summary>Someone asked to become a contact.</summary>
public sealed record ContactRequested(string From) : CloudEvent;

/// <summary>The device's one-time prekey stock is low: upload more.</summary>
public sealed record PreKeysRunningLow(uint DeviceId, int Stock) : CloudEvent;

/// <summary>The server pushed an error (it is closing the connection).</summary>
public sealed record ServerError(Code Code, string Message) : CloudEvent;
