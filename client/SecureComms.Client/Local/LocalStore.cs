using Microsoft.Data.Sqlite;
using SecureComms.Cloud.Proto;
using SecureComms.Sqlite;

namespace SecureComms.Client.Local;

/// <summary>
/// The client's own SQLite file (<c>profile.db</c>): the session, the contact list, and every message sent and
/// received, with the outbox. Schema: <see cref="LocalSchema"/>. The Signal sessions live beside it in their own
/// store (<see cref="ClientProfile.SignalStorePath"/>).
/// </summary>
/// <remarks>
/// <para><b>Durability.</b> <see cref="SqliteStoreFile"/>'s pragmas (WAL, <c>synchronous=FULL</c>): a message is in the
/// outbox before its first send, and an incoming message is committed here before the server is acknowledged, so a
/// crash loses neither.</para>
/// <para><b>Threads.</b> One connection guarded by one lock; every method is one statement or one transaction.</para>
/// </remarks>
public sealed class LocalStore : IDisposable
{
    private static readonly SqliteStoreFile StoreFile = new("client profile", LocalSchema.Migrations);

    private readonly Lock _lock = new();
    private readonly SqliteConnection _connection;
    private readonly string _fullPath;
    private bool _disposed;

    private LocalStore(string fullPath, SqliteConnection connection)
    {
        _fullPath = fullPath;
        _connection = connection;
    }

