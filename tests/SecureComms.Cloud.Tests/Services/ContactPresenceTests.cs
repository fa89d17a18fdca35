using SecureComms.Client;
using SecureComms.Client.Transport;
using SecureComms.Cloud.Proto;

namespace SecureComms.Cloud.Tests.Services;

/// <summary>Contacts and presence over the wire.</summary>
public sealed class ContactPresenceTests
{
    [Fact]
    public async Task Contact_request_is_pushed_and_accept_makes_both_contacts()
    {
        await using var server = ServiceTestServer.Start();
        var alice = await server.SignInAsync("alice");
        var bob = await server.SignInAsync("bob");

        var aliceList = await alice.RequestContactAsync("bob");
        var request = await bob.ExpectAsync<ContactRequested>();
        var bobList = await bob.AcceptContactAsync("alice");
        var presence = await alice.ExpectAsync<PresenceUpdated>();

        Assert.Equal(ContactStatus.RequestSent, Assert.Single(aliceList).Status);
        Assert.Equal("alice", request.From);
        var entry = Assert.Single(bobList);
        Assert.Equal(("alice", ContactStatus.Accepted, Presence.Online), (entry.Username, entry.Status, entry.Presence));
        Assert.Equal(new PresenceUpdated("bob", Presence.Online), presence);
        Assert.Equal(ContactStatus.Accepted, Assert.Single(await alice.ListContactsAsync()).Status);
    }

    [Fact]
    public async Task Contact_refusals_have_their_codes()
    {
        await using var server = ServiceTestServer.Start();
        var alice = await server.SignInAsync("alice");

        var unknown = await Assert.ThrowsAsync<CloudErrorException>(() => alice.RequestContactAsync("nobody"));
        var self = await Assert.ThrowsAsync<CloudErrorException>(() => alice.RequestContactAsync("alice"));
        await server.RegisterAsync("bob");
        var noRequest = await Assert.ThrowsAsync<CloudErrorException>(() => alice.AcceptContactAsync("bob"));

        Assert.Equal(Code.NotFound, unknown.Code);
        Assert.Equal(Code.Conflict, self.Code);
        Assert.Equal(Code.Conflict, noRequest.Code);
    }

    [Fact]
    public async Task Decline_and_block_hide_requests_and_block_ends_the_contact()
    {
        await using var server = ServiceTestServer.Start();
        var alice = await server.SignInAsync("alice");
        var bob = await server.SignInAsync("bob");
        var carol = await server.SignInAsync("carol");

        await carol.RequestContactAsync("bob");
        await bob.ExpectAsync<ContactRequested>(r => r.From == "carol");
        var declined = await bob.DeclineContactAsync("carol");
        await ServiceTestServer.MakeContactsAsync(alice, bob);
        var blocked = await bob.BlockContactAsync("alice");
        await alice.ExpectAsync<PresenceUpdated>(p => p.User == "bob" && p.Status == Presence.Offline);
        await bob.DrainAsync(TimeSpan.FromMilliseconds(100)); // the events so far
        await alice.RequestContactAsync("bob"); // recorded, never shown to bob
        var send = await Assert.ThrowsAsync<CloudErrorException>(() => alice.SendAsync("bob", "hi"u8.ToArray()));

        Assert.Equal(ContactStatus.Declined, declined.Single(c => c.Username == "carol").Status);
        Assert.Equal(ContactStatus.Blocked, blocked.Single(c => c.Username == "alice").Status);
        Assert.Equal(ContactStatus.RequestSent, (await alice.ListContactsAsync()).Single(c => c.Username == "bob").Status);
        Assert.Equal(Code.Forbidden, send.Code);
        Assert.DoesNotContain(await bob.DrainAsync(TimeSpan.FromMilliseconds(300)), e => e is ContactRequested { From: "alice" });
    }

    [Fact]
    public async Task Presence_is_pushed_to_accepted_contacts_only_and_offline_on_disconnect()
    {
        await using var server = ServiceTestServer.Start();
        var alice = await server.SignInAsync("alice");
        var bob = await server.SignInAsync("bob");
        var carol = await server.SignInAsync("carol");
        await ServiceTestServer.MakeContactsAsync(alice, bob);
        await carol.RequestContactAsync("alice"); // pending: not a contact

        await alice.SetPresenceAsync(Presence.Away);
        var away = await bob.ExpectAsync<PresenceUpdated>(p => p.Status == Presence.Away);
        var aliceBusy = await server.SignInAsync("alice", register: false); // a second connection: still online
        await alice.DisposeAsync();
        await Task.Delay(200);
        await aliceBusy.SetPresenceAsync(Presence.Busy);
        var busy = await bob.ExpectAsync<PresenceUpdated>(p => p.User == "alice");
        await aliceBusy.DisposeAsync();
        var offline = await bob.ExpectAsync<PresenceUpdated>(p => p.User == "alice");

        Assert.Equal(new PresenceUpdated("alice", Presence.Away), away);
        Assert.Equal(Presence.Busy, busy.Status); // the first connection's close did not say offline
        Assert.Equal(Presence.Offline, offline.Status);
        Assert.DoesNotContain(await carol.DrainAsync(TimeSpan.FromMilliseconds(300)), e => e is PresenceUpdated);
        Assert.Equal(Presence.Offline, (await bob.ListContactsAsync()).Single().Presence);
    }
}
