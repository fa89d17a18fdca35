namespace SecureComms.Server.Storage;

/// <summary>A store-and-forward message as held for its recipient.</summary>
/// <param name="Sender">Who sent it.</param>
/// <param name="Recipient">Who will fetch it.</param>
/// <param name="ClientMessageId">The sender's id for it: a resend with the same id is the same message.</param>
/// <param name="ServerSequence">The server's sequence number: strictly increasing in the order the server
/// accepted messages, never reused, so a recipient's backlog in this order is the order of arrival.</param>
/// <param name="Body">The opaque body (the server never parses it). A byte array: records compare it by reference.</param>
/// <param name="ReceivedAt">When the server first accepted it.</param>
public sealed record StoredMessage(
    UserId Sender,
    UserId Recipient,
    Guid ClientMessageId,
    long ServerSequence,
    byte[] Body,
    DateTimeOffset ReceivedAt);
