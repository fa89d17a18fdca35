using SecureComms.Client;
using SecureComms.Client.Transport;
using SecureComms.Cloud.Proto;

namespace SecureComms.Cloud.Tests.Services;

/// <summary>Accounts over the wire: register, sign in, authenticate, refusals.</summary>
public sealed class AccountFlowTests
{
    [Fact]
    public async Task Register_and_sign_in_authenticates_the_connection()
    {
        await using var server = ServiceTestServer.Start();
        await server.RegisterAsync("alice");
        var client = await server.ConnectAsync();

        SignedIn signedIn = await client.SignInAsync("Alice", ServiceTestServer.Password);

        Assert.Equal("alice", signedIn.Username);
        Assert.Equal(43, signedIn.Token.Length); // 32 bytes, base64url
        Assert.Equal("alice", client.Username);
        Assert.Empty(await client.ListContactsAsync());
        Assert.Equal(signedIn.UserId, (await client.FindUserAsync("alice")).UserId);
    }

    [Fact]
    public async Task Bad_credentials_are_one_error_for_unknown_user_and_wrong_password()
    {
        await using var server = ServiceTestServer.Start();
        await server.RegisterAsync("alice");
        var client = await server.ConnectAsync();

        var wrongPassword = await Assert.ThrowsAsync<CloudErrorException>(() => client.SignInAsync("alice", "not the password at all"));
        var unknownUser = await Assert.ThrowsAsync<CloudErrorException>(() => client.SignInAsync("mallory", ServiceTestServer.Password));
        var malformedName = await Assert.ThrowsAsync<CloudErrorException>(() => client.SignInAsync("!", ServiceTestServer.Password));

        Assert.Equal(Code.Unauthenticated, wrongPassword.Code);
        Assert.Equal((wrongPassword.Code, wrongPassword.ServerMessage), (unknownUser.Code, unknownUser.ServerMessage));
        Assert.Equal((wrongPassword.Code, wrongPassword.ServerMessage), (malformedName.Code, malformedName.ServerMessage));
    }

    [Fact]
    public async Task Registration_refusals_have_their_codes()
    {
        await using var server = ServiceTestServer.Start();
        await server.RegisterAsync("alice");
        var client = await server.ConnectAsync();

        var taken = await Assert.ThrowsAsync<CloudErrorException>(() => client.RegisterAsync("ALICE", ServiceTestServer.Password));
        var weak = await Assert.ThrowsAsync<CloudErrorException>(() => client.RegisterAsync("bob", "short"));
        var badName = await Assert.ThrowsAsync<CloudErrorException>(() => client.RegisterAsync("no spaces", ServiceTestServer.Password));

        Assert.Equal(Code.Conflict, taken.Code);
        Assert.Equal(Code.BadRequest, weak.Code);
        Assert.Equal(Code.BadRequest, badName.Code);
    }

    [Fact]
    public async Task Registration_is_rate_limited_per_address()
    {
        await using var server = ServiceTestServer.Start(new Server.Services.ServiceOptions { RegistrationBurst = 2 });
        var client = await server.ConnectAsync();
        await client.RegisterAsync("user1", ServiceTestServer.Password);
        await client.RegisterAsync("user2", ServiceTestServer.Password);

        var third = await Assert.ThrowsAsync<CloudErrorException>(() => client.RegisterAsync("user3", ServiceTestServer.Password));

        Assert.Equal(Code.RateLimited, third.Code);
    }

    [Fact]
    public async Task Unauthenticated_requests_are_refused_but_ping_works()
    {
        await using var server = ServiceTestServer.Start();
        await server.RegisterAsync("bob");
        var client = await server.ConnectAsync();

        var send = await Assert.ThrowsAsync<CloudErrorException>(() => client.SendAsync("bob", "hi"u8.ToArray()));
        var list = await Assert.ThrowsAsync<CloudErrorException>(() => client.ListContactsAsync());
        var find = await Assert.ThrowsAsync<CloudErrorException>(() => client.FindUserAsync("bob"));
        var bogus = await Assert.ThrowsAsync<CloudErrorException>(() => client.AuthenticateAsync("not-a-token"));
        await client.Connection.PingAsync();

        Assert.All(new[] { send, list, find, bogus }, e => Assert.Equal(Code.Unauthenticated, e.Code));
        Assert.Empty(client.Outbox);
    }

    [Fact]
    public async Task A_connection_authenticates_once_and_sign_out_revokes_the_session()
    {
        await using var server = ServiceTestServer.Start();
        await server.RegisterAsync("alice");
        var client = await server.ConnectAsync();
        SignedIn signedIn = await client.SignInAsync("alice", ServiceTestServer.Password);

        var again = await Assert.ThrowsAsync<CloudErrorException>(() => client.AuthenticateAsync(signedIn.Token));
        await client.SignOutAsync();
        var afterSignOut = await Assert.ThrowsAsync<CloudErrorException>(() => client.ListContactsAsync());
        var other = await server.ConnectAsync();
        var revoked = await Assert.ThrowsAsync<CloudErrorException>(() => other.AuthenticateAsync(signedIn.Token));

        Assert.Equal(Code.Conflict, again.Code);
        Assert.Equal(Code.Unauthenticated, afterSignOut.Code);
        Assert.Equal(Code.Unauthenticated, revoked.Code);
    }

    [Fact]
    public async Task Change_password_checks_the_current_one_and_unbinds_other_sessions()
    {
        await using var server = ServiceTestServer.Start();
        var alice = await server.SignInAsync("alice");
        var aliceElsewhere = await server.SignInAsync("alice", register: false);

        var wrong = await Assert.ThrowsAsync<CloudErrorException>(() => alice.ChangePasswordAsync("not the password at all", "a brand new long passphrase"));
        await alice.ChangePasswordAsync(ServiceTestServer.Password, "a brand new long passphrase");
        var other = await server.ConnectAsync();
        var old = await Assert.ThrowsAsync<CloudErrorException>(() => other.SignInAsync("alice", ServiceTestServer.Password));
        await other.SignInAsync("alice", "a brand new long passphrase");
        var elsewhere = await Record.ExceptionAsync(() => aliceElsewhere.ListContactsAsync()); // its connection was closed (SessionRevocationTests)
        await alice.ListContactsAsync(); // the session that changed it stays

        Assert.Equal(Code.Forbidden, wrong.Code);
        Assert.Equal(Code.Unauthenticated, old.Code);
        Assert.IsType<CloudConnectionClosedException>(elsewhere);
    }
}
