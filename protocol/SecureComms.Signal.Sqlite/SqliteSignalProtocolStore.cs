using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using SecureComms.Sqlite;
using SecureComms.Crypto;
using SecureComms.Signal.Sessions;
using SecureComms.Signal.Stores;

namespace SecureComms.Signal.Sqlite;

/// <summary>
/// A Signal protocol store kept in one SQLite file: our identity, the identities we have seen, one-time and
/// signed prekeys, and session records. Every <see cref="Commit"/> is one SQLite transaction.
/// </summary>
/// <remarks>
/// <para><b>Lifecycle.</b> <see cref="Create"/> makes a new store (a file that does not exist yet, or an
/// empty one) and records the identity in it; <see cref="Open"/> opens an existing store and never creates
/// one. Both bring an older schema up to <see cref="SchemaVersion"/> and refuse a newer one. A file can be
/// open in at most one store per process (the per-session locks of <see cref="SessionCipher"/> belong to
/// one store object, so two objects over one file could lose ratchet updates); other processes are not
/// excluded by this class: do not share the file between processes. <see cref="Dispose"/> closes the file
/// and wipes our identity private key.</para>
/// <para><b>Threads.</b> One connection, guarded by a <see cref="Lock"/>: any number of threads may share the
/// store; their database operations run one at a time. SQLite serializes writers anyway, and one connection
/// never meets SQLITE_BUSY from itself. Records are parsed outside the lock.</para>
/// <para><b>Records.</b> Rows hold the records' own serialized forms
/// (<see cref="SessionRecord.Serialize"/>, <see cref="PreKeyRecord.Serialize"/>,
/// <see cref="SignedPreKeyRecord.Serialize"/>); identities are 0x05 ‖ u; our own private key is its 32 bytes.
/// Every load parses afresh, so a loaded object is the caller's own. A row that does not parse is a
/// <see cref="SignalProtocolException"/> with <see cref="SignalError.InvalidRecord"/>.</para>
/// <para><b>Durability.</b> <c>journal_mode=WAL</c>, <c>synchronous=FULL</c> (a committed transaction
/// survives a power loss), <c>foreign_keys=ON</c>, and <c>secure_delete=ON</c>, so that a consumed prekey or
/// superseded session is overwritten in the database file (older copies may linger in the <c>-wal</c> file
/// until it is checkpointed and reused, and in the file system below).</para>
/// <para><b>Hazards.</b> The file holds private keys in the clear: protect it as such (file permissions,
/// disk encryption). Storage failures (disk full, I/O error, a locked file) surface as
/// <see cref="SqliteException"/>; a failed <see cref="Commit"/> changes nothing.</para>
/// </remarks>
public sealed partial class SqliteSignalProtocolStore : ISignalProtocolStore, IDisposable
{
    private readonly Lock _lock = new();
    private readonly SqliteConnection _connection;
    private readonly IdentityKeyPair _identity;
    private readonly uint _registrationId;
    private readonly string _fullPath;
    private bool _disposed;

    private SqliteSignalProtocolStore(string fullPath, SqliteConnection connection, IdentityKeyPair identity, uint registrationId)
    {
        _fullPath = fullPath;
        _connection = connection;
        _identity = identity;
        _registrationId = registrationId;
    }

    /// <summary>The schema version (<c>PRAGMA user_version</c>) this code writes; newer files are refused.</summary>
    public static int SchemaVersion => Migrations.Length;

    /// <summary>The full path of the database file.</summary>
    public string FilePath => _fullPath;

