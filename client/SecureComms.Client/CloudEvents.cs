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

/// <summary>A call signal from the other party of a call, or made by the server (BUSY, TIMEOUT, HANG_UP on disconnect).</summary>
/// <param name="CallId">The call (chosen by its caller).</param>
/// <param name="Peer">The other party's username.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Payload">The opaque payload (e.g. candidates); empty if none.</param>
public sealed record CallSignalReceived(Guid CallId, string Peer, CallSignal.Types.Kind Kind, byte[] Payload) : CloudEvent;

/// <summary>The server pushed an error (it is closing the connection).</summary>
public sealed record ServerError(Code Code, string Message) : CloudEvent;
