using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureComms.Cloud.Proto;
using SecureComms.Server.Accounts;
using SecureComms.Server.Storage;
using SecureComms.Server.Transport;

namespace SecureComms.Server.Services;

/// <summary>
/// Register, SignIn, Authenticate, SignOut, ChangePassword and FindUser over <see cref="AccountService"/>.
/// </summary>
/// <remarks>
/// <para><b>Enumeration.</b> Every sign-in failure but throttling is one answer: <c>CODE_UNAUTHENTICATED</c>
/// with <see cref="InvalidCredentialsMessage"/>, for an unknown user, a malformed name and a wrong password
/// alike (the service does the same Argon2id work for each). Registration reveals a taken name
/// (<c>CODE_CONFLICT</c>), as FindUser does: names are a public directory.</para>
/// <para><b>Rate limits.</b> Registration: a token bucket per source address (<see cref="ServiceLimits.RegistrationBurst"/>).
/// Sign-in and password change: <see cref="SignInThrottle"/>, per account and per address.</para>
/// <para><b>Authenticate</b> binds the connection to the token's user once, with the session's expiry; the backlog
/// of messages is then pushed (<see cref="MessageHandlers.DeliverAsync"/>).</para>
/// <para><b>Revocation reaches open connections.</b> SignOut revokes the session and unbinds its own connection,
/// which stays open, unauthenticated. Every OTHER connection authenticated with a revoked session (the same token
/// on another connection after SignOut; the user's other sessions after ChangePassword) gets a pushed
/// <c>CODE_UNAUTHENTICATED</c> (<see cref="SessionRevokedMessage"/>) and is closed
/// (<see cref="PresenceHub.EndSessionAsync"/>): closed rather than merely unbound, so a client that missed the push
/// cannot go on believing it is signed in. A session that expires while its connection is open is refused at the
/// next authenticated request and the connection closed (<see cref="DelegateHandler.Authenticated"/>); housekeeping
/// closes idle ones (<see cref="Housekeeping"/>).</para>
/// <para><b>Scope.</b> Revocations are seen by the connections of this server process only: a backend with several
/// server processes would have to tell the others (or re-check the store at each request).</para>
/// </remarks>
internal sealed class AccountHandlers(IServerStore store, AccountService accounts, PresenceHub hub, MessageHandlers messages, ServiceOptions options)
{
    /// <summary>The one answer to a failed sign-in.</summary>
    public const string InvalidCredentialsMessage = "invalid username or password";

    /// <summary>Pushed (with <c>CODE_UNAUTHENTICATED</c>) to a connection whose session was revoked elsewhere, before it is closed.</summary>
    public const string SessionRevokedMessage = "session revoked";

    private readonly RateLimiter<IPAddress> _registrations = new(options.RegistrationBurst, options.RegistrationsPerSecond, options.TimeProvider);

    public void Register(FrameDispatcher dispatcher)
    {
        dispatcher.Register(ClientFrame.BodyOneofCase.Register, new DelegateHandler(RegisterAsync));
        dispatcher.Register(ClientFrame.BodyOneofCase.SignIn, new DelegateHandler(SignInAsync));
        dispatcher.Register(ClientFrame.BodyOneofCase.Authenticate, new DelegateHandler(AuthenticateAsync));
        dispatcher.Register(ClientFrame.BodyOneofCase.SignOut, DelegateHandler.Authenticated(hub, SignOutAsync));
        dispatcher.Register(ClientFrame.BodyOneofCase.ChangePassword, DelegateHandler.Authenticated(hub, ChangePasswordAsync));
        dispatcher.Register(ClientFrame.BodyOneofCase.FindUser, DelegateHandler.Authenticated(hub, FindUserAsync));
    }

