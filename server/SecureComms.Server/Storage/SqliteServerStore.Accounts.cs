using Microsoft.Data.Sqlite;
using SecureComms.Crypto;

namespace SecureComms.Server.Storage;

/// <summary>Accounts and sign-in sessions.</summary>
public sealed partial class SqliteServerStore
{
    /// <inheritdoc/>
    public Task<Account?> CreateAccountAsync(string username, string passwordVerifier, CancellationToken cancellationToken = default)
    {
        RequireNormalized(username);
        ArgumentException.ThrowIfNullOrEmpty(passwordVerifier);
        return WriteAsync(connection =>
        {
            if (ScalarInt64(connection, "SELECT count(*) FROM accounts WHERE username = $username;", ("$username", username)) != 0)
            {
                return null;
            }
            long now = Now();
            Execute(connection,
                "INSERT INTO accounts (username, password_verifier, created_at) VALUES ($username, $verifier, $now);",
                ("$username", username), ("$verifier", passwordVerifier), ("$now", now));
            long id = ScalarInt64(connection, "SELECT last_insert_rowid();");
            return new Account(new UserId(id), username, passwordVerifier, FromUnixMilliseconds(now));
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Account?> FindAccountAsync(string username, CancellationToken cancellationToken = default)
    {
        RequireNormalized(username);
        return ReadAsync(connection => ReadAccount(connection, "username = $key", username), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Account?> GetAccountAsync(UserId id, CancellationToken cancellationToken = default) =>
        ReadAsync(connection => ReadAccount(connection, "user_id = $key", id.Value), cancellationToken);

    /// <inheritdoc/>
    public Task<bool> UpdatePasswordVerifierAsync(UserId user, string passwordVerifier, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(passwordVerifier);
        return WriteAsync(connection => Execute(connection,
            "UPDATE accounts SET password_verifier = $verifier WHERE user_id = $id;",
            ("$verifier", passwordVerifier), ("$id", user.Value)) == 1, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<int> ChangePasswordAsync(UserId user, string passwordVerifier, byte[]? keepTokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(passwordVerifier);
        if (keepTokenHash is not null)
        {
            RequireTokenHash(keepTokenHash);
        }
        byte[]? keep = keepTokenHash?.ToArray();
        return WriteAsync(connection =>
        {
            if (Execute(connection, "UPDATE accounts SET password_verifier = $verifier WHERE user_id = $id;",
                ("$verifier", passwordVerifier), ("$id", user.Value)) != 1)
            {
                return -1;
            }
            return Execute(connection,
                "DELETE FROM sessions WHERE user_id = $id AND ($keep IS NULL OR token_hash <> $keep);",
                ("$id", user.Value), ("$keep", keep));
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task CreateSessionAsync(SignInSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        RequireTokenHash(session.TokenHash);
        if (session.ExpiresAt <= session.CreatedAt)
        {
            throw new ArgumentException("A session must expire after it begins.", nameof(session));
        }
        byte[] hash = session.TokenHash.ToArray();
        return WriteAsync(connection =>
        {
            if (!AccountExists(connection, session.User))
            {
                throw new InvalidOperationException($"There is no account {session.User} to open a session for.");
            }
            if (ScalarInt64(connection, "SELECT count(*) FROM sessions WHERE token_hash = $hash;", ("$hash", hash)) != 0)
            {
                throw new InvalidOperationException("A session with this token hash is already recorded.");
            }
            Execute(connection,
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($hash, $user, $created, $expires);",
                ("$hash", hash), ("$user", session.User.Value),
                ("$created", session.CreatedAt.ToUnixTimeMilliseconds()), ("$expires", session.ExpiresAt.ToUnixTimeMilliseconds()));
            return 0;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>The lookup is an index search on SHA-256(token), not a fixed-time comparison: its timing can
    /// reveal at most how the probe's hash sorts against stored hashes, which says nothing usable about any
    /// token (finding a token needs a SHA-256 preimage of a 256-bit random value).</remarks>
    public Task<SignInSession?> FindSessionAsync(byte[] tokenHash, CancellationToken cancellationToken = default)
    {
        RequireTokenHash(tokenHash);
        byte[] hash = tokenHash.ToArray();
        return ReadAsync(connection =>
        {
            using CommandLease command = Command(connection,
                "SELECT user_id, created_at, expires_at FROM sessions WHERE token_hash = $hash AND expires_at > $now;",
                ("$hash", hash), ("$now", Now()));
            using SqliteDataReader reader = command.ExecuteReader();
            return reader.Read()
                ? new SignInSession(hash, new UserId(reader.GetInt64(0)), FromUnixMilliseconds(reader.GetInt64(1)), FromUnixMilliseconds(reader.GetInt64(2)))
                : null;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> RevokeSessionAsync(byte[] tokenHash, CancellationToken cancellationToken = default)
    {
        RequireTokenHash(tokenHash);
        byte[] hash = tokenHash.ToArray();
        return WriteAsync(connection => Execute(connection, "DELETE FROM sessions WHERE token_hash = $hash;", ("$hash", hash)) == 1, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<int> RevokeAllSessionsAsync(UserId user, CancellationToken cancellationToken = default) =>
        WriteAsync(connection => Execute(connection, "DELETE FROM sessions WHERE user_id = $id;", ("$id", user.Value)), cancellationToken);

    /// <inheritdoc/>
    public Task<int> DeleteExpiredSessionsAsync(CancellationToken cancellationToken = default) =>
        WriteAsync(connection => Execute(connection, "DELETE FROM sessions WHERE expires_at <= $now;", ("$now", Now())), cancellationToken);

    private Account? ReadAccount(SqliteConnection connection, string condition, object key)
    {
        // condition is one of two constants above, never input.
        using CommandLease command = Command(connection,
            "SELECT user_id, username, password_verifier, created_at FROM accounts WHERE " + condition + ";", ("$key", key));
        using SqliteDataReader reader = command.ExecuteReader();
        return reader.Read()
            ? new Account(new UserId(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), FromUnixMilliseconds(reader.GetInt64(3)))
            : null;
    }

    private static void RequireNormalized(string username)
    {
        ArgumentNullException.ThrowIfNull(username);
        if (!Username.IsNormalized(username))
        {
            throw new ArgumentException("Usernames must be normalized (Username.TryNormalize) before they reach the store.", nameof(username));
        }
    }

    private static void RequireTokenHash(byte[] tokenHash)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        if (tokenHash.Length != Sha256.HashSizeInBytes)
        {
            throw new ArgumentException($"A token hash is {Sha256.HashSizeInBytes} bytes.", nameof(tokenHash));
        }
    }
}
