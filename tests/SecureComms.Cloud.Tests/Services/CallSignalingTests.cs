using SecureComms.Client;
using SecureComms.Client.Transport;
using SecureComms.Cloud.Proto;
using Kind = SecureComms.Cloud.Proto.CallSignal.Types.Kind;

namespace SecureComms.Cloud.Tests.Services;

/// <summary>Call signaling over the wire: the per-call state machine, relays, server-made signals, and refusals.</summary>
public sealed class CallSignalingTests
{
    private static Task<CallSignalReceived> ExpectSignalAsync(CloudClient client, Guid callId, Kind kind) =>
        client.ExpectAsync<CallSignalReceived>(s => s.CallId == callId && s.Kind == kind);

    private static async Task<Code> RefusedAsync(CloudClient client, Guid callId, string peer, Kind kind, byte[]? payload = null) =>
        (await Assert.ThrowsAsync<CloudErrorException>(() => client.SignalCallAsync(callId, peer, kind, payload))).Code;

    private static async Task<(CloudClient Alice, CloudClient Bob)> ContactsAsync(ServiceTestServer server)
    {
        var alice = await server.SignInAsync("alice");
        var bob = await server.SignInAsync("bob");
        await ServiceTestServer.MakeContactsAsync(alice, bob);
        return (alice, bob);
    }

    private static async Task<Guid> ActiveCallAsync(CloudClient caller, CloudClient callee)
    {
        var id = Guid.NewGuid();
        await caller.SignalCallAsync(id, callee.Username!, Kind.Invite);
        await ExpectSignalAsync(callee, id, Kind.Invite);
        await callee.SignalCallAsync(id, caller.Username!, Kind.Accept);
        await ExpectSignalAsync(caller, id, Kind.Accept);
        return id;
    }

    [Fact]
    public async Task Invite_ringing_accept_candidates_both_ways_and_hang_up()
    {
        await using var server = ServiceTestServer.Start();
        var (alice, bob) = await ContactsAsync(server);
        var id = Guid.NewGuid();

        await alice.SignalCallAsync(id, "bob", Kind.Invite, "offer"u8.ToArray());
        var invite = await ExpectSignalAsync(bob, id, Kind.Invite);
        await bob.SignalCallAsync(id, "alice", Kind.Ringing);
        var ringing = await ExpectSignalAsync(alice, id, Kind.Ringing);
        await bob.SignalCallAsync(id, "alice", Kind.Accept, "answer"u8.ToArray());
        var accept = await ExpectSignalAsync(alice, id, Kind.Accept);
        await alice.SignalCallAsync(id, "bob", Kind.Candidates, "alice candidates"u8.ToArray());
        await bob.SignalCallAsync(id, "alice", Kind.Candidates, "bob candidates"u8.ToArray());
        var toBob = await ExpectSignalAsync(bob, id, Kind.Candidates);
        var toAlice = await ExpectSignalAsync(alice, id, Kind.Candidates);
        await bob.SignalCallAsync(id, "alice", Kind.HangUp);
        var hangUp = await ExpectSignalAsync(alice, id, Kind.HangUp);
        var afterEnd = await RefusedAsync(alice, id, "bob", Kind.Candidates);

        Assert.Equal(("alice", "offer"), (invite.Peer, System.Text.Encoding.UTF8.GetString(invite.Payload)));
        Assert.Equal("bob", ringing.Peer);
        Assert.Equal("answer", System.Text.Encoding.UTF8.GetString(accept.Payload));
        Assert.Equal(("alice", "alice candidates"), (toBob.Peer, System.Text.Encoding.UTF8.GetString(toBob.Payload)));
        Assert.Equal(("bob", "bob candidates"), (toAlice.Peer, System.Text.Encoding.UTF8.GetString(toAlice.Payload)));
        Assert.Equal("bob", hangUp.Peer);
        Assert.Equal(Code.NotFound, afterEnd);
    }

