using Microsoft.Data.Sqlite;

namespace SecureComms.Signal.Tests.Stores;

/// <summary>A fresh directory under the system temp directory, deleted with everything in it on Dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "securecomms-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The path of <paramref name="name"/> in this directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools(); // the stores and RawSqlite do not pool; this catches any that do
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

/// <summary>Direct access to a store's file, as another program (or an attacker, or a bug) would have it.</summary>
internal static class RawSqlite
{
    public static SqliteConnection Connect(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    public static void Execute(string path, string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteConnection connection = Connect(path);
        using SqliteCommand command = Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    public static object? Scalar(string path, string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteConnection connection = Connect(path);
        using SqliteCommand command = Command(connection, sql, parameters);
        return command.ExecuteScalar();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach ((string name, object value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }
}
