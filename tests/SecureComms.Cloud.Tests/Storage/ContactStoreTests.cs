using SecureComms.Server.Storage;

namespace SecureComms.Cloud.Tests.Storage;

/// <summary>The contact state machine (<see cref="ContactState"/>), each transition and each refusal.</summary>
public sealed class ContactStoreTests : StoreTestBase
{
    [Fact]
    public async Task Request_then_accept_makes_symmetric_accepted_contacts()
    {
        (UserId alice, UserId bob) = await PairAsync();
        Assert.Equal(ContactOutcome.RequestSent, await Store.RequestContactAsync(alice, bob));
        Assert.Equal(ContactOutcome.RequestSent, await Store.RequestContactAsync(alice, bob)); // idempotent
        Assert.Equal(ContactState.RequestSent, await StateAsync(alice, bob));
        Assert.Equal(ContactState.RequestReceived, await StateAsync(bob, alice));
        Assert.False(await Store.AreAcceptedContactsAsync(alice, bob));

        Assert.Equal(ContactOutcome.Accepted, await Store.AcceptContactAsync(bob, alice));
        Assert.Equal(ContactState.Accepted, await StateAsync(alice, bob));
        Assert.Equal(ContactState.Accepted, await StateAsync(bob, alice));
        Assert.True(await Store.AreAcceptedContactsAsync(alice, bob));
        Assert.True(await Store.AreAcceptedContactsAsync(bob, alice));
        Assert.Equal([bob], await Store.AcceptedContactsOfAsync(alice));
        Assert.Equal([alice], await Store.AcceptedContactsOfAsync(bob));

        Assert.Equal(ContactOutcome.AlreadyContacts, await Store.AcceptContactAsync(bob, alice));
        Assert.Equal(ContactOutcome.AlreadyContacts, await Store.RequestContactAsync(alice, bob));
    }

    [Fact]
    public async Task Crossed_requests_accept_each_other()
    {
        (UserId alice, UserId bob) = await PairAsync();
        Assert.Equal(ContactOutcome.RequestSent, await Store.RequestContactAsync(alice, bob));
        Assert.Equal(ContactOutcome.Accepted, await Store.RequestContactAsync(bob, alice));
        Assert.True(await Store.AreAcceptedContactsAsync(alice, bob));
    }

    [Fact]
    public async Task Accept_and_decline_need_a_pending_request()
    {
        (UserId alice, UserId bob) = await PairAsync();
        Assert.Equal(ContactOutcome.NoPendingRequest, await Store.AcceptContactAsync(bob, alice));
        Assert.Equal(ContactOutcome.NoPendingRequest, await Store.DeclineContactAsync(bob, alice));
        await Store.RequestContactAsync(alice, bob);
        Assert.Equal(ContactOutcome.NoPendingRequest, await Store.AcceptContactAsync(alice, bob)); // one's own request
        Assert.Equal(ContactOutcome.NoPendingRequest, await Store.DeclineContactAsync(alice, bob));
        Assert.Empty(await Store.AcceptedContactsOfAsync(alice));
    }

    [Fact]
    public async Task A_decline_is_not_announced_and_can_be_reversed()
    {
        (UserId alice, UserId bob) = await PairAsync();
        await Store.RequestContactAsync(alice, bob);
        Assert.Equal(ContactOutcome.Declined, await Store.DeclineContactAsync(bob, alice));
        Assert.Equal(ContactOutcome.Declined, await Store.DeclineContactAsync(bob, alice)); // idempotent
        Assert.Equal(ContactState.Declined, await StateAsync(bob, alice));
        Assert.Equal(ContactState.RequestSent, await StateAsync(alice, bob)); // alice cannot tell
        Assert.Equal(ContactOutcome.RequestSent, await Store.RequestContactAsync(alice, bob)); // asking again changes nothing for bob
        Assert.Equal(ContactState.Declined, await StateAsync(bob, alice));

        Assert.Equal(ContactOutcome.Accepted, await Store.AcceptContactAsync(bob, alice)); // change of mind
        Assert.True(await Store.AreAcceptedContactsAsync(alice, bob));
    }

    [Fact]
    public async Task Removing_a_decline_shows_the_request_again()
    {
        (UserId alice, UserId bob) = await PairAsync();
        await Store.RequestContactAsync(alice, bob);
        await Store.DeclineContactAsync(bob, alice);
        Assert.Equal(ContactOutcome.Removed, await Store.RemoveContactAsync(bob, alice));
        Assert.Equal(ContactState.RequestReceived, await StateAsync(bob, alice));
    }

