using System.Collections.Concurrent;
using SecureComms.Cloud.Proto;
using SecureComms.Server.Storage;
using SecureComms.Server.Transport;

namespace SecureComms.Server.Services;

/// <summary>
/// Who is online: the authenticated connections (<see cref="ClientSession"/>) by connection and by user, each
/// online user's presence, and the presence pushes.
/// </summary>
/// <remarks>
/// <para><b>Policy.</b> A user's presence is pushed only to its accepted contacts
/// (<see cref="IServerStore.AcceptedContactsOfAsync"/>) that are online, never to anyone else. A user's first
/// connection makes it <see cref="Presence.Online"/>; <see cref="SetPresenceAsync"/> changes it for all its
/// connections; when its last connection closes (or signs out) its contacts are told
/// <see cref="Presence.Offline"/>. A user that sets <see cref="Presence.Offline"/> appears offline while connected.</para>
/// <para><b>Ended sessions.</b> <see cref="EndSessionAsync"/> detaches a session whose token was revoked elsewhere or
/// has expired and closes its connection (<see cref="CloseReason.SessionEnded"/>), after pushing
/// <c>CODE_UNAUTHENTICATED</c> when asked. The hub's clock (<see cref="Time"/>) is the store's: expiry is decided the
/// same way at Authenticate (by the store) and afterwards (<see cref="ClientSession.HasExpired"/>).</para>
/// <para><b>Threads.</b> The tables are guarded by one lock; pushes are made outside it.</para>
/// </remarks>
public sealed class PresenceHub
{
    private readonly IServerStore _store;
    private readonly Action<string> _log;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<long, ClientSession> _byConnection = new();
    private readonly Dictionary<UserId, List<ClientSession>> _byUser = [];
    private readonly Dictionary<UserId, Presence> _status = [];

    internal PresenceHub(IServerStore store, Action<string> log, TimeProvider? time = null)
    {
        _store = store;
        _log = log;
        Time = time ?? TimeProvider.System;
    }

    /// <summary>The clock sessions expire by (the store's).</summary>
    internal TimeProvider Time { get; }

    /// <summary>Raised (with the closing session) when a user's last session closes or signs out.</summary>
    internal event Action<ClientSession>? LastSessionClosed;

    /// <summary>The session of an authenticated connection, or null.</summary>
    public ClientSession? SessionOf(Connection connection) => _byConnection.GetValueOrDefault(connection.Id);

    /// <summary>The live sessions of <paramref name="user"/> (a snapshot).</summary>
    public IReadOnlyList<ClientSession> SessionsOf(UserId user)
    {
        lock (_lock)
        {
            return _byUser.TryGetValue(user, out List<ClientSession>? sessions) ? [.. sessions] : [];
        }
    }

    /// <summary><paramref name="user"/>'s presence as its contacts see it.</summary>
    public Presence StatusOf(UserId user)
    {
        lock (_lock)
        {
            return _status.GetValueOrDefault(user, Presence.Offline);
        }
    }

