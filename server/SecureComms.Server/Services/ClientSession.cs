using SecureComms.Server.Storage;
using SecureComms.Server.Transport;

namespace SecureComms.Server.Services;

/// <summary>
/// An authenticated connection: whose it is, its session token (for sign-out and password change) and expiry, and
/// its message delivery cursor (<see cref="MessageHandlers"/>).
/// </summary>
/// <remarks>The session is checked against the store once, at Authenticate; afterwards <see cref="ExpiresAt"/> is
/// checked at every authenticated request (<see cref="DelegateHandler.Authenticated"/>) and revocations made by this
/// server reach the connection through <see cref="PresenceHub.EndSessionAsync"/>.</remarks>
public sealed class ClientSession
{
    internal ClientSession(Connection connection, UserId user, string username, string token, DateTimeOffset expiresAt)
    {
        Connection = connection;
        User = user;
        Username = username;
        Token = token;
        ExpiresAt = expiresAt;
    }

    /// <summary>The connection.</summary>
    public Connection Connection { get; }

    /// <summary>The signed-in user.</summary>
    public UserId User { get; }

    /// <summary>The user's normalized name.</summary>
    public string Username { get; }

    internal string Token { get; }

    /// <summary>When the session stops authenticating (exclusive), as stored at sign-in.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Whether the session has expired at <paramref name="now"/> (now ≥ expiry, as the store decides).</summary>
    public bool HasExpired(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>Serializes this connection's deliveries (backlog, live messages, acknowledgements).</summary>
    internal SemaphoreSlim DeliveryGate { get; } = new(1, 1);

    /// <summary>Highest sequence pushed to this connection. Guarded by <see cref="DeliveryGate"/>.</summary>
    internal long PushedUpTo { get; set; }

    /// <summary>Sequences pushed and not yet acknowledged, in order. Guarded by <see cref="DeliveryGate"/>.</summary>
    internal Queue<long> Unacknowledged { get; } = new();
}
