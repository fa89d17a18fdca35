using System.Collections.Concurrent;
using Google.Protobuf;
using SecureComms.Cloud.Proto;
using SecureComms.Server.Storage;
using SecureComms.Server.Transport;

namespace SecureComms.Server.Services;

/// <summary>
/// Store-and-forward: SendMessage, AckMessages, and delivery of stored messages to the recipient's connections.
/// </summary>
/// <remarks>
/// <para><b>Policy.</b> Cloud and private (Signal) messages alike go only between accepted contacts
/// (<c>CODE_FORBIDDEN</c> otherwise, also after a block): the contact list is the spam filter, and a blocked
/// user cannot reach the blocker by any path.</para>
/// <para><b>Durability.</b> MessageAccepted is answered only after <see cref="IServerStore.EnqueueAsync"/>
/// completed (the message is committed and fsynced). A resend with the same client id is answered with the
/// original sequence and not stored again.</para>
/// <para><b>Delivery.</b> Each authenticated connection has a cursor (<see cref="ClientSession.PushedUpTo"/>):
/// <see cref="DeliverAsync"/> pushes the stored messages after it in sequence order, at most
/// <see cref="ServiceOptions.DeliveryWindow"/> unacknowledged at a time. It runs at Authenticate (the backlog),
/// after every accepted message for the recipient (live delivery), and after an acknowledgement (the next
/// window): so live messages never overtake the backlog, and a large backlog never overflows the connection's
/// outgoing queue. A message is deleted only by the recipient's AckMessages.</para>
/// <para><b>Stored body.</b> The store keeps the client's body behind one flags byte (bit 0: private), so a
/// resend that changes the flag is a different body (<c>CODE_CONFLICT</c>).</para>
/// </remarks>
internal sealed class MessageHandlers(IServerStore store, PresenceHub hub, ServiceOptions options)
{
    private const byte PrivateFlag = 1;

    private readonly ConcurrentDictionary<UserId, string> _usernames = new();

    public void Register(FrameDispatcher dispatcher)
    {
        dispatcher.Register(ClientFrame.BodyOneofCase.SendMessage, DelegateHandler.Authenticated(hub, SendAsync));
        dispatcher.Register(ClientFrame.BodyOneofCase.AckMessages, DelegateHandler.Authenticated(hub, AckAsync));
    }

    private async Task<ServerFrame> SendAsync(ClientSession session, ClientFrame request, CancellationToken cancellationToken)
    {
        SendMessage send = request.SendMessage;
        if (send.ClientMessageId.Length != ServiceLimits.ClientMessageIdSizeInBytes)
        {
            return Answers.Error(Code.BadRequest, $"client_message_id must be {ServiceLimits.ClientMessageIdSizeInBytes} bytes");
        }
        if (send.Body.Length > ServiceLimits.MaxMessageBodySizeInBytes)
        {
            return Answers.Error(Code.BadRequest, $"body over {ServiceLimits.MaxMessageBodySizeInBytes} bytes");
        }
        if (Answers.Normalize(send.To) is not { } name
            || await store.FindAccountAsync(name, cancellationToken).ConfigureAwait(false) is not { } recipient)
        {
            return Answers.NoSuchUser();
        }
        if (!await store.AreAcceptedContactsAsync(session.User, recipient.Id, cancellationToken).ConfigureAwait(false))
        {
            return Answers.Error(Code.Forbidden, "messages go to accepted contacts only");
        }
        byte[] stored = new byte[send.Body.Length + 1];
        stored[0] = send.Private ? PrivateFlag : (byte)0;
        send.Body.Span.CopyTo(stored.AsSpan(1));
        var id = new Guid(send.ClientMessageId.Span);
        EnqueueResult result = await store.EnqueueAsync(session.User, recipient.Id, id, stored, cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case EnqueueStatus.Stored:
                await DeliverToAsync(recipient.Id, cancellationToken).ConfigureAwait(false);
                break;
            case EnqueueStatus.Duplicate:
                break;
            case EnqueueStatus.IdReused:
                return Answers.Error(Code.Conflict, "client_message_id already used for another message");
            default:
                return Answers.NoSuchUser();
        }
        return new ServerFrame
        {
            MessageAccepted = new MessageAccepted { ClientMessageId = send.ClientMessageId, ServerSequence = result.Message!.ServerSequence },
        };
    }

    private async Task<ServerFrame> AckAsync(ClientSession session, ClientFrame request, CancellationToken cancellationToken)
    {
        long upTo = request.AckMessages.UpToSequence;
        if (upTo < 0)
        {
            return Answers.Error(Code.BadRequest, "negative sequence");
        }
        await store.AcknowledgeAsync(session.User, upTo, cancellationToken).ConfigureAwait(false);
        foreach (ClientSession each in hub.SessionsOf(session.User))
        {
            await each.DeliveryGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                while (each.Unacknowledged.TryPeek(out long sequence) && sequence <= upTo)
                {
                    each.Unacknowledged.Dequeue();
                }
            }
            finally
            {
                each.DeliveryGate.Release();
            }
        }
        await DeliverToAsync(session.User, cancellationToken).ConfigureAwait(false);
        return Answers.Done();
    }

    private async Task DeliverToAsync(UserId recipient, CancellationToken cancellationToken)
    {
        foreach (ClientSession session in hub.SessionsOf(recipient))
        {
            await DeliverAsync(session, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Pushes the stored messages after the session's cursor, up to the delivery window.</summary>
    internal async Task DeliverAsync(ClientSession session, CancellationToken cancellationToken)
    {
        await session.DeliveryGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (!session.Connection.Closing.IsCancellationRequested)
            {
                int room = options.DeliveryWindow - session.Unacknowledged.Count;
                if (room <= 0)
                {
                    return;
                }
                IReadOnlyList<StoredMessage> batch = await store.PendingForAsync(session.User, session.PushedUpTo,
                    Math.Min(room, MessageLimits.MaxBatch), CancellationToken.None).ConfigureAwait(false);
                foreach (StoredMessage message in batch)
                {
                    if (!session.Connection.TryPush(await ToPushAsync(message).ConfigureAwait(false)))
                    {
                        return; // closing (or closed as a slow reader): the message stays stored
                    }
                    session.PushedUpTo = message.ServerSequence;
                    session.Unacknowledged.Enqueue(message.ServerSequence);
                }
                if (batch.Count < room)
                {
                    return;
                }
            }
        }
        finally
        {
            session.DeliveryGate.Release();
        }
    }

    private async Task<ServerFrame> ToPushAsync(StoredMessage message)
    {
        if (!_usernames.TryGetValue(message.Sender, out string? from))
        {
            // Usernames never change; an account's id is never reused.
            from = (await store.GetAccountAsync(message.Sender, CancellationToken.None).ConfigureAwait(false))?.Username ?? string.Empty;
            _usernames.TryAdd(message.Sender, from);
        }
        byte[] stored = message.Body;
        return new ServerFrame
        {
            IncomingMessage = new IncomingMessage
            {
                From = from,
                ClientMessageId = ByteString.CopyFrom(message.ClientMessageId.ToByteArray()),
                ServerSequence = message.ServerSequence,
                Body = stored.Length == 0 ? ByteString.Empty : ByteString.CopyFrom(stored, 1, stored.Length - 1),
                Private = stored.Length > 0 && (stored[0] & PrivateFlag) != 0,
                SentAtUnixMs = message.ReceivedAt.ToUnixTimeMilliseconds(),
            },
        };
    }
}
