using Microsoft.Data.Sqlite;

namespace SecureComms.Server.Storage;

/// <summary>Contacts: one row per (owner, peer) holding the owner's disposition; transitions in <see cref="ContactState"/>.</summary>
public sealed partial class SqliteServerStore
{
    private const string Requested = "requested";
    private const string AcceptedRow = "accepted";
    private const string DeclinedRow = "declined";
    private const string BlockedRow = "blocked";

    /// <inheritdoc/>
    public Task<ContactOutcome> RequestContactAsync(UserId user, UserId peer, CancellationToken cancellationToken = default) =>
        ContactTransitionAsync(user, peer, (connection, mine, theirs) =>
        {
            switch (mine)
            {
                case BlockedRow:
                    return ContactOutcome.UnblockFirst;
                case AcceptedRow:
                    return ContactOutcome.AlreadyContacts;
            }
            if (theirs == Requested)
            {
                SetBothAccepted(connection, user, peer);
                return ContactOutcome.Accepted;
            }
            SetRow(connection, user, peer, Requested);
            return ContactOutcome.RequestSent;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<ContactOutcome> AcceptContactAsync(UserId user, UserId requester, CancellationToken cancellationToken = default) =>
        ContactTransitionAsync(user, requester, (connection, mine, theirs) =>
        {
            if (mine == AcceptedRow)
            {
                return ContactOutcome.AlreadyContacts;
            }
            if (theirs != Requested || mine is not (null or DeclinedRow))
            {
                return ContactOutcome.NoPendingRequest;
            }
            SetBothAccepted(connection, user, requester);
            return ContactOutcome.Accepted;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<ContactOutcome> DeclineContactAsync(UserId user, UserId requester, CancellationToken cancellationToken = default) =>
        ContactTransitionAsync(user, requester, (connection, mine, theirs) =>
        {
            if (theirs != Requested || mine is not (null or DeclinedRow))
            {
                return ContactOutcome.NoPendingRequest;
            }
            SetRow(connection, user, requester, DeclinedRow);
            return ContactOutcome.Declined;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<ContactOutcome> BlockContactAsync(UserId user, UserId peer, CancellationToken cancellationToken = default) =>
        ContactTransitionAsync(user, peer, (connection, mine, theirs) =>
        {
            if (theirs == AcceptedRow)
            {
                DeleteRow(connection, peer, user); // the relation ends; the peer sees a removal, not a block
            }
            SetRow(connection, user, peer, BlockedRow);
            return ContactOutcome.Blocked;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<ContactOutcome> RemoveContactAsync(UserId user, UserId peer, CancellationToken cancellationToken = default) =>
        ContactTransitionAsync(user, peer, (connection, mine, theirs) =>
        {
            if (mine is null)
            {
                return ContactOutcome.NothingToRemove;
            }
            if (mine == AcceptedRow && theirs == AcceptedRow)
            {
                DeleteRow(connection, peer, user);
            }
            DeleteRow(connection, user, peer);
            return ContactOutcome.Removed;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Contact>> ListContactsAsync(UserId user, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<Contact>>(connection =>
        {
            // Both directions of every pair the user is in, with the peer's name.
            using CommandLease command = Command(connection,
                """
                SELECT a.user_id, a.username, mine.state, mine.updated_at, theirs.state, theirs.updated_at
                FROM accounts a
                LEFT JOIN contacts mine ON mine.owner_id = $user AND mine.peer_id = a.user_id
                LEFT JOIN contacts theirs ON theirs.owner_id = a.user_id AND theirs.peer_id = $user
                WHERE a.user_id IN (SELECT peer_id FROM contacts WHERE owner_id = $user
                                    UNION SELECT owner_id FROM contacts WHERE peer_id = $user)
                ORDER BY a.username;
                """,
                ("$user", user.Value));
            using SqliteDataReader reader = command.ExecuteReader();
            var contacts = new List<Contact>();
            while (reader.Read())
            {
                string? mine = reader.IsDBNull(2) ? null : reader.GetString(2);
                string? theirs = reader.IsDBNull(4) ? null : reader.GetString(4);
                ContactState? state = mine switch
                {
                    AcceptedRow => ContactState.Accepted,
                    BlockedRow => ContactState.Blocked,
                    DeclinedRow => ContactState.Declined,
                    Requested => ContactState.RequestSent,
                    _ => theirs == Requested ? ContactState.RequestReceived : null, // their decline or block is not shown
                };
                if (state is ContactState visible)
                {
                    long since = mine is not null ? reader.GetInt64(3) : reader.GetInt64(5);
                    contacts.Add(new Contact(new UserId(reader.GetInt64(0)), reader.GetString(1), visible, FromUnixMilliseconds(since)));
                }
            }
            return contacts;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> AreAcceptedContactsAsync(UserId a, UserId b, CancellationToken cancellationToken = default) =>
        ReadAsync(connection => ScalarInt64(connection,
            """
            SELECT count(*) FROM contacts
            WHERE ((owner_id = $a AND peer_id = $b) OR (owner_id = $b AND peer_id = $a)) AND state = 'accepted';
            """,
            ("$a", a.Value), ("$b", b.Value)) == 2, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<UserId>> AcceptedContactsOfAsync(UserId user, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<UserId>>(connection =>
        {
            using CommandLease command = Command(connection,
                """
                SELECT mine.peer_id FROM contacts mine
                JOIN contacts theirs ON theirs.owner_id = mine.peer_id AND theirs.peer_id = mine.owner_id AND theirs.state = 'accepted'
                WHERE mine.owner_id = $user AND mine.state = 'accepted'
                ORDER BY mine.peer_id;
                """,
                ("$user", user.Value));
            using SqliteDataReader reader = command.ExecuteReader();
            var peers = new List<UserId>();
            while (reader.Read())
            {
                peers.Add(new UserId(reader.GetInt64(0)));
            }
            return peers;
        }, cancellationToken);

    /// <summary>Runs a transition in one transaction, given the actor's row and the peer's row (state or null).</summary>
    private Task<ContactOutcome> ContactTransitionAsync(UserId user, UserId peer, Func<SqliteConnection, string?, string?, ContactOutcome> transition, CancellationToken cancellationToken) =>
        WriteAsync(connection =>
        {
            if (user == peer)
            {
                return ContactOutcome.CannotContactSelf;
            }
            if (!AccountExists(connection, user) || !AccountExists(connection, peer))
            {
                return ContactOutcome.NoSuchUser;
            }
            return transition(connection, ReadRow(connection, user, peer), ReadRow(connection, peer, user));
        }, cancellationToken);

    private string? ReadRow(SqliteConnection connection, UserId owner, UserId peer)
    {
        using CommandLease command = Command(connection, "SELECT state FROM contacts WHERE owner_id = $owner AND peer_id = $peer;",
            ("$owner", owner.Value), ("$peer", peer.Value));
        return command.ExecuteScalar() as string;
    }

    private void SetRow(SqliteConnection connection, UserId owner, UserId peer, string state) =>
        Execute(connection,
            """
            INSERT INTO contacts (owner_id, peer_id, state, updated_at) VALUES ($owner, $peer, $state, $now)
            ON CONFLICT (owner_id, peer_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
            WHERE state <> excluded.state;
            """,
            ("$owner", owner.Value), ("$peer", peer.Value), ("$state", state), ("$now", Now()));

    private void SetBothAccepted(SqliteConnection connection, UserId a, UserId b)
    {
        SetRow(connection, a, b, AcceptedRow);
        SetRow(connection, b, a, AcceptedRow);
    }

    private void DeleteRow(SqliteConnection connection, UserId owner, UserId peer) =>
        Execute(connection, "DELETE FROM contacts WHERE owner_id = $owner AND peer_id = $peer;", ("$owner", owner.Value), ("$peer", peer.Value));
}
