using System.Globalization;
using Microsoft.Data.Sqlite;
using SecureComms.Sqlite;

namespace SecureComms.Server.Storage;

/// <summary>
/// The default <see cref="IServerStore"/>: one SQLite file (Microsoft.Data.Sqlite) with a versioned schema.
/// </summary>
/// <remarks>
/// <para><b>Lifecycle.</b> <see cref="Create"/> makes a new store (a file that does not exist yet, or an empty
/// one); <see cref="Open"/> opens an existing one and never creates; <see cref="OpenOrCreate"/> is what a server
/// starts with. Opening brings an older schema up to <see cref="SchemaVersion"/> (<c>PRAGMA user_version</c>,
/// migrations only appended) and refuses a newer one, leaving the file untouched. A file can be open in at
/// most one store per process; other processes are not excluded: do not share the file between processes.</para>
/// <para><b>Threads and group commit.</b> Two connections. Writes (every method that changes something) are queued to
/// one writer (<c>SqliteServerStore.GroupCommit.cs</c>) that runs each in its own savepoint and commits up to
/// <see cref="MaxWritesPerCommit"/> of them in one transaction, with one fsync: each write is atomic and isolated as
/// before (the one-time prekey hand-out cannot race; a failing write is rolled back alone), its task completes only
/// after the commit that made it durable, and under load many writes share one fsync instead of queueing for one each.
/// Reads run on a read-only connection (WAL: a snapshot of what is committed) behind their own gate, so they never
/// wait for a commit. The work itself is synchronous. <c>busy_timeout</c> (<see cref="BusyTimeout"/>) covers an outside
/// reader (a backup tool) holding the file briefly.</para>
/// <para><b>Durability.</b> <c>journal_mode=WAL</c> and <c>synchronous=FULL</c>: a transaction is fsynced
/// before its commit returns, so a method whose task completed survives a crash or power loss — the server
/// acknowledges a message only after <see cref="EnqueueAsync"/> completes. <c>foreign_keys=ON</c>;
/// <c>secure_delete=ON</c>, so acknowledged bodies, handed-out prekeys and revoked token hashes are overwritten
/// in the database file (copies may linger in the <c>-wal</c> file until checkpointed, and in the file system).</para>
/// <para><b>Times</b> are stored as Unix milliseconds (UTC) from the injected <see cref="TimeProvider"/>.</para>
/// <para><b>Hazards.</b> The file holds password verifiers, token hashes, contact graphs and undelivered
/// (end-to-end encrypted) messages: protect it (permissions, disk encryption, backups treated alike). Storage
/// failures (disk full, I/O error) surface as <see cref="SqliteException"/> and change nothing.</para>
/// </remarks>
public sealed partial class SqliteServerStore : IServerStore, IDisposable
{
    /// <summary>How long a statement waits for a lock held by another connection: 5 s.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(5);

    private static readonly SqliteStoreFile StoreFile = new("server store", SqliteServerSchema.Migrations, BusyTimeout);

    private readonly SqliteConnection _connection;
    private readonly SqliteConnection _reader;
    private readonly SemaphoreSlim _readGate = new(1, 1);
    private readonly Dictionary<string, SqliteCommand> _writerCommands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteCommand> _readerCommands = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly string _fullPath;
    private bool _disposed;

    private SqliteServerStore(string fullPath, SqliteConnection connection, SqliteConnection reader, TimeProvider time)
    {
        _fullPath = fullPath;
        _connection = connection;
        _reader = reader;
        _time = time;
        _writer = Task.Run(RunWriterAsync);
    }

    /// <summary>The schema version (<c>PRAGMA user_version</c>) this code writes; newer files are refused.</summary>
    public static int SchemaVersion => SqliteServerSchema.Migrations.Length;

    /// <summary>The full path of the database file.</summary>
    public string FilePath => _fullPath;

    /// <summary>Creates a store at <paramref name="path"/>: a file that does not exist yet, or an empty one.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="time">The clock for stored times and session expiry (default: the system clock).</param>
    /// <exception cref="InvalidOperationException">The file already holds a database, or is open in a store of this process.</exception>
    /// <exception cref="SqliteException">The file cannot be created, or is not a SQLite database.</exception>
    public static SqliteServerStore Create(string path, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return OpenCore(path, SqliteOpenMode.ReadWriteCreate, time, connection =>
        {
            StoreFile.RequireEmpty(connection, path);
            StoreFile.Configure(connection);
            using SqliteTransaction transaction = connection.BeginTransaction();
            StoreFile.RequireEmpty(connection, path); // again, now that no other writer can interleave
            StoreFile.Migrate(connection, 0);
            transaction.Commit();
        });
    }

