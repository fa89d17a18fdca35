using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SecureComms.Sqlite;

/// <summary>
/// The file side of a SQLite store: one store object per file and process, durable pragmas, and schema
/// migrations numbered by <c>PRAGMA user_version</c> (entry N takes a file from version N to N + 1).
/// </summary>
/// <remarks>
/// <para><b>One store per file.</b> A store's locks belong to its object, so two objects over one file could
/// interleave their writes; the second open of a file (by full path) in this process is refused. Other
/// processes are not excluded.</para>
/// <para><b>Durability.</b> <c>journal_mode=WAL</c> (refused if SQLite will not switch), <c>synchronous=FULL</c>
/// (a committed transaction survives a power loss), <c>foreign_keys=ON</c>, <c>secure_delete=ON</c>, and a
/// busy timeout when one is given. Connections are not pooled, so that disposing one releases the file.</para>
/// </remarks>
/// <param name="kind">What the store is called in messages, e.g. "Signal store".</param>
/// <param name="migrations">The schema migrations, in order; only ever appended to.</param>
/// <param name="busyTimeout">How long a statement waits for another connection's lock, if set.</param>
public sealed class SqliteStoreFile(string kind, IReadOnlyList<string> migrations, TimeSpan? busyTimeout = null)
{
    private static readonly Lock OpenPathsLock = new();
    private static readonly HashSet<string> OpenPaths = new(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    /// <summary>The schema version this code writes.</summary>
    public int SchemaVersion => migrations.Count;

    /// <summary>
    /// Reserves <paramref name="path"/> for one store, opens a connection to it and hands both to
    /// <paramref name="build"/> (which prepares the file and makes the store); on any failure the connection is
    /// closed and the reservation released.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file is open in a store of this process.</exception>
    public T Open<T>(string path, SqliteOpenMode mode, Func<string, SqliteConnection, T> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        string fullPath = Path.GetFullPath(path);
        lock (OpenPathsLock)
        {
            if (!OpenPaths.Add(fullPath))
            {
                throw new InvalidOperationException($"'{fullPath}' is already open in a {kind} of this process; share that store.");
            }
        }
        SqliteConnection? connection = null;
        try
        {
            var builder = new SqliteConnectionStringBuilder { DataSource = fullPath, Mode = mode, Pooling = false };
            if (busyTimeout is { } timeout)
            {
                builder.DefaultTimeout = checked((int)timeout.TotalSeconds);
            }
            connection = new SqliteConnection(builder.ToString());
            connection.Open();
            return build(fullPath, connection);
        }
        catch
        {
            connection?.Dispose();
            Release(fullPath);
            throw;
        }
    }

    /// <summary>Releases the reservation of <paramref name="fullPath"/> (when its store is disposed).</summary>
    public static void Release(string fullPath)
    {
        lock (OpenPathsLock)
        {
            OpenPaths.Remove(fullPath);
        }
    }

    /// <summary>Sets the durability pragmas on <paramref name="connection"/>.</summary>
    /// <exception cref="InvalidOperationException">SQLite refused write-ahead logging.</exception>
    public void Configure(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        if (command.ExecuteScalar() is not string mode || !mode.Equals("wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("SQLite refused write-ahead logging (journal_mode=WAL) for this file.");
        }
        command.CommandText = "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;";
        if (busyTimeout is { } timeout)
        {
            // PRAGMA takes no parameters; the value is an integer of ours, formatted invariantly.
            command.CommandText += " PRAGMA busy_timeout = " + ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + ";";
        }
        command.ExecuteNonQuery();
    }

    /// <summary>The file's schema version (<c>PRAGMA user_version</c>).</summary>
    public static long UserVersion(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Refuses a file written by a newer version of the code, leaving it untouched.</summary>
    public void RequireKnownVersion(long version, string path)
    {
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException($"'{path}' has schema version {version}, newer than the {SchemaVersion} this code knows: it was written by a newer version of the application and is left untouched.");
        }
    }

    /// <summary>Throws unless the file is a fresh database: schema version 0 and no objects.</summary>
    public void RequireEmpty(SqliteConnection connection, string path)
    {
        long version = UserVersion(connection);
        if (version != 0)
        {
            throw new InvalidOperationException($"'{path}' already holds a {kind} (schema version {version}); Open opens it.");
        }
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_schema;";
        if ((long)command.ExecuteScalar()! != 0)
        {
            throw new InvalidOperationException($"'{path}' is a SQLite database that is not empty and holds no {kind}.");
        }
    }

    /// <summary>Applies migrations <paramref name="from"/> … <see cref="SchemaVersion"/> − 1, inside the caller's transaction.</summary>
    public void Migrate(SqliteConnection connection, long from)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using SqliteCommand command = connection.CreateCommand();
        for (long version = from; version < migrations.Count; version++)
        {
            command.CommandText = migrations[(int)version];
            command.ExecuteNonQuery();
            // PRAGMA takes no parameters; the value is an integer of ours, formatted invariantly.
            command.CommandText = "PRAGMA user_version = " + (version + 1).ToString(CultureInfo.InvariantCulture) + ";";
            command.ExecuteNonQuery();
        }
    }
}
