using Microsoft.Data.Sqlite;
using SecureComms.Server.Storage;

namespace SecureComms.Cloud.Tests.Storage;

/// <summary>A fresh directory under the system temp directory, deleted with everything in it on Dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "securecomms-server-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The path of <paramref name="name"/> in this directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now;

    public ManualTimeProvider(DateTimeOffset? start = null) => _now = start ?? new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>A store on a real SQLite file in a temp directory, with a manual clock; base of the storage tests.</summary>
public abstract class StoreTestBase : IDisposable
{
    private readonly TempDirectory _directory = new();

    private protected StoreTestBase()
    {
        Path = _directory.File("server.db");
        Store = SqliteServerStore.Create(Path, Clock);
    }

    private protected ManualTimeProvider Clock { get; } = new();

    private protected string Path { get; }

    private protected SqliteServerStore Store { get; private set; }

    /// <summary>Closes the store and opens the file again, as after a restart.</summary>
    private protected void Reopen()
    {
        Store.Dispose();
        Store = SqliteServerStore.Open(Path, Clock);
    }

    private protected async Task<UserId> UserAsync(string name) =>
        (await Store.CreateAccountAsync(name, "$argon2id$v=19$m=8,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA"))!.Id;

    private protected SqliteConnection Raw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private protected object? RawScalar(string sql)
    {
        using SqliteConnection connection = Raw();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        Store.Dispose();
        _directory.Dispose();
        GC.SuppressFinalize(this);
    }
}
