using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using SecureComms.Sqlite;
using SecureComms.Crypto;
using SecureComms.Signal.Sessions;
using SecureComms.Signal.Stores;

namespace SecureComms.Signal.Sqlite;

/// <summary>The file's lifecycle: schema migrations, opening once per process, pragmas, our identity row.</summary>
public sealed partial class SqliteSignalProtocolStore
{
    /// <summary>
    /// The schema migrations: entry N takes a file from <c>user_version</c> N to N + 1. Only ever append.
    /// </summary>
    private static readonly string[] Migrations =
    [
        // 0 → 1: the initial schema. STRICT tables: a column holds its declared type or the write fails.
        """
        CREATE TABLE local_identity (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            public_key BLOB NOT NULL,
            private_key BLOB NOT NULL,
            registration_id INTEGER NOT NULL CHECK (registration_id BETWEEN 0 AND 4294967295)
        ) STRICT;
        CREATE TABLE identities (
            name TEXT NOT NULL,
            device_id INTEGER NOT NULL CHECK (device_id BETWEEN 0 AND 4294967295),
            identity_key BLOB NOT NULL,
            PRIMARY KEY (name, device_id)
        ) STRICT;
        CREATE TABLE pre_keys (
            id INTEGER PRIMARY KEY CHECK (id BETWEEN 0 AND 4294967295),
            record BLOB NOT NULL
        ) STRICT;
        CREATE TABLE signed_pre_keys (
            id INTEGER PRIMARY KEY CHECK (id BETWEEN 0 AND 4294967295),
            record BLOB NOT NULL
        ) STRICT;
        CREATE TABLE answered_base_keys (
            signed_pre_key_id INTEGER NOT NULL CHECK (signed_pre_key_id BETWEEN 0 AND 4294967295),
            base_key BLOB NOT NULL,
            PRIMARY KEY (signed_pre_key_id, base_key)
        ) STRICT;
        CREATE TABLE sessions (
            name TEXT NOT NULL,
            device_id INTEGER NOT NULL CHECK (device_id BETWEEN 0 AND 4294967295),
            record BLOB NOT NULL,
            PRIMARY KEY (name, device_id)
        ) STRICT;
        """,
    ];

    // After Migrations: static initializers run in textual order.
    private static readonly SqliteStoreFile StoreFile = new("Signal store", Migrations);

    private static SqliteSignalProtocolStore OpenCore(string path, SqliteOpenMode mode, Action<SqliteConnection> prepare) =>
        StoreFile.Open(path, mode, (fullPath, connection) =>
        {
            prepare(connection);
            (IdentityKeyPair identity, uint registrationId) = LoadLocalIdentity(connection, path);
            return new SqliteSignalProtocolStore(fullPath, connection, identity, registrationId);
        });

    private static void InsertLocalIdentity(SqliteConnection connection, IdentityKeyPair identity, uint registrationId)
    {
        byte[] privateKey = new byte[X25519PrivateKey.SizeInBytes];
        try
        {
            identity.PrivateKey.Export(privateKey);
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "INSERT INTO local_identity (id, public_key, private_key, registration_id) VALUES (1, $public_key, $private_key, $registration_id);";
            command.Parameters.AddWithValue("$public_key", identity.PublicKey.Serialize());
            command.Parameters.AddWithValue("$private_key", privateKey);
            command.Parameters.AddWithValue("$registration_id", (long)registrationId);
            command.ExecuteNonQuery();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
    }

    private static (IdentityKeyPair Identity, uint RegistrationId) LoadLocalIdentity(SqliteConnection connection, string path)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT public_key, private_key, registration_id FROM local_identity WHERE id = 1;";
        using SqliteDataReader reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new InvalidOperationException($"'{path}' holds no identity; Create makes a store with one.");
        }
        byte[] publicKey = reader.GetFieldValue<byte[]>(0);
        byte[] privateKey = reader.GetFieldValue<byte[]>(1);
        long registrationId = reader.GetInt64(2);
        try
        {
            if (privateKey.Length != X25519PrivateKey.SizeInBytes || registrationId is < 0 or > uint.MaxValue)
            {
                throw new SignalProtocolException(SignalError.InvalidRecord, "The stored identity is malformed.");
            }
            var identity = new IdentityKeyPair(X25519PrivateKey.Import(privateKey, exportable: true));
            if (!IdentityKey.TryDeserialize(publicKey, out IdentityKey? stored) || !stored!.Equals(identity.PublicKey))
            {
                identity.Dispose();
                throw new SignalProtocolException(SignalError.InvalidRecord, "The stored identity key pair does not match.");
            }
            return (identity, (uint)registrationId);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
    }
}
