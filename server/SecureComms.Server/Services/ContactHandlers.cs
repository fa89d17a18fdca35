using SecureComms.Cloud.Proto;
using SecureComms.Server.Storage;
using SecureComms.Server.Transport;

namespace SecureComms.Server.Services;

/// <summary>
/// ContactRequest / Accept / Decline / Block, ListContacts and SetPresence. Transitions are the store's
/// (<see cref="ContactState"/>); each answers the caller's list after the change.
/// </summary>
/// <remarks>
/// Pushes: a request is pushed to the peer (<c>ContactRequestReceived</c>) only when the peer can see it (not
/// when the peer declined or blocked the requester: blocking hides requests, and the requester cannot tell);
/// when two users become contacts each online one is told the other's presence; a block tells the blocked user
/// (if it was a contact) that the blocker is offline.
/// </remarks>
internal sealed class ContactHandlers(IServerStore store, PresenceHub hub)
{
    public void Register(FrameDispatcher dispatcher)
    {
        dispatcher.Register(ClientFrame.BodyOneofCase.ContactRequest, DelegateHandler.Authenticated(hub,
            (s, r, c) => ChangeAsync(s, r.ContactRequest.Username, store.RequestContactAsync, c)));
        dispatcher.Register(ClientFrame.BodyOneofCase.ContactAccept, DelegateHandler.Authenticated(hub,
            (s, r, c) => ChangeAsync(s, r.ContactAccept.Username, store.AcceptContactAsync, c)));
        dispatcher.Register(ClientFrame.BodyOneofCase.ContactDecline, DelegateHandler.Authenticated(hub,
            (s, r, c) => ChangeAsync(s, r.ContactDecline.Username, store.DeclineContactAsync, c)));
        dispatcher.Register(ClientFrame.BodyOneofCase.ContactBlock, DelegateHandler.Authenticated(hub,
            (s, r, c) => ChangeAsync(s, r.ContactBlock.Username, store.BlockContactAsync, c)));
        dispatcher.Register(ClientFrame.BodyOneofCase.ListContacts, DelegateHandler.Authenticated(hub,
            (s, _, c) => ListAsync(s.User, c)));
        dispatcher.Register(ClientFrame.BodyOneofCase.SetPresence, DelegateHandler.Authenticated(hub, SetPresenceAsync));
    }

    private async Task<ServerFrame> ChangeAsync(ClientSession session, string username,
        Func<UserId, UserId, CancellationToken, Task<ContactOutcome>> change, CancellationToken cancellationToken)
    {
        if (Answers.Normalize(username) is not { } name
            || await store.FindAccountAsync(name, cancellationToken).ConfigureAwait(false) is not { } peer)
        {
            return Answers.NoSuchUser();
        }
        ContactOutcome outcome = await change(session.User, peer.Id, cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case ContactOutcome.RequestSent:
                if (await PeerSeesRequestAsync(peer.Id, session.User, cancellationToken).ConfigureAwait(false))
                {
                    hub.PushTo(peer.Id, new ServerFrame { ContactRequestReceived = new ContactRequestReceived { From = session.Username } });
                }
                break;
            case ContactOutcome.Accepted:
                hub.PushPresenceTo(peer.Id, session.Username, hub.StatusOf(session.User));
                hub.PushPresenceTo(session.User, peer.Username, hub.StatusOf(peer.Id));
                break;
            case ContactOutcome.Blocked:
                hub.PushPresenceTo(peer.Id, session.Username, Presence.Offline);
                break;
            case ContactOutcome.AlreadyContacts or ContactOutcome.Declined or ContactOutcome.Removed:
                break;
            case ContactOutcome.NoSuchUser:
                return Answers.NoSuchUser();
            case ContactOutcome.CannotContactSelf:
                return Answers.Error(Code.Conflict, "cannot be one's own contact");
            case ContactOutcome.UnblockFirst:
                return Answers.Error(Code.Conflict, "the user is blocked: unblock first");
            default:
                return Answers.Error(Code.Conflict, "no pending request from the user");
        }
        return await ListAsync(session.User, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> PeerSeesRequestAsync(UserId peer, UserId requester, CancellationToken cancellationToken)
    {
        IReadOnlyList<Contact> peersList = await store.ListContactsAsync(peer, cancellationToken).ConfigureAwait(false);
        return peersList.Any(c => c.Peer == requester && c.State == ContactState.RequestReceived);
    }

    private async Task<ServerFrame> ListAsync(UserId user, CancellationToken cancellationToken)
    {
        IReadOnlyList<Contact> list = await store.ListContactsAsync(user, cancellationToken).ConfigureAwait(false);
        var contacts = new Contacts();
        foreach (Contact contact in list)
        {
            contacts.Contacts_.Add(new ContactEntry
            {
                Username = contact.PeerUsername,
                Status = contact.State switch
                {
                    ContactState.RequestSent => ContactStatus.RequestSent,
                    ContactState.RequestReceived => ContactStatus.RequestReceived,
                    ContactState.Accepted => ContactStatus.Accepted,
                    ContactState.Declined => ContactStatus.Declined,
                    ContactState.Blocked => ContactStatus.Blocked,
                    _ => ContactStatus.Unspecified,
                },
                Presence = contact.State == ContactState.Accepted ? hub.StatusOf(contact.Peer) : Presence.Offline,
            });
        }
        return new ServerFrame { Contacts = contacts };
    }

    private async Task<ServerFrame> SetPresenceAsync(ClientSession session, ClientFrame request, CancellationToken cancellationToken)
    {
        Presence status = request.SetPresence.Status;
        if (!Enum.IsDefined(status))
        {
            return Answers.Error(Code.BadRequest, "unknown presence");
        }
        await hub.SetPresenceAsync(session, status, cancellationToken).ConfigureAwait(false);
        return Answers.Done();
    }
}
