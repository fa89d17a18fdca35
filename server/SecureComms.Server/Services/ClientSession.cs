using SecureComms.Server.Storage;
using SecureComms.Server.Transport;

namespace SecureComms.Server.Services;

/// <summary>
/// An authenticated connection: whose it is, its session token (for sign-out and password change), and its
/// message delivery cursor (<see cref="MessageHandlers"/>).
/// </summary>
public sealed class ClientSession
{
    internal ClientSession(Connection connection, UserId user, string username, string token)
    {
        Connection = connection;
        User = user;
        Username = username;
        Token = token;
    }

    /// <summary>The connection.</summary>
    public Connection Connection { get; }

    /// <summary>The signed-in user.</summary>
    public UserId User { get; }

    /// <summary>The user's normalized name.</summary>
    public string Username { get; }

    internal string Token { get; }

    /// <summary>Serializes this connection's deliveries (backlog, live messages, acknowledgements).</summary>
    internal SemaphoreSlim DeliveryGate { get; } = new(1, 1);

    /// <summary>Highest sequence pushed to this connection. Guarded by <see cref="DeliveryGate"/>.</summary>
    internal long PushedUpTo { get; set; }

    /// <summary>Sequences pushed and not yet acknowledged, in order. Guarded by <see cref="DeliveryGate"/>.</summary>
    internal Queue<long> Unacknowledged { get; } = new();
}
