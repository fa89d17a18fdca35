using SecureComms.Client;
using SecureComms.Client.Transport;
using SecureComms.Cloud.Proto;
using SecureComms.Cloud.Tests.Storage;
using SecureComms.Server.Services;
using SessionToken = SecureComms.Server.Accounts.SessionToken;

namespace SecureComms.Cloud.Tests.Services;

/// <summary>Sessions revoked elsewhere or expired do not keep working on connections already authenticated with them.</summary>
public sealed class SessionRevocationTests
{
    private const string NewPassword = "an entirely different passphrase";

    /// <summary>Generous: the machine is loaded; the wait ends as soon as the connection does.</summary>
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Waits until the server has closed <paramref name="client"/>'s connection; true if it did in time.</summary>
    private static async Task<bool> ClosedByServerAsync(CloudClient client)
    {
        await Record.ExceptionAsync(() => client.Connection.Completion.WaitAsync(CloseTimeout)); // ends cleanly or not: either way it ended
        return client.Connection.Completion.IsCompleted;
    }

    [Fact]
    public async Task Change_password_pushes_unauthenticated_to_the_other_sessions_connections_and_closes_them()
    {
        await using var server = ServiceTestServer.Start();
        var alice = await server.SignInAsync("alice");
        var aliceElsewhere = await server.SignInAsync("alice", register: false);

        await alice.ChangePasswordAsync(ServiceTestServer.Password, NewPassword);
        ServerError pushed = await aliceElsewhere.ExpectAsync<ServerError>();
        bool closed = await ClosedByServerAsync(aliceElsewhere);
        var afterwards = await Record.ExceptionAsync(() => aliceElsewhere.FindUserAsync("alice"));
        UserFound stillSignedIn = await alice.FindUserAsync("alice");

        Assert.Equal(new ServerError(Code.Unauthenticated, AccountHandlers.SessionRevokedMessage), pushed);
        Assert.True(closed);
        Assert.IsType<CloudConnectionClosedException>(afterwards);
        Assert.Equal("alice", stillSignedIn.Username); // the changing session stays
    }

    [Fact]
    public async Task Sign_out_unbinds_its_own_connection_and_closes_other_connections_of_the_same_token()
    {
        await using var server = ServiceTestServer.Start();
        await server.RegisterAsync("alice");
        var alice = await server.ConnectAsync();
        SignedIn session = await alice.SignInAsync("alice", ServiceTestServer.Password);
        var sameToken = await server.ConnectAsync();
        await sameToken.AuthenticateAsync(session.Token);
        var otherSession = await server.SignInAsync("alice", register: false);

        await alice.SignOutAsync();
        ServerError pushed = await sameToken.ExpectAsync<ServerError>();
        bool closed = await ClosedByServerAsync(sameToken);
        var ownConnection = await Assert.ThrowsAsync<CloudErrorException>(() => alice.FindUserAsync("alice"));
        var replayedToken = await Assert.ThrowsAsync<CloudErrorException>(() => alice.AuthenticateAsync(session.Token));
        UserFound unaffected = await otherSession.FindUserAsync("alice");

        Assert.Equal(new ServerError(Code.Unauthenticated, AccountHandlers.SessionRevokedMessage), pushed);
        Assert.True(closed);
        Assert.Equal(Code.Unauthenticated, ownConnection.Code); // unauthenticated, still open
        Assert.False(alice.Connection.Completion.IsCompleted);
        Assert.Equal(Code.Unauthenticated, replayedToken.Code); // a revoked token cannot be replayed
        Assert.Equal("alice", unaffected.Username); // sign-out revokes one session, not the user's others
    }

    [Fact]
    public async Task A_session_that_expires_while_its_connection_is_open_is_refused_at_the_next_request_and_the_connection_closed()
    {
        var clock = new ManualTimeProvider();
        await using var server = ServiceTestServer.Start(time: clock);
        await server.RegisterAsync("alice");
        var alice = await server.ConnectAsync();
        SignedIn session = await alice.SignInAsync("alice", ServiceTestServer.Password);
        UserFound beforeExpiry = await alice.FindUserAsync("alice");

        clock.Advance(SessionToken.Lifetime - TimeSpan.FromMilliseconds(1));
        UserFound justBefore = await alice.FindUserAsync("alice");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var expired = await Assert.ThrowsAsync<CloudErrorException>(() => alice.FindUserAsync("alice"));
        bool closed = await ClosedByServerAsync(alice);
        var later = await server.ConnectAsync();
        var replayed = await Assert.ThrowsAsync<CloudErrorException>(() => later.AuthenticateAsync(session.Token));

        Assert.Equal(("alice", "alice"), (beforeExpiry.Username, justBefore.Username));
        Assert.Equal((Code.Unauthenticated, DelegateHandler.SessionExpiredMessage), (expired.Code, expired.ServerMessage));
        Assert.True(closed);
        Assert.Equal(Code.Unauthenticated, replayed.Code); // an expired token cannot be replayed either
    }
}