    /// <summary>Opens the existing store at <paramref name="path"/>, bringing its schema up to date.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidOperationException">The file holds no store (schema version 0), or a newer schema
    /// than <see cref="SchemaVersion"/>, or is open in a store of this process.</exception>
    /// <exception cref="SqliteException">The file cannot be opened, or is not a SQLite database.</exception>
    public static SqliteServerStore Open(string path, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"There is no server store at '{path}'; Create makes one.", path);
        }
        return OpenCore(path, SqliteOpenMode.ReadWrite, time, connection =>
        {
            long version = SqliteStoreFile.UserVersion(connection);
            StoreFile.RequireKnownVersion(version, path);
            if (version == 0)
            {
                throw new InvalidOperationException($"'{path}' holds no server store (schema version 0); Create makes one.");
            }
            StoreFile.Configure(connection);
            using SqliteTransaction transaction = connection.BeginTransaction();
            version = SqliteStoreFile.UserVersion(connection);
            StoreFile.RequireKnownVersion(version, path);
            StoreFile.Migrate(connection, version);
            transaction.Commit();
        });
    }

    /// <summary><see cref="Open"/> when <paramref name="path"/> exists, else <see cref="Create"/>.</summary>
    public static SqliteServerStore OpenOrCreate(string path, TimeProvider? time = null) =>
        File.Exists(path) && new FileInfo(path).Length > 0 ? Open(path, time) : Create(path, time);

    /// <summary>Lets the writes already queued commit, then closes the file. Idempotent.</summary>
    public void Dispose()
    {
        _writes.Writer.TryComplete();
        _writer.GetAwaiter().GetResult(); // the writer connection has no other user
        _readGate.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            try
            {
                foreach (SqliteCommand command in _writerCommands.Values.Concat(_readerCommands.Values))
                {
                    command.Dispose();
                }
                _reader.Dispose();
                _connection.Dispose(); // the last connection checkpoints the WAL and removes it
            }
            finally
            {
                SqliteStoreFile.Release(_fullPath);
            }
        }
        finally
        {
            _readGate.Release();
        }
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static DateTimeOffset FromUnixMilliseconds(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    /// <summary>Runs the read-only <paramref name="work"/> on the reader connection (its own snapshot of what is
    /// committed; never waits for a commit in progress).</summary>
    private async Task<T> ReadAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        await _readGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return work(_reader);
        }
        finally
        {
            _readGate.Release();
        }
    }

    /// <summary>
    /// The parameterized command for <paramref name="sql"/> on <paramref name="connection"/> (values: null is SQL NULL),
    /// kept per connection and SQL text so that SQLite parses and plans each statement once (Microsoft.Data.Sqlite keeps
    /// a command's prepared statements until its text changes). The lease clears the parameters when disposed; only
    /// the thread holding the connection's gate uses its commands, and a statement is never leased twice at once.
    /// </summary>
    private CommandLease Command(SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        Dictionary<string, SqliteCommand> cache = ReferenceEquals(connection, _connection) ? _writerCommands : _readerCommands;
        if (!cache.TryGetValue(sql, out SqliteCommand? command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            cache.Add(sql, command);
        }
        command.Transaction = ReferenceEquals(connection, _connection) ? _writeTransaction : null;
        command.Parameters.Clear();
        foreach ((string name, object? value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return new CommandLease(command);
    }

    /// <summary>A cached command lent for one use: disposing it returns it (parameters cleared), never closes it.</summary>
    private readonly struct CommandLease(SqliteCommand command) : IDisposable
    {
        public SqliteParameterCollection Parameters => command.Parameters;

        public SqliteDataReader ExecuteReader() => command.ExecuteReader();

        public int ExecuteNonQuery() => command.ExecuteNonQuery();

        public object? ExecuteScalar() => command.ExecuteScalar();

        public void Dispose() => command.Parameters.Clear();
    }

    private int Execute(SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using CommandLease command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private long ScalarInt64(SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using CommandLease command = Command(connection, sql, parameters);
        return (long)command.ExecuteScalar()!;
    }

    private bool AccountExists(SqliteConnection connection, UserId user) =>
        ScalarInt64(connection, "SELECT count(*) FROM accounts WHERE user_id = $id;", ("$id", user.Value)) != 0;

    private static SqliteServerStore OpenCore(string path, SqliteOpenMode mode, TimeProvider? time, Action<SqliteConnection> prepare) =>
        StoreFile.Open(path, mode, (fullPath, connection) =>
        {
            prepare(connection);
            var reader = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = fullPath,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
                DefaultTimeout = checked((int)BusyTimeout.TotalSeconds),
            }.ToString());
            try
            {
                reader.Open();
                return new SqliteServerStore(fullPath, connection, reader, time ?? TimeProvider.System);
            }
            catch
            {
                reader.Dispose();
                throw;
            }
        });

}