    [Fact]
    public async Task A_block_in_the_middle_of_a_call_still_lets_either_party_hang_up_but_not_send_candidates()
    {
        // Found by the cloud-handlers fuzz harness's trace: the hang-up was refused as "not contacts" and the call
        // could never end.
        await using var server = ServiceTestServer.Start();
        var (alice, bob) = await ContactsAsync(server);
        var id = await ActiveCallAsync(alice, bob);

        await bob.BlockContactAsync("alice");
        var candidates = await RefusedAsync(alice, id, "bob", Kind.Candidates);
        await bob.SignalCallAsync(id, "alice", Kind.HangUp);
        await ExpectSignalAsync(alice, id, Kind.HangUp);
        var afterEnd = await RefusedAsync(alice, id, "bob", Kind.HangUp);
        var carol = await server.SignInAsync("carol");
        await ServiceTestServer.MakeContactsAsync(alice, carol);
        await alice.SignalCallAsync(Guid.NewGuid(), "carol", Kind.Invite); // alice is free again

        Assert.Equal(Code.Forbidden, candidates);
        Assert.Equal(Code.NotFound, afterEnd);
    }

    [Fact]
    public async Task Callee_rejects_and_the_call_ends()
    {
        await using var server = ServiceTestServer.Start();
        var (alice, bob) = await ContactsAsync(server);
        var id = Guid.NewGuid();

        await alice.SignalCallAsync(id, "bob", Kind.Invite);
        await ExpectSignalAsync(bob, id, Kind.Invite);
        await bob.SignalCallAsync(id, "alice", Kind.Reject);
        var reject = await ExpectSignalAsync(alice, id, Kind.Reject);
        var acceptAfter = await RefusedAsync(bob, id, "alice", Kind.Accept);
        var again = Guid.NewGuid();
        await alice.SignalCallAsync(again, "bob", Kind.Invite); // both are free again

        Assert.Equal("bob", reject.Peer);
        Assert.Equal(Code.NotFound, acceptAfter);
        await ExpectSignalAsync(bob, again, Kind.Invite);
    }

    [Fact]
    public async Task Caller_cancels_before_the_answer()
    {
        await using var server = ServiceTestServer.Start();
        var (alice, bob) = await ContactsAsync(server);
        var id = Guid.NewGuid();

        await alice.SignalCallAsync(id, "bob", Kind.Invite);
        await ExpectSignalAsync(bob, id, Kind.Invite);
        await bob.SignalCallAsync(id, "alice", Kind.Ringing);
        await alice.SignalCallAsync(id, "bob", Kind.Cancel);
        var cancel = await ExpectSignalAsync(bob, id, Kind.Cancel);
        var acceptAfter = await RefusedAsync(bob, id, "alice", Kind.Accept);

        Assert.Equal("alice", cancel.Peer);
        Assert.Equal(Code.NotFound, acceptAfter);
    }

    [Fact]
    public async Task Invite_to_a_user_in_a_call_is_answered_busy_by_the_server_and_to_an_offline_user_unavailable()
    {
        await using var server = ServiceTestServer.Start();
        var (alice, bob) = await ContactsAsync(server);
        var carol = await server.SignInAsync("carol");
        await ServiceTestServer.MakeContactsAsync(carol, bob);
        await ActiveCallAsync(alice, bob);
        var id = Guid.NewGuid();

        await carol.SignalCallAsync(id, "bob", Kind.Invite);
        var busy = await ExpectSignalAsync(carol, id, Kind.Busy);
        var bobSaw = await bob.DrainAsync(TimeSpan.FromMilliseconds(200));
        var callerBusy = await RefusedAsync(alice, Guid.NewGuid(), "bob", Kind.Invite); // alice is in a call herself
        await server.RegisterAsync("dave");
        var dave = await server.SignInAsync("dave", register: false);
        await ServiceTestServer.MakeContactsAsync(carol, dave);
        await dave.DisposeAsync();
        await carol.ExpectAsync<PresenceUpdated>(p => p.User == "dave" && p.Status == Presence.Offline);
        var offline = await RefusedAsync(carol, Guid.NewGuid(), "dave", Kind.Invite);

        Assert.Equal("bob", busy.Peer);
        Assert.DoesNotContain(bobSaw.OfType<CallSignalReceived>(), s => s.CallId == id);
        Assert.Equal(Code.Conflict, callerBusy);
        Assert.Equal(Code.Unavailable, offline);
    }

