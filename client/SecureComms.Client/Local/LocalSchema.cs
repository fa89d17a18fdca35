namespace SecureComms.Client.Local;

/// <summary>
/// The profile database's schema (<c>profile.db</c>), one migration per version (<c>PRAGMA user_version</c>);
/// only ever appended to.
/// </summary>
/// <remarks>
/// <para><c>account</c>: one row, the signed-in user's session (the token is a bearer secret: the profile folder
/// is private to its owner, mode 0700, see <see cref="ClientProfile"/>).</para>
/// <para><c>contacts</c>: the last contact list the server sent, with presence as last pushed.</para>
/// <para><c>messages</c>: every message sent and received, by (peer, direction, client message id). An outgoing
/// row is <c>pending</c> with its <c>wire_body</c> (the bytes sent, a Signal ciphertext for a private message,
/// resent unchanged) until the server accepts it; then <c>sent</c> with the server's sequence and the wire body
/// erased. An incoming row is written before the server is told it may delete the message.</para>
/// <para><c>settings</c>: the profile's server address and CA file, so that later commands need not repeat them.</para>
/// <para><c>counters</c>: named id counters (the next one-time prekey id).</para>
/// </remarks>
internal static class LocalSchema
{
    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE account (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            username TEXT NOT NULL,
            token TEXT NOT NULL,
            expires_at_ms INTEGER NOT NULL
        );
        CREATE TABLE contacts (
            username TEXT PRIMARY KEY,
            status INTEGER NOT NULL,
            presence INTEGER NOT NULL
        );
        CREATE TABLE messages (
            local_id INTEGER PRIMARY KEY AUTOINCREMENT,
            peer TEXT NOT NULL,
            outgoing INTEGER NOT NULL CHECK (outgoing IN (0, 1)),
            client_message_id BLOB NOT NULL CHECK (length(client_message_id) = 16),
            text TEXT,
            private INTEGER NOT NULL CHECK (private IN (0, 1)),
            state INTEGER NOT NULL,
            wire_body BLOB,
            server_sequence INTEGER,
            at_ms INTEGER NOT NULL,
            error TEXT,
            seen INTEGER NOT NULL DEFAULT 0,
            UNIQUE (peer, outgoing, client_message_id)
        );
        CREATE TABLE settings (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE counters (
            name TEXT PRIMARY KEY,
            next INTEGER NOT NULL
        );
        CREATE INDEX messages_pending ON messages (state, local_id) WHERE state = 0;
        """,
    ];
}
