using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace SecureComms.Fuzz.Cloud;

/// <summary>
/// A SHA-256 digest of every row of every table of a server store file, read through a second, read-only
/// SQLite connection: the <c>cloud-handlers</c> oracle "an Error answer changes nothing" compares it before and
/// after a request.
/// </summary>
/// <remarks>
/// Every table in <c>sqlite_master</c> is read, <c>sqlite_sequence</c> (the AUTOINCREMENT counters) included,
/// so a table added by a later migration is covered without a change here, and an insert that was deleted
/// again still shows. Rows are read in the order of all their columns, so the digest depends on the content
/// only, not on the physical order. Each value is written with a type tag and a length, so that no two
/// different contents serialize alike. The store runs in WAL mode: this connection sees every committed
/// transaction. <c>Pooling=False</c> so that closing it releases the file (the store's own close then
/// checkpoints and removes the WAL).
/// </remarks>
internal sealed class StoreDigest : IDisposable
{
    private readonly SqliteConnection _connection;

    /// <summary>Opens a read-only connection to the store file at <paramref name="path"/>.</summary>
    public StoreDigest(string path)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        _connection = new SqliteConnection(builder.ConnectionString);
        _connection.Open();
    }

    /// <summary>The digest of the store's current content.</summary>
    public byte[] Compute()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using SqliteTransaction snapshot = _connection.BeginTransaction(deferred: true); // one consistent read
        List<string> tables = [];
        using (SqliteCommand list = _connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name;";
            using SqliteDataReader reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }
        foreach (string table in tables)
        {
            Append(hash, 'T', Encoding.UTF8.GetBytes(table));
            using SqliteCommand rows = _connection.CreateCommand();
            rows.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\";";
            using SqliteDataReader reader = rows.ExecuteReader();
            string order = string.Join(", ", Enumerable.Range(1, reader.FieldCount));
            reader.Close();
            rows.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\" ORDER BY {order};";
            using SqliteDataReader ordered = rows.ExecuteReader();
            while (ordered.Read())
            {
                Append(hash, 'R', []);
                for (int column = 0; column < ordered.FieldCount; column++)
                {
                    AppendValue(hash, ordered.GetValue(column));
                }
            }
        }
        return hash.GetHashAndReset();
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose() => _connection.Dispose();

    private static void AppendValue(IncrementalHash hash, object value)
    {
        switch (value)
        {
            case DBNull:
                Append(hash, 'N', []);
                break;
            case long integer:
                Append(hash, 'I', BitConverter.GetBytes(integer));
                break;
            case double real:
                Append(hash, 'F', BitConverter.GetBytes(real));
                break;
            case string text:
                Append(hash, 'S', Encoding.UTF8.GetBytes(text));
                break;
            case byte[] blob:
                Append(hash, 'B', blob);
                break;
            default:
                throw new InvalidOperationException($"unexpected SQLite value type {value.GetType().Name}");
        }
    }

    private static void Append(IncrementalHash hash, char tag, ReadOnlySpan<byte> bytes)
    {
        Span<byte> header = stackalloc byte[1 + sizeof(int)];
        header[0] = (byte)tag;
        BitConverter.TryWriteBytes(header[1..], bytes.Length);
        hash.AppendData(header);
        hash.AppendData(bytes);
    }
}