    [Fact]
    public async Task Unanswered_invite_times_out_on_both_sides()
    {
        await using var server = ServiceTestServer.Start(new Server.Services.ServiceOptions { RingTimeout = TimeSpan.FromMilliseconds(200) });
        var (alice, bob) = await ContactsAsync(server);
        var id = Guid.NewGuid();

        await alice.SignalCallAsync(id, "bob", Kind.Invite);
        await ExpectSignalAsync(bob, id, Kind.Invite);
        var aliceTimeout = await ExpectSignalAsync(alice, id, Kind.Timeout);
        var bobTimeout = await ExpectSignalAsync(bob, id, Kind.Timeout);
        var lateAccept = await RefusedAsync(bob, id, "alice", Kind.Accept);
        var clientTimeout = await RefusedAsync(alice, Guid.NewGuid(), "bob", Kind.Timeout);

        Assert.Equal(("bob", "alice"), (aliceTimeout.Peer, bobTimeout.Peer));
        Assert.Equal(Code.NotFound, lateAccept);
        Assert.Equal(Code.BadRequest, clientTimeout);
    }

    [Fact]
    public async Task Accepted_call_does_not_time_out()
    {
        await using var server = ServiceTestServer.Start(new Server.Services.ServiceOptions { RingTimeout = TimeSpan.FromSeconds(1) });
        var (alice, bob) = await ContactsAsync(server);
        var id = await ActiveCallAsync(alice, bob);

        var seen = await alice.DrainAsync(TimeSpan.FromMilliseconds(1500));
        await alice.SignalCallAsync(id, "bob", Kind.Candidates, "still here"u8.ToArray());

        Assert.Empty(seen.OfType<CallSignalReceived>());
        await ExpectSignalAsync(bob, id, Kind.Candidates);
    }

    [Fact]
    public async Task Calls_go_to_accepted_contacts_only()
    {
        await using var server = ServiceTestServer.Start();
        var alice = await server.SignInAsync("alice");
        var bob = await server.SignInAsync("bob");
        await alice.RequestContactAsync("bob"); // requested, not accepted

        var stranger = await RefusedAsync(alice, Guid.NewGuid(), "bob", Kind.Invite);
        var nobody = await RefusedAsync(alice, Guid.NewGuid(), "nobody", Kind.Invite);
        var bobSaw = await bob.DrainAsync(TimeSpan.FromMilliseconds(200));

        Assert.Equal(Code.Forbidden, stranger);
        Assert.Equal(Code.NotFound, nobody);
        Assert.Empty(bobSaw.OfType<CallSignalReceived>());
    }