    /// <summary>Adds an authenticated connection; false when the connection has a session already. The session is
    /// removed when the connection closes.</summary>
    internal async Task<bool> AttachAsync(ClientSession session, CancellationToken cancellationToken)
    {
        if (!_byConnection.TryAdd(session.Connection.Id, session))
        {
            return false;
        }
        bool first;
        lock (_lock)
        {
            if (!_byUser.TryGetValue(session.User, out List<ClientSession>? sessions))
            {
                _byUser[session.User] = sessions = [];
            }
            sessions.Add(session);
            first = sessions.Count == 1;
            if (first)
            {
                _status[session.User] = Presence.Online;
            }
        }
        session.Connection.Closing.Register(() => _ = DetachInBackgroundAsync(session));
        if (first)
        {
            await PushPresenceAsync(session.User, session.Username, Presence.Online, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>Removes a session (connection closed, or signed out); the user's contacts are told
    /// <see cref="Presence.Offline"/> when it was the user's last.</summary>
    internal async Task DetachAsync(ClientSession session, CancellationToken cancellationToken)
    {
        if (!_byConnection.TryRemove(new KeyValuePair<long, ClientSession>(session.Connection.Id, session)))
        {
            return;
        }
        bool last = false;
        Presence previous = Presence.Offline;
        lock (_lock)
        {
            if (_byUser.TryGetValue(session.User, out List<ClientSession>? sessions) && sessions.Remove(session) && sessions.Count == 0)
            {
                _byUser.Remove(session.User);
                last = true;
                previous = _status.GetValueOrDefault(session.User, Presence.Offline);
                _status.Remove(session.User);
            }
        }
        if (last)
        {
            LastSessionClosed?.Invoke(session);
        }
        if (last && previous != Presence.Offline)
        {
            await PushPresenceAsync(session.User, session.Username, Presence.Offline, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Ends a session on an open connection: detaches it (no request is served with it from here on), pushes
    /// <c>CODE_UNAUTHENTICATED</c> with <paramref name="pushedMessage"/> unless it is null (the caller answers the
    /// request instead), then closes the connection (<see cref="CloseReason.SessionEnded"/>); the queued frames are
    /// still written.
    /// </summary>
    internal async Task EndSessionAsync(ClientSession session, string? pushedMessage)
    {
        // Not the connection's token: that one is cancelled by the close, and the OFFLINE push must still happen.
        await DetachAsync(session, CancellationToken.None).ConfigureAwait(false);
        if (pushedMessage is not null)
        {
            session.Connection.TryPush(ErrorFrames.Create(0, Code.Unauthenticated, pushedMessage));
        }
        session.Connection.Close(CloseReason.SessionEnded);
    }

    /// <summary>Ends every open session that has expired by the hub's clock (housekeeping); returns how many.</summary>
    internal async Task<int> EndExpiredSessionsAsync()
    {
        DateTimeOffset now = Time.GetUtcNow();
        ClientSession[] expired = [.. _byConnection.Values.Where(s => s.HasExpired(now))];
        foreach (ClientSession session in expired)
        {
            await EndSessionAsync(session, "session expired").ConfigureAwait(false);
        }
        return expired.Length;
    }

    /// <summary>Sets the user's presence and pushes it to its online accepted contacts.</summary>
    internal async Task SetPresenceAsync(ClientSession session, Presence status, CancellationToken cancellationToken)
    {
        bool changed;
        lock (_lock)
        {
            if (!_byUser.ContainsKey(session.User))
            {
                return; // signed out meanwhile
            }
            changed = _status.GetValueOrDefault(session.User, Presence.Offline) != status;
            _status[session.User] = status;
        }
        if (changed)
        {
            await PushPresenceAsync(session.User, session.Username, status, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Pushes <paramref name="frame"/> to every live connection of <paramref name="user"/>.</summary>
    internal void PushTo(UserId user, ServerFrame frame)
    {
        foreach (ClientSession session in SessionsOf(user))
        {
            session.Connection.TryPush(frame.Clone());
        }
    }

    /// <summary>Tells <paramref name="recipient"/> (if online) the presence of <paramref name="username"/>.</summary>
    internal void PushPresenceTo(UserId recipient, string username, Presence status) =>
        PushTo(recipient, new ServerFrame { PresenceChanged = new PresenceChanged { User = username, Status = status } });

    private async Task PushPresenceAsync(UserId user, string username, Presence status, CancellationToken cancellationToken)
    {
        IReadOnlyList<UserId> contacts = await _store.AcceptedContactsOfAsync(user, cancellationToken).ConfigureAwait(false);
        foreach (UserId contact in contacts)
        {
            PushPresenceTo(contact, username, status);
        }
    }

    private async Task DetachInBackgroundAsync(ClientSession session)
    {
        try
        {
            await Task.Yield(); // off the thread that is closing the connection
            await DetachAsync(session, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The store may be closing with the server; the OFFLINE push is best effort.
            _log($"[cloud] presence update for a closed connection failed: {e.GetType().Name}");
        }
    }
}
