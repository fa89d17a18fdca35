using SecureComms.Cloud.Proto;
using SecureComms.Server.Storage;
using SecureComms.Server.Transport;

namespace SecureComms.Server.Services;

/// <summary>A handler from a delegate; with <see cref="Authenticated"/>, only for an authenticated connection.</summary>
internal sealed class DelegateHandler(Func<Connection, ClientFrame, CancellationToken, Task<ServerFrame>> handle) : IFrameHandler
{
    public async ValueTask<ServerFrame> HandleAsync(Connection connection, ClientFrame request, CancellationToken cancellationToken) =>
        await handle(connection, request, cancellationToken).ConfigureAwait(false);

    /// <summary>The answer to a request on a connection whose session expired.</summary>
    public const string SessionExpiredMessage = "session expired";

    /// <summary>
    /// Answers <c>CODE_UNAUTHENTICATED</c> unless the connection has authenticated with a session that has not expired
    /// by the hub's clock. An expired session is ended: the request is answered <see cref="SessionExpiredMessage"/> and
    /// the connection is closed (<see cref="PresenceHub.EndSessionAsync"/>), so a connection cannot outlive its token.
    /// </summary>
    public static DelegateHandler Authenticated(PresenceHub hub, Func<ClientSession, ClientFrame, CancellationToken, Task<ServerFrame>> handle) =>
        new((connection, request, cancellationToken) => hub.SessionOf(connection) switch
        {
            null => Task.FromResult(Answers.Error(Code.Unauthenticated, "authenticate first")),
            { } session when session.HasExpired(hub.Time.GetUtcNow()) => EndExpiredAsync(hub, session),
            { } session => handle(session, request, cancellationToken),
        });

    private static async Task<ServerFrame> EndExpiredAsync(PresenceHub hub, ClientSession session)
    {
        await hub.EndSessionAsync(session, pushedMessage: null).ConfigureAwait(false);
        return Answers.Error(Code.Unauthenticated, SessionExpiredMessage);
    }
}

/// <summary>Shorthands for answers.</summary>
internal static class Answers
{
    public static ServerFrame Error(Code code, string message) => ErrorFrames.Create(0, code, message);

    public static ServerFrame Done() => new() { Done = new Done() };

    /// <summary>The normalized form of a username in a request, or null (answer <see cref="NoSuchUser"/>).</summary>
    public static string? Normalize(string username) => Username.TryNormalize(username, out string? normalized) ? normalized : null;

    public static ServerFrame NoSuchUser() => Error(Code.NotFound, "no such user");
}