    [Fact]
    public async Task Out_of_order_unknown_and_foreign_signals_are_refused()
    {
        await using var server = ServiceTestServer.Start();
        var (alice, bob) = await ContactsAsync(server);
        var carol = await server.SignInAsync("carol");
        await ServiceTestServer.MakeContactsAsync(carol, alice);
        var id = Guid.NewGuid();
        await alice.SignalCallAsync(id, "bob", Kind.Invite);
        await ExpectSignalAsync(bob, id, Kind.Invite);

        var hangUpBeforeAccept = await RefusedAsync(bob, id, "alice", Kind.HangUp);
        var callerAccepts = await RefusedAsync(alice, id, "bob", Kind.Accept);
        var calleeCancels = await RefusedAsync(bob, id, "alice", Kind.Cancel);
        var inviteAgain = await RefusedAsync(alice, id, "bob", Kind.Invite);
        var unknown = await RefusedAsync(bob, Guid.NewGuid(), "alice", Kind.Accept);
        var foreign = await RefusedAsync(carol, id, "alice", Kind.Candidates);
        var tooLarge = await RefusedAsync(alice, id, "bob", Kind.Candidates, new byte[Server.Services.CallLimits.MaxPayloadSizeInBytes + 1]);
        await bob.SignalCallAsync(id, "alice", Kind.Accept);
        var ringingAfterAccept = await RefusedAsync(bob, id, "alice", Kind.Ringing);
        await alice.SignalCallAsync(id, "bob", Kind.Candidates, new byte[Server.Services.CallLimits.MaxPayloadSizeInBytes]);

        Assert.Equal(Code.Conflict, hangUpBeforeAccept);
        Assert.Equal(Code.Conflict, callerAccepts);
        Assert.Equal(Code.Conflict, calleeCancels);
        Assert.Equal(Code.Conflict, inviteAgain);
        Assert.Equal(Code.NotFound, unknown);
        Assert.Equal(Code.Forbidden, foreign);
        Assert.Equal(Code.BadRequest, tooLarge);
        Assert.Equal(Code.Conflict, ringingAfterAccept);
        Assert.Equal(Server.Services.CallLimits.MaxPayloadSizeInBytes, (await ExpectSignalAsync(bob, id, Kind.Candidates)).Payload.Length);
    }

    [Fact]
    public async Task Last_connection_closing_hangs_up_the_call()
    {
        await using var server = ServiceTestServer.Start();
        var (alice, bob) = await ContactsAsync(server);
        var bobSecond = await server.SignInAsync("bob", register: false);
        var id = await ActiveCallAsync(alice, bob);

        await bobSecond.DisposeAsync(); // bob still has a connection: the call goes on
        var meanwhile = await alice.DrainAsync(TimeSpan.FromMilliseconds(200));
        await bob.DisposeAsync();
        var hangUp = await ExpectSignalAsync(alice, id, Kind.HangUp);
        var after = await RefusedAsync(alice, id, "bob", Kind.Candidates);

        Assert.DoesNotContain(meanwhile.OfType<CallSignalReceived>(), s => s.Kind == Kind.HangUp);
        Assert.Equal("bob", hangUp.Peer);
        Assert.Equal(Code.NotFound, after);
    }

    [Fact]
    public async Task Glare_is_resolved_by_the_lower_call_id_whatever_the_order()
    {
        await using var server = ServiceTestServer.Start();
        var (alice, bob) = await ContactsAsync(server);
        var low = new Guid(Enumerable.Repeat((byte)0x01, 16).ToArray());
        var high = new Guid(Enumerable.Repeat((byte)0x02, 16).ToArray());

        // The losing (higher) invite first: it is ended with BUSY to its caller, the lower one proceeds.
        await alice.SignalCallAsync(high, "bob", Kind.Invite);
        await ExpectSignalAsync(bob, high, Kind.Invite);
        await bob.SignalCallAsync(low, "alice", Kind.Invite);
        var aliceBusy = await ExpectSignalAsync(alice, high, Kind.Busy);
        var aliceInvited = await ExpectSignalAsync(alice, low, Kind.Invite);
        await alice.SignalCallAsync(low, "bob", Kind.Reject);
        await ExpectSignalAsync(bob, low, Kind.Reject);

        // The winning (lower) invite first: the higher one is refused.
        await alice.SignalCallAsync(low, "bob", Kind.Invite);
        await ExpectSignalAsync(bob, low, Kind.Invite);
        var bobRefused = await RefusedAsync(bob, high, "alice", Kind.Invite);
        await bob.SignalCallAsync(low, "alice", Kind.Accept);
        await ExpectSignalAsync(alice, low, Kind.Accept);
        var aliceSaw = await alice.DrainAsync(TimeSpan.FromMilliseconds(200));

        Assert.Equal("bob", aliceBusy.Peer);
        Assert.Equal("bob", aliceInvited.Peer);
        Assert.Equal(Code.Conflict, bobRefused);
        Assert.DoesNotContain(aliceSaw.OfType<CallSignalReceived>(), s => s.CallId == high);
    }
}
