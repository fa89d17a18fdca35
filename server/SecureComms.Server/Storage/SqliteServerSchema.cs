namespace SecureComms.Server.Storage;

/// <summary>The schema of <see cref="SqliteServerStore"/>, as migrations.</summary>
internal static class SqliteServerSchema
{
    /// <summary>
    /// Entry N takes a file from <c>user_version</c> N to N + 1. Only ever append. STRICT tables: a column
    /// holds its declared type or the write fails. Times are Unix milliseconds (UTC).
    /// </summary>
    internal static readonly string[] Migrations =
    [
        // 0 → 1: the initial schema.
        """
        CREATE TABLE accounts (
            user_id INTEGER PRIMARY KEY AUTOINCREMENT,
            username TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 3 AND 32),
            password_verifier TEXT NOT NULL CHECK (length(password_verifier) > 0),
            created_at INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE sessions (
            token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
            user_id INTEGER NOT NULL REFERENCES accounts (user_id) ON DELETE CASCADE,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL CHECK (expires_at > created_at)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX sessions_by_user ON sessions (user_id);
        CREATE INDEX sessions_by_expiry ON sessions (expires_at);

        CREATE TABLE contacts (
            owner_id INTEGER NOT NULL REFERENCES accounts (user_id) ON DELETE CASCADE,
            peer_id INTEGER NOT NULL REFERENCES accounts (user_id) ON DELETE CASCADE,
            state TEXT NOT NULL CHECK (state IN ('requested', 'accepted', 'declined', 'blocked')),
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (owner_id, peer_id),
            CHECK (owner_id <> peer_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX contacts_by_peer ON contacts (peer_id);

        CREATE TABLE messages (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            recipient_id INTEGER NOT NULL REFERENCES accounts (user_id) ON DELETE CASCADE,
            sender_id INTEGER NOT NULL REFERENCES accounts (user_id) ON DELETE CASCADE,
            client_message_id BLOB NOT NULL CHECK (length(client_message_id) = 16),
            body BLOB NOT NULL,
            received_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX messages_by_recipient ON messages (recipient_id, sequence);

        CREATE TABLE message_ids (
            sender_id INTEGER NOT NULL REFERENCES accounts (user_id) ON DELETE CASCADE,
            client_message_id BLOB NOT NULL CHECK (length(client_message_id) = 16),
            recipient_id INTEGER NOT NULL,
            sequence INTEGER NOT NULL UNIQUE,
            body_hash BLOB NOT NULL CHECK (length(body_hash) = 32),
            received_at INTEGER NOT NULL,
            PRIMARY KEY (sender_id, client_message_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX message_ids_by_time ON message_ids (received_at);

        CREATE TABLE device_keys (
            user_id INTEGER NOT NULL REFERENCES accounts (user_id) ON DELETE CASCADE,
            device_id INTEGER NOT NULL CHECK (device_id BETWEEN 0 AND 4294967295),
            registration_id INTEGER NOT NULL CHECK (registration_id BETWEEN 0 AND 4294967295),
            identity_key BLOB NOT NULL,
            signed_pre_key_id INTEGER NOT NULL CHECK (signed_pre_key_id BETWEEN 0 AND 4294967295),
            signed_pre_key BLOB NOT NULL,
            signed_pre_key_signature BLOB NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (user_id, device_id)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE one_time_pre_keys (
            user_id INTEGER NOT NULL,
            device_id INTEGER NOT NULL,
            pre_key_id INTEGER NOT NULL CHECK (pre_key_id BETWEEN 0 AND 4294967295),
            public_key BLOB NOT NULL,
            PRIMARY KEY (user_id, device_id, pre_key_id),
            FOREIGN KEY (user_id, device_id) REFERENCES device_keys (user_id, device_id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID;
        """,
    ];
}