    private static IPAddress SourceOf(Connection connection) =>
        (connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;

    private async Task<ServerFrame> RegisterAsync(Connection connection, ClientFrame request, CancellationToken cancellationToken)
    {
        if (!_registrations.TryTake(SourceOf(connection)))
        {
            return Answers.Error(Code.RateLimited, "too many registrations from this address");
        }
        AccountResult<UserId> result = await accounts.RegisterAsync(request.Register.Username, request.Register.Password, cancellationToken)
            .ConfigureAwait(false);
        return result.Error switch
        {
            null => Answers.Done(),
            AccountError.InvalidUsername => Answers.Error(Code.BadRequest, "invalid username"),
            AccountError.WeakPassword => Answers.Error(Code.BadRequest, "password too weak"),
            AccountError.UsernameTaken => Answers.Error(Code.Conflict, "username taken"),
            _ => Answers.Error(Code.Internal, "registration failed"),
        };
    }

    private async Task<ServerFrame> SignInAsync(Connection connection, ClientFrame request, CancellationToken cancellationToken)
    {
        AccountResult<Accounts.SignedIn> result = await accounts.SignInAsync(request.SignIn.Username, request.SignIn.Password, SourceOf(connection), cancellationToken)
            .ConfigureAwait(false);
        if (result.Error is AccountError.Throttled)
        {
            return Throttled(result.RetryAfter);
        }
        if (result.Value is not { } signedIn || await store.GetAccountAsync(signedIn.User, cancellationToken).ConfigureAwait(false) is not { } account)
        {
            return Answers.Error(Code.Unauthenticated, InvalidCredentialsMessage);
        }
        return new ServerFrame
        {
            SignedIn = new Cloud.Proto.SignedIn
            {
                Token = signedIn.Token,
                UserId = signedIn.User.Value,
                Username = account.Username,
                ExpiresAtUnixMs = signedIn.ExpiresAt.ToUnixTimeMilliseconds(),
            },
        };
    }

    private async Task<ServerFrame> AuthenticateAsync(Connection connection, ClientFrame request, CancellationToken cancellationToken)
    {
        if (hub.SessionOf(connection) is not null)
        {
            return Answers.Error(Code.Conflict, "the connection is authenticated already");
        }
        string token = request.Authenticate.Token;
        AccountResult<SignInSession> result = await accounts.FindSessionAsync(token, cancellationToken).ConfigureAwait(false);
        if (result.Value is not { } live || await store.GetAccountAsync(live.User, cancellationToken).ConfigureAwait(false) is not { } account)
        {
            return Answers.Error(Code.Unauthenticated, "invalid or expired session");
        }
        var session = new ClientSession(connection, account.Id, account.Username, token, live.ExpiresAt);
        if (!await hub.AttachAsync(session, cancellationToken).ConfigureAwait(false))
        {
            return Answers.Error(Code.Conflict, "the connection is authenticated already");
        }
        // The backlog follows as pushes; it is queued before this answer, in sequence order.
        await messages.DeliverAsync(session, cancellationToken).ConfigureAwait(false);
        return new ServerFrame { Authenticated = new Authenticated { UserId = account.Id.Value, Username = account.Username } };
    }

    private async Task<ServerFrame> SignOutAsync(ClientSession session, ClientFrame request, CancellationToken cancellationToken)
    {
        await accounts.SignOutAsync(session.Token, cancellationToken).ConfigureAwait(false);
        await hub.DetachAsync(session, cancellationToken).ConfigureAwait(false);
        // The same token may authenticate other connections: the revocation reaches them too.
        foreach (ClientSession other in hub.SessionsOf(session.User).Where(s => s.Connection != session.Connection && SameToken(s.Token, session.Token)))
        {
            await hub.EndSessionAsync(other, SessionRevokedMessage).ConfigureAwait(false);
        }
        return Answers.Done();
    }

    private async Task<ServerFrame> ChangePasswordAsync(ClientSession session, ClientFrame request, CancellationToken cancellationToken)
    {
        AccountResult<int> result = await accounts.ChangePasswordAsync(session.Token, request.ChangePassword.CurrentPassword,
            request.ChangePassword.NewPassword, SourceOf(session.Connection), cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            // The other sessions are revoked in the store; connections authenticated with them are told and closed.
            foreach (ClientSession other in hub.SessionsOf(session.User).Where(s => !SameToken(s.Token, session.Token)))
            {
                await hub.EndSessionAsync(other, SessionRevokedMessage).ConfigureAwait(false);
            }
        }
        return result.Error switch
        {
            null => Answers.Done(),
            AccountError.Throttled => Throttled(result.RetryAfter),
            AccountError.WeakPassword => Answers.Error(Code.BadRequest, "password too weak"),
            AccountError.InvalidCredentials => Answers.Error(Code.Forbidden, "wrong current password"),
            _ => Answers.Error(Code.Unauthenticated, "invalid or expired session"),
        };
    }

    private async Task<ServerFrame> FindUserAsync(ClientSession session, ClientFrame request, CancellationToken cancellationToken)
    {
        if (Answers.Normalize(request.FindUser.Username) is not { } name
            || await store.FindAccountAsync(name, cancellationToken).ConfigureAwait(false) is not { } account)
        {
            return Answers.NoSuchUser();
        }
        return new ServerFrame { UserFound = new UserFound { UserId = account.Id.Value, Username = account.Username } };
    }

    /// <summary>Token comparison in fixed time (tokens are secrets, even between the server's own sessions).</summary>
    private static bool SameToken(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(a.AsSpan()), MemoryMarshal.AsBytes(b.AsSpan()));

    private static ServerFrame Throttled(TimeSpan retryAfter) =>
        Answers.Error(Code.RateLimited, $"too many attempts; retry after {Math.Ceiling(retryAfter.TotalSeconds)} s");
}