    /// <summary>
    /// Creates a store at <paramref name="path"/> for the party with <paramref name="identity"/>.
    /// </summary>
    /// <param name="path">A file that does not exist yet, or an empty one (left by a failed create).</param>
    /// <param name="identity">Our identity; its private key must be exportable. The store keeps its own copy,
    /// read back from the file: the caller still owns (and disposes) <paramref name="identity"/>.</param>
    /// <param name="registrationId">Our registration id.</param>
    /// <exception cref="ArgumentException">The private key is not exportable.</exception>
    /// <exception cref="InvalidOperationException">The file already holds a store, or is another, non-empty
    /// SQLite database, or is open in a store of this process.</exception>
    /// <exception cref="SqliteException">The file cannot be created, or is not a SQLite database.</exception>
    public static SqliteSignalProtocolStore Create(string path, IdentityKeyPair identity, uint registrationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(identity);
        if (!identity.PrivateKey.IsExportable)
        {
            throw new ArgumentException("The identity private key must be exportable for the store to persist it.", nameof(identity));
        }
        return OpenCore(path, SqliteOpenMode.ReadWriteCreate, connection =>
        {
            StoreFile.RequireEmpty(connection, path);
            StoreFile.Configure(connection);
            using (SqliteTransaction transaction = connection.BeginTransaction())
            {
                StoreFile.RequireEmpty(connection, path); // again, now that no other writer can interleave
                StoreFile.Migrate(connection, 0);
                InsertLocalIdentity(connection, identity, registrationId);
                transaction.Commit();
            }
        });
    }

