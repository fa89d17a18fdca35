using Microsoft.Data.Sqlite;
using SecureComms.Server.Storage;

namespace SecureComms.Cloud.Tests.Storage;

/// <summary>Create, open, schema versions, pragmas, one store per file per process.</summary>
public sealed class SqliteServerStoreLifecycleTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Create_writes_the_current_schema_in_wal_mode_and_Open_reads_it_back()
    {
        string path = _directory.File("s.db");
        using (SqliteServerStore store = SqliteServerStore.Create(path))
        {
            Assert.Equal(Path.GetFullPath(path), store.FilePath);
            Assert.NotNull(await store.CreateAccountAsync("alice", "v"));
        }
        Assert.Equal((long)SqliteServerStore.SchemaVersion, Scalar(path, "PRAGMA user_version;"));
        Assert.Equal("wal", Scalar(path, "PRAGMA journal_mode;"));
        using (SqliteServerStore store = SqliteServerStore.Open(path))
        {
            Assert.Equal("alice", (await store.FindAccountAsync("alice"))!.Username);
        }
    }

    [Fact]
    public void OpenOrCreate_creates_then_opens()
    {
        string path = _directory.File("s.db");
        SqliteServerStore.OpenOrCreate(path).Dispose();
        SqliteServerStore.OpenOrCreate(path).Dispose();
        Assert.Equal((long)SqliteServerStore.SchemaVersion, Scalar(path, "PRAGMA user_version;"));
    }

    [Fact]
    public void Create_refuses_an_existing_store_and_a_foreign_database()
    {
        string path = _directory.File("s.db");
        SqliteServerStore.Create(path).Dispose();
        Assert.Throws<InvalidOperationException>(() => SqliteServerStore.Create(path));

        string other = _directory.File("other.db");
        Execute(other, "CREATE TABLE t (x INTEGER);");
        Assert.Throws<InvalidOperationException>(() => SqliteServerStore.Create(other));
    }

    [Fact]
    public void Open_refuses_a_missing_file_an_empty_database_and_a_newer_schema_and_leaves_it_alone()
    {
        Assert.Throws<FileNotFoundException>(() => SqliteServerStore.Open(_directory.File("missing.db")));

        string empty = _directory.File("empty.db");
        Execute(empty, "PRAGMA user_version = 0;");
        Assert.Throws<InvalidOperationException>(() => SqliteServerStore.Open(empty));

        string path = _directory.File("s.db");
        SqliteServerStore.Create(path).Dispose();
        long newer = SqliteServerStore.SchemaVersion + 1;
        Execute(path, $"PRAGMA user_version = {newer};");
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => SqliteServerStore.Open(path));
        Assert.Contains("newer", e.Message, StringComparison.Ordinal);
        Assert.Equal(newer, Scalar(path, "PRAGMA user_version;"));
    }

    [Fact]
    public void A_file_is_open_in_one_store_per_process_and_free_again_after_Dispose()
    {
        string path = _directory.File("s.db");
        SqliteServerStore first = SqliteServerStore.Create(path);
        Assert.Throws<InvalidOperationException>(() => SqliteServerStore.Open(path));
        first.Dispose();
        first.Dispose(); // idempotent
        SqliteServerStore.Open(path).Dispose();
    }

    [Fact]
    public async Task A_disposed_store_refuses_work()
    {
        SqliteServerStore store = SqliteServerStore.Create(_directory.File("s.db"));
        store.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.FindAccountAsync("alice"));
    }

    [Fact]
    public async Task A_cancelled_call_does_nothing()
    {
        using SqliteServerStore store = SqliteServerStore.Create(_directory.File("s.db"));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CreateAccountAsync("alice", "v", cancelled.Token));
        Assert.Null(await store.FindAccountAsync("alice"));
    }

    [Fact]
    public void Tables_are_strict()
    {
        string path = _directory.File("s.db");
        SqliteServerStore.Create(path).Dispose();
        Assert.Throws<SqliteException>(() => Execute(path, "INSERT INTO accounts (username, password_verifier, created_at) VALUES ('bob', 'v', 'yesterday');"));
    }

    private static object? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => _directory.Dispose();
}