    [Fact]
    public async Task Blocking_hides_requests_and_the_blocked_user_cannot_tell()
    {
        (UserId alice, UserId bob) = await PairAsync();
        Assert.Equal(ContactOutcome.Blocked, await Store.BlockContactAsync(bob, alice));
        Assert.Equal(ContactOutcome.RequestSent, await Store.RequestContactAsync(alice, bob));
        Assert.Equal(ContactState.RequestSent, await StateAsync(alice, bob));
        Assert.Equal(ContactState.Blocked, await StateAsync(bob, alice)); // not RequestReceived
        Assert.Equal(ContactOutcome.NoPendingRequest, await Store.AcceptContactAsync(bob, alice));
        Assert.Equal(ContactOutcome.UnblockFirst, await Store.RequestContactAsync(bob, alice));
        Assert.False(await Store.AreAcceptedContactsAsync(alice, bob));

        Assert.Equal(ContactOutcome.Removed, await Store.RemoveContactAsync(bob, alice)); // unblock
        Assert.Equal(ContactState.RequestReceived, await StateAsync(bob, alice));
        Assert.Equal(ContactOutcome.Accepted, await Store.AcceptContactAsync(bob, alice));
    }

    [Fact]
    public async Task Blocking_an_accepted_contact_ends_the_relation_and_looks_like_a_removal_to_the_other()
    {
        (UserId alice, UserId bob) = await PairAsync();
        await Store.RequestContactAsync(alice, bob);
        await Store.AcceptContactAsync(bob, alice);
        Assert.Equal(ContactOutcome.Blocked, await Store.BlockContactAsync(bob, alice));
        Assert.False(await Store.AreAcceptedContactsAsync(alice, bob));
        Assert.Empty(await Store.AcceptedContactsOfAsync(alice));
        Assert.Empty(await Store.AcceptedContactsOfAsync(bob));
        Assert.Null(await StateAsync(alice, bob));
        Assert.Equal(ContactState.Blocked, await StateAsync(bob, alice));
    }

    [Fact]
    public async Task Removing_an_accepted_contact_removes_both_sides_and_withdrawing_a_request_works()
    {
        (UserId alice, UserId bob) = await PairAsync();
        Assert.Equal(ContactOutcome.NothingToRemove, await Store.RemoveContactAsync(alice, bob));
        await Store.RequestContactAsync(alice, bob);
        Assert.Equal(ContactOutcome.Removed, await Store.RemoveContactAsync(alice, bob)); // withdrawn
        Assert.Null(await StateAsync(bob, alice));

        await Store.RequestContactAsync(alice, bob);
        await Store.AcceptContactAsync(bob, alice);
        Assert.Equal(ContactOutcome.Removed, await Store.RemoveContactAsync(bob, alice));
        Assert.Null(await StateAsync(alice, bob));
        Assert.Null(await StateAsync(bob, alice));
        Assert.False(await Store.AreAcceptedContactsAsync(alice, bob));
    }

    [Fact]
    public async Task Self_and_missing_users_are_refused()
    {
        (UserId alice, _) = await PairAsync();
        var ghost = new UserId(999);
        Assert.Equal(ContactOutcome.CannotContactSelf, await Store.RequestContactAsync(alice, alice));
        Assert.Equal(ContactOutcome.CannotContactSelf, await Store.BlockContactAsync(alice, alice));
        Assert.Equal(ContactOutcome.NoSuchUser, await Store.RequestContactAsync(alice, ghost));
        Assert.Equal(ContactOutcome.NoSuchUser, await Store.BlockContactAsync(ghost, alice));
        Assert.Equal(ContactOutcome.NoSuchUser, await Store.AcceptContactAsync(alice, ghost));
        Assert.Empty(await Store.ListContactsAsync(alice));
    }

    [Fact]
    public async Task The_list_is_ordered_by_name_and_shows_only_what_the_user_may_see()
    {
        UserId me = await UserAsync("meg");
        UserId zed = await UserAsync("zed");
        UserId amy = await UserAsync("amy");
        UserId kim = await UserAsync("kim");
        UserId hid = await UserAsync("hid");
        await Store.RequestContactAsync(me, zed); // sent
        await Store.RequestContactAsync(amy, me); // received
        await Store.RequestContactAsync(kim, me);
        await Store.AcceptContactAsync(me, kim); // accepted
        await Store.BlockContactAsync(hid, me); // their block: invisible to me
        Clock.Advance(TimeSpan.FromMinutes(1));

        IReadOnlyList<Contact> list = await Store.ListContactsAsync(me);
        Assert.Equal(["amy", "kim", "zed"], list.Select(c => c.PeerUsername));
        Assert.Equal([ContactState.RequestReceived, ContactState.Accepted, ContactState.RequestSent], list.Select(c => c.State));
        Assert.Equal([amy, kim, zed], list.Select(c => c.Peer));
        Assert.All(list, c => Assert.True(c.Since < Clock.GetUtcNow()));
        Assert.Equal([kim], await Store.AcceptedContactsOfAsync(me));
    }

    [Fact]
    public async Task Contacts_survive_a_reopen()
    {
        (UserId alice, UserId bob) = await PairAsync();
        await Store.RequestContactAsync(alice, bob);
        await Store.AcceptContactAsync(bob, alice);
        Reopen();
        Assert.True(await Store.AreAcceptedContactsAsync(alice, bob));
    }

    private async Task<(UserId Alice, UserId Bob)> PairAsync() => (await UserAsync("alice"), await UserAsync("bob"));

    private async Task<ContactState?> StateAsync(UserId user, UserId peer) =>
        (await Store.ListContactsAsync(user)).SingleOrDefault(c => c.Peer == peer)?.State;
}