    /// <summary>Opens the profile database at <paramref name="path"/>, creating it (or bringing its schema up to date).</summary>
    /// <exception cref="InvalidOperationException">The file was written by a newer version, or is open in this process.</exception>
    /// <exception cref="SqliteException">The file cannot be opened or is not a SQLite database.</exception>
    public static LocalStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return StoreFile.Open(path, SqliteOpenMode.ReadWriteCreate, (fullPath, connection) =>
        {
            StoreFile.RequireKnownVersion(SqliteStoreFile.UserVersion(connection), path);
            StoreFile.Configure(connection);
            using SqliteTransaction transaction = connection.BeginTransaction();
            long version = SqliteStoreFile.UserVersion(connection);
            StoreFile.RequireKnownVersion(version, path);
            StoreFile.Migrate(connection, version);
            transaction.Commit();
            return new LocalStore(fullPath, connection);
        });
    }

    // ---- Session ---------------------------------------------------------------------------------------

    /// <summary>The stored session, or null when signed out.</summary>
    public LocalSession? LoadSession() => Query("SELECT username, token, expires_at_ms FROM account WHERE id = 1;", null,
        r => new LocalSession(r.GetString(0), r.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)))).FirstOrDefault();

    /// <summary>Stores <paramref name="session"/>, replacing any other.</summary>
    public void SaveSession(LocalSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        Execute("INSERT OR REPLACE INTO account (id, username, token, expires_at_ms) VALUES (1, $u, $t, $e);", c =>
        {
            c.Parameters.AddWithValue("$u", session.Username);
            c.Parameters.AddWithValue("$t", session.Token);
            c.Parameters.AddWithValue("$e", session.ExpiresAt.ToUnixTimeMilliseconds());
        });
    }

    /// <summary>Forgets the session (sign-out); <c>secure_delete</c> overwrites the token's bytes.</summary>
    public void ClearSession() => Execute("DELETE FROM account;", null);

    // ---- Settings --------------------------------------------------------------------------------------

    /// <summary>A setting, or null.</summary>
    public string? GetSetting(string name) => Query("SELECT value FROM settings WHERE name = $n;", c => c.Parameters.AddWithValue("$n", name),
        r => r.GetString(0)).FirstOrDefault();

    /// <summary>Sets a setting.</summary>
    public void SetSetting(string name, string value) => Execute("INSERT OR REPLACE INTO settings (name, value) VALUES ($n, $v);", c =>
    {
        c.Parameters.AddWithValue("$n", name);
        c.Parameters.AddWithValue("$v", value);
    });

    // ---- Contacts --------------------------------------------------------------------------------------

    /// <summary>Replaces the contact list with <paramref name="contacts"/> (the server's, as last answered).</summary>
    public void ReplaceContacts(IEnumerable<ContactEntry> contacts)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        InTransaction(command =>
        {
            command.CommandText = "DELETE FROM contacts;";
            command.ExecuteNonQuery();
            command.CommandText = "INSERT INTO contacts (username, status, presence) VALUES ($u, $s, $p);";
            foreach (ContactEntry contact in contacts)
            {
                command.Parameters.Clear();
                command.Parameters.AddWithValue("$u", contact.Username);
                command.Parameters.AddWithValue("$s", (int)contact.Status);
                command.Parameters.AddWithValue("$p", (int)contact.Presence);
                command.ExecuteNonQuery();
            }
        });
    }

    /// <summary>Records a pushed presence. The server pushes presence to accepted contacts only, so the sender is one
    /// (this is also how an acceptance of this user's request shows).</summary>
    public void UpdatePresence(string username, Presence presence) =>
        Execute("""
            INSERT INTO contacts (username, status, presence) VALUES ($u, $s, $p)
            ON CONFLICT (username) DO UPDATE SET status = excluded.status, presence = excluded.presence;
            """, c =>
        {
            c.Parameters.AddWithValue("$u", username);
            c.Parameters.AddWithValue("$s", (int)ContactStatus.Accepted);
            c.Parameters.AddWithValue("$p", (int)presence);
        });

    /// <summary>Records one contact's state (a pushed request), keeping its presence if listed.</summary>
    public void UpsertContact(string username, ContactStatus status) =>
        Execute("""
            INSERT INTO contacts (username, status, presence) VALUES ($u, $s, 0)
            ON CONFLICT (username) DO UPDATE SET status = excluded.status;
            """, c =>
        {
            c.Parameters.AddWithValue("$u", username);
            c.Parameters.AddWithValue("$s", (int)status);
        });

    /// <summary>The contact list by name.</summary>
    public IReadOnlyList<LocalContact> Contacts() => Query("SELECT username, status, presence FROM contacts ORDER BY username;", null,
        r => new LocalContact(r.GetString(0), (ContactStatus)r.GetInt32(1), (Presence)r.GetInt32(2)));

    // ---- Messages --------------------------------------------------------------------------------------

    /// <summary>Puts a message in the outbox (<see cref="LocalMessageState.Pending"/>) before its first send.</summary>
    public void AddOutgoing(Guid id, string to, string text, bool isPrivate, byte[] wireBody, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(wireBody);
        Execute("""
            INSERT INTO messages (peer, outgoing, client_message_id, text, private, state, wire_body, at_ms)
            VALUES ($peer, 1, $id, $text, $private, 0, $wire, $at);
            """, c =>
        {
            c.Parameters.AddWithValue("$peer", to);
            c.Parameters.AddWithValue("$id", id.ToByteArray());
            c.Parameters.AddWithValue("$text", text);
            c.Parameters.AddWithValue("$private", isPrivate ? 1 : 0);
            c.Parameters.AddWithValue("$wire", wireBody);
            c.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        });
    }

    /// <summary>The outbox, oldest first (the order to send in).</summary>
    public IReadOnlyList<OutboxEntry> Outbox() => Query(
        "SELECT client_message_id, peer, wire_body, private FROM messages WHERE state = 0 ORDER BY local_id;", null,
        r => new OutboxEntry(new Guid(r.GetFieldValue<byte[]>(0)), r.GetString(1), r.GetFieldValue<byte[]>(2), r.GetInt32(3) == 1));

    /// <summary>The server accepted the message: it leaves the outbox (its wire bytes are erased).</summary>
    public void MarkSent(Guid id, string to, long serverSequence) =>
        Execute("UPDATE messages SET state = 1, server_sequence = $seq, wire_body = NULL WHERE outgoing = 1 AND peer = $peer AND client_message_id = $id;",
            c =>
            {
                c.Parameters.AddWithValue("$seq", serverSequence);
                c.Parameters.AddWithValue("$peer", to);
                c.Parameters.AddWithValue("$id", id.ToByteArray());
            });

    /// <summary>The server refused the message for good: it leaves the outbox with <paramref name="error"/>.</summary>
    public void MarkFailed(Guid id, string to, string error) =>
        Execute("UPDATE messages SET state = 2, error = $error, wire_body = NULL WHERE outgoing = 1 AND peer = $peer AND client_message_id = $id;",
            c =>
            {
                c.Parameters.AddWithValue("$error", error);
                c.Parameters.AddWithValue("$peer", to);
                c.Parameters.AddWithValue("$id", id.ToByteArray());
            });

    /// <summary>
    /// Records an incoming message (<see cref="LocalMessageState.Received"/> or <see cref="LocalMessageState.Undecryptable"/>)
    /// and returns it; null when the same (sender, id) is here already: a redelivery, to be acknowledged and otherwise ignored.
    /// </summary>
    public LocalMessage? AddIncoming(string from, Guid id, long serverSequence, string? text, bool isPrivate, DateTimeOffset at,
        LocalMessageState state, string? error = null)
    {
        if (state is not (LocalMessageState.Received or LocalMessageState.Undecryptable))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "An incoming message is Received or Undecryptable.");
        }
        return Query($"""
            INSERT OR IGNORE INTO messages (peer, outgoing, client_message_id, text, private, state, server_sequence, at_ms, error)
            VALUES ($peer, 0, $id, $text, $private, $state, $seq, $at, $error)
            RETURNING {MessageColumns};
            """, c =>
        {
            c.Parameters.AddWithValue("$peer", from);
            c.Parameters.AddWithValue("$id", id.ToByteArray());
            c.Parameters.AddWithValue("$text", (object?)text ?? DBNull.Value);
            c.Parameters.AddWithValue("$private", isPrivate ? 1 : 0);
            c.Parameters.AddWithValue("$state", (int)state);
            c.Parameters.AddWithValue("$seq", serverSequence);
            c.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            c.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
        }, ReadMessage).FirstOrDefault();
    }

    /// <summary>The outgoing message <paramref name="id"/> to <paramref name="to"/>, or null.</summary>
    public LocalMessage? FindOutgoing(Guid id, string to) => Query(
        $"SELECT {MessageColumns} FROM messages WHERE outgoing = 1 AND peer = $peer AND client_message_id = $id;",
        c =>
        {
            c.Parameters.AddWithValue("$peer", to);
            c.Parameters.AddWithValue("$id", id.ToByteArray());
        }, ReadMessage).FirstOrDefault();

    /// <summary>Whether an incoming message (sender, id) is here already.</summary>
    public bool HasIncoming(string from, Guid id) => Query(
        "SELECT 1 FROM messages WHERE outgoing = 0 AND peer = $peer AND client_message_id = $id;",
        c =>
        {
            c.Parameters.AddWithValue("$peer", from);
            c.Parameters.AddWithValue("$id", id.ToByteArray());
        }, _ => true).Count == 1;

    /// <summary>
    /// Messages in the order they were written here: with <paramref name="peer"/>, one conversation; with
    /// <paramref name="unseenIncomingOnly"/>, the incoming ones not yet shown. At most <paramref name="limit"/>, the latest.
    /// </summary>
    public IReadOnlyList<LocalMessage> Messages(string? peer = null, bool unseenIncomingOnly = false, int limit = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        string where = (peer, unseenIncomingOnly) switch
        {
            (null, false) => "",
            (null, true) => "WHERE outgoing = 0 AND seen = 0",
            (_, false) => "WHERE peer = $peer",
            (_, true) => "WHERE peer = $peer AND outgoing = 0 AND seen = 0",
        };
        return Query($"""
            SELECT * FROM (SELECT {MessageColumns} FROM messages {where} ORDER BY local_id DESC LIMIT $limit)
            ORDER BY local_id;
            """, c =>
        {
            if (peer is not null)
            {
                c.Parameters.AddWithValue("$peer", peer);
            }
            c.Parameters.AddWithValue("$limit", limit);
        }, ReadMessage);
    }

    private const string MessageColumns = "local_id, peer, outgoing, client_message_id, text, private, state, server_sequence, at_ms, error, seen";

    private static LocalMessage ReadMessage(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetInt32(2) == 1, new Guid(r.GetFieldValue<byte[]>(3)),
        r.IsDBNull(4) ? null : r.GetString(4), r.GetInt32(5) == 1, (LocalMessageState)r.GetInt32(6),
        r.IsDBNull(7) ? null : r.GetInt64(7), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)),
        r.IsDBNull(9) ? null : r.GetString(9), r.GetInt32(10) == 1);

    /// <summary>Marks messages as shown to the user.</summary>
    public void MarkSeen(IEnumerable<long> localIds)
    {
        ArgumentNullException.ThrowIfNull(localIds);
        InTransaction(command =>
        {
            command.CommandText = "UPDATE messages SET seen = 1 WHERE local_id = $id;";
            SqliteParameter id = command.Parameters.Add("$id", SqliteType.Integer);
            foreach (long localId in localIds)
            {
                id.Value = localId;
                command.ExecuteNonQuery();
            }
        });
    }

    /// <summary>Reserves <paramref name="count"/> consecutive ids of counter <paramref name="name"/> (starting at 1);
    /// returns the first.</summary>
    public uint ReserveIds(string name, uint count)
    {
        ArgumentOutOfRangeException.ThrowIfZero(count);
        long first = 0;
        InTransaction(command =>
        {
            command.CommandText = "INSERT OR IGNORE INTO counters (name, next) VALUES ($name, 1); SELECT next FROM counters WHERE name = $name;";
            command.Parameters.AddWithValue("$name", name);
            first = (long)command.ExecuteScalar()!;
            command.CommandText = "UPDATE counters SET next = $next WHERE name = $name;";
            command.Parameters.AddWithValue("$next", checked(first + count));
            command.ExecuteNonQuery();
        });
        return checked((uint)first);
    }

    // ---- Plumbing --------------------------------------------------------------------------------------

    private int Execute(string sql, Action<SqliteCommand>? bind)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText = sql;
            bind?.Invoke(command);
            return command.ExecuteNonQuery();
        }
    }

    private List<T> Query<T>(string sql, Action<SqliteCommand>? bind, Func<SqliteDataReader, T> read)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText = sql;
            bind?.Invoke(command);
            using SqliteDataReader reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(read(reader));
            }
            return rows;
        }
    }

    private void InTransaction(Action<SqliteCommand> work)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using SqliteTransaction transaction = _connection.BeginTransaction();
            using SqliteCommand command = _connection.CreateCommand();
            command.Transaction = transaction;
            work(command);
            transaction.Commit();
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _connection.Dispose();
            SqliteStoreFile.Release(_fullPath);
        }
    }
}