    /// <summary>Opens the existing store at <paramref name="path"/>, bringing its schema up to date.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidOperationException">The file holds no store (no schema or no identity: use
    /// <see cref="Create"/>), or its schema is newer than <see cref="SchemaVersion"/>, or it is open in a store of
    /// this process.</exception>
    /// <exception cref="SignalProtocolException">InvalidRecord: the stored identity is corrupt.</exception>
    /// <exception cref="SqliteException">The file cannot be opened, or is not a SQLite database.</exception>
    public static SqliteSignalProtocolStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"There is no Signal store at '{path}'; Create makes one.", path);
        }
        return OpenCore(path, SqliteOpenMode.ReadWrite, connection =>
        {
            // Refuse before touching the file: a newer schema or a file that is no store stays as it was.
            long version = SqliteStoreFile.UserVersion(connection);
            StoreFile.RequireKnownVersion(version, path);
            if (version == 0)
            {
                throw new InvalidOperationException($"'{path}' holds no Signal store (schema version 0); Create makes one.");
            }
            StoreFile.Configure(connection);
            using SqliteTransaction transaction = connection.BeginTransaction();
            version = SqliteStoreFile.UserVersion(connection); // again, now that no other writer can interleave
            StoreFile.RequireKnownVersion(version, path);
            StoreFile.Migrate(connection, version);
            transaction.Commit();
        });
    }

    /// <inheritdoc/>
    /// <remarks>Owned by the store, loaded once; <see cref="Dispose"/> wipes it.</remarks>
    public IdentityKeyPair GetIdentityKeyPair()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _identity;
    }

    /// <inheritdoc/>
    public uint GetLocalRegistrationId()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _registrationId;
    }

    /// <inheritdoc/>
    /// <exception cref="SignalProtocolException">InvalidRecord: the stored key is not 0x05 ‖ u.</exception>
    public IdentityKey? GetIdentity(ProtocolAddress address)
    {
        byte[]? serialized = QueryBlob(
            "SELECT identity_key FROM identities WHERE name = $name AND device_id = $device_id;",
            command => BindAddress(command, address));
        if (serialized is null)
        {
            return null;
        }
        return IdentityKey.TryDeserialize(serialized, out IdentityKey? key)
            ? key
            : throw new SignalProtocolException(SignalError.InvalidRecord, $"The stored identity key of {address} is malformed.");
    }

    /// <inheritdoc/>
    public void SaveIdentity(ProtocolAddress address, IdentityKey identityKey)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        byte[] serialized = identityKey.Serialize();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            UpsertIdentity(address, serialized);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="SignalProtocolException">InvalidRecord: the stored record is corrupt.</exception>
    public PreKeyRecord? LoadPreKey(uint id)
    {
        byte[]? serialized = QueryBlob("SELECT record FROM pre_keys WHERE id = $id;", command => command.Parameters.AddWithValue("$id", (long)id));
        return serialized is null ? null : CheckId(Parse(serialized, "prekey record", b => PreKeyRecord.Deserialize(b)), r => r.Id, id, "prekey");
    }

    /// <inheritdoc/>
    public void StorePreKey(PreKeyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        byte[] serialized = record.Serialize();
        try
        {
            Execute(
                "INSERT INTO pre_keys (id, record) VALUES ($id, $record) ON CONFLICT (id) DO UPDATE SET record = excluded.record;",
                command =>
                {
                    command.Parameters.AddWithValue("$id", (long)record.Id);
                    command.Parameters.AddWithValue("$record", serialized);
                });
        }
        finally
        {
            CryptographicOperations.ZeroMemory(serialized);
        }
    }

    /// <inheritdoc/>
    public void RemovePreKey(uint id) =>
        Execute("DELETE FROM pre_keys WHERE id = $id;", command => command.Parameters.AddWithValue("$id", (long)id));

    /// <inheritdoc/>
    /// <exception cref="SignalProtocolException">InvalidRecord: the stored record is corrupt.</exception>
    public SignedPreKeyRecord? LoadSignedPreKey(uint id)
    {
        byte[]? serialized = QueryBlob("SELECT record FROM signed_pre_keys WHERE id = $id;", command => command.Parameters.AddWithValue("$id", (long)id));
        return serialized is null ? null : CheckId(Parse(serialized, "signed prekey record", b => SignedPreKeyRecord.Deserialize(b)), r => r.Id, id, "signed prekey");
    }

    /// <inheritdoc/>
    public bool IsBaseKeyUsed(uint signedPreKeyId, X25519PublicKey baseKey)
    {
        ArgumentNullException.ThrowIfNull(baseKey);
        byte[] key = baseKey.Bytes.ToArray();
        return QueryBlob(
            "SELECT base_key FROM answered_base_keys WHERE signed_pre_key_id = $id AND base_key = $key;",
            command =>
            {
                command.Parameters.AddWithValue("$id", (long)signedPreKeyId);
                command.Parameters.AddWithValue("$key", key);
            }) is not null;
    }

    /// <inheritdoc/>
    public void StoreSignedPreKey(SignedPreKeyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        byte[] serialized = record.Serialize();
        try
        {
            Execute(
                "INSERT INTO signed_pre_keys (id, record) VALUES ($id, $record) ON CONFLICT (id) DO UPDATE SET record = excluded.record;",
                command =>
                {
                    command.Parameters.AddWithValue("$id", (long)record.Id);
                    command.Parameters.AddWithValue("$record", serialized);
                });
        }
        finally
        {
            CryptographicOperations.ZeroMemory(serialized);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="SignalProtocolException">InvalidRecord: the stored record is corrupt.</exception>
    public SessionRecord? LoadSession(ProtocolAddress address)
    {
        byte[]? serialized = QueryBlob(
            "SELECT record FROM sessions WHERE name = $name AND device_id = $device_id;",
            command => BindAddress(command, address));
        return serialized is null ? null : Parse(serialized, "session record", b => SessionRecord.Deserialize(b));
    }

    /// <inheritdoc/>
    public void StoreSession(ProtocolAddress address, SessionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        byte[] serialized = record.Serialize();
        try
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                UpsertSession(address, serialized);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(serialized);
        }
    }

    /// <inheritdoc/>
    /// <remarks>One SQLite transaction (session upsert, identity upsert, prekey delete, answered base key insert); on any failure it is
    /// rolled back and the exception (usually a <see cref="SqliteException"/>) propagates.</remarks>
    public void Commit(SessionCommit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentNullException.ThrowIfNull(commit.Record);
        ArgumentNullException.ThrowIfNull(commit.Identity);
        byte[] record = commit.Record.Serialize();
        byte[] identity = commit.Identity.Serialize();
        try
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                using SqliteTransaction transaction = _connection.BeginTransaction();
                UpsertSession(commit.Address, record);
                UpsertIdentity(commit.Address, identity);
                if (commit.ConsumedPreKeyId is uint id)
                {
                    using SqliteCommand delete = _connection.CreateCommand();
                    delete.CommandText = "DELETE FROM pre_keys WHERE id = $id;";
                    delete.Parameters.AddWithValue("$id", (long)id);
                    delete.ExecuteNonQuery();
                }
                if (commit.AnsweredBaseKey is (uint signedPreKeyId, X25519PublicKey baseKey))
                {
                    using SqliteCommand insert = _connection.CreateCommand();
                    insert.CommandText = "INSERT OR IGNORE INTO answered_base_keys (signed_pre_key_id, base_key) VALUES ($id, $key);";
                    insert.Parameters.AddWithValue("$id", (long)signedPreKeyId);
                    insert.Parameters.AddWithValue("$key", baseKey.Bytes.ToArray());
                    insert.ExecuteNonQuery();
                }
                transaction.Commit();
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(record);
        }
    }

    /// <summary>Closes the file and wipes our identity private key. Idempotent.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            try
            {
                _connection.Dispose(); // the last connection checkpoints the WAL and removes it
            }
            finally
            {
                _identity.Dispose();
                SqliteStoreFile.Release(_fullPath);
            }
        }
    }

    private static void BindAddress(SqliteCommand command, ProtocolAddress address)
    {
        ArgumentNullException.ThrowIfNull(address.Name, nameof(address));
        command.Parameters.AddWithValue("$name", address.Name);
        command.Parameters.AddWithValue("$device_id", (long)address.DeviceId);
    }

    /// <summary>Parses a stored record, wiping its bytes; anything but a clean parse is InvalidRecord.</summary>
    private static T Parse<T>(byte[] serialized, string what, Func<byte[], T> parse)
    {
        try
        {
            return parse(serialized);
        }
        catch (SignalProtocolException e) when (e.Reason == SignalError.InvalidRecord)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The bytes come from a file: whatever a parser throws on them means the record is unusable.
            throw new SignalProtocolException(SignalError.InvalidRecord, $"A stored {what} is malformed: {e.Message}");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(serialized);
        }
    }

    private static T CheckId<T>(T record, Func<T, uint> idOf, uint id, string what)
        where T : IDisposable
    {
        uint named = idOf(record);
        if (named != id)
        {
            record.Dispose();
            throw new SignalProtocolException(SignalError.InvalidRecord, $"The {what} stored under id {id} names itself {named}.");
        }
        return record;
    }

    private byte[]? QueryBlob(string sql, Action<SqliteCommand> bind)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText = sql;
            bind(command);
            using SqliteDataReader reader = command.ExecuteReader();
            return reader.Read() ? reader.GetFieldValue<byte[]>(0) : null;
        }
    }

    private void Execute(string sql, Action<SqliteCommand> bind)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText = sql;
            bind(command);
            command.ExecuteNonQuery();
        }
    }

    private void UpsertSession(ProtocolAddress address, byte[] serialized)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = "INSERT INTO sessions (name, device_id, record) VALUES ($name, $device_id, $record) ON CONFLICT (name, device_id) DO UPDATE SET record = excluded.record;";
        BindAddress(command, address);
        command.Parameters.AddWithValue("$record", serialized);
        command.ExecuteNonQuery();
    }

    private void UpsertIdentity(ProtocolAddress address, byte[] serialized)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = "INSERT INTO identities (name, device_id, identity_key) VALUES ($name, $device_id, $identity_key) ON CONFLICT (name, device_id) DO UPDATE SET identity_key = excluded.identity_key;";
        BindAddress(command, address);
        command.Parameters.AddWithValue("$identity_key", serialized);
        command.ExecuteNonQuery();
    }
}
