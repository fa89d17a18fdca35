using SecureComms.Server.Storage;

namespace SecureComms.Cloud.Tests.Storage;

/// <summary>Store-and-forward: idempotent resend, order, acknowledgement, durability.</summary>
public sealed class MessageStoreTests : StoreTestBase
{
    [Fact]
    public async Task A_message_is_stored_with_its_id_sequence_body_and_time()
    {
        (UserId alice, UserId bob) = await PairAsync();
        Guid id = Guid.NewGuid();
        EnqueueResult result = await Store.EnqueueAsync(alice, bob, id, new byte[] { 1, 2, 3 });
        Assert.Equal(EnqueueStatus.Stored, result.Status);
        StoredMessage message = result.Message!;
        Assert.Equal(alice, message.Sender);
        Assert.Equal(bob, message.Recipient);
        Assert.Equal(id, message.ClientMessageId);
        Assert.Equal([1, 2, 3], message.Body);
        Assert.Equal(Clock.GetUtcNow(), message.ReceivedAt);

        StoredMessage pending = Assert.Single(await Store.PendingForAsync(bob, 0, 10));
        Assert.Equal(message.ServerSequence, pending.ServerSequence);
        Assert.Equal(id, pending.ClientMessageId);
        Assert.Equal([1, 2, 3], pending.Body);
        Assert.Equal(alice, pending.Sender);
        Assert.Empty(await Store.PendingForAsync(alice, 0, 10));
    }

    [Fact]
    public async Task A_resend_returns_the_original_and_adds_nothing()
    {
        (UserId alice, UserId bob) = await PairAsync();
        Guid id = Guid.NewGuid();
        StoredMessage first = (await Store.EnqueueAsync(alice, bob, id, new byte[] { 9 })).Message!;
        Clock.Advance(TimeSpan.FromSeconds(5));
        EnqueueResult again = await Store.EnqueueAsync(alice, bob, id, new byte[] { 9 });
        Assert.Equal(EnqueueStatus.Duplicate, again.Status);
        Assert.Equal(first.ServerSequence, again.Message!.ServerSequence);
        Assert.Equal(first.ReceivedAt, again.Message.ReceivedAt);
        Assert.Single(await Store.PendingForAsync(bob, 0, 10));
    }

    [Fact]
    public async Task A_resend_after_acknowledgement_is_still_a_duplicate_until_the_id_is_forgotten()
    {
        (UserId alice, UserId bob) = await PairAsync();
        Guid id = Guid.NewGuid();
        StoredMessage first = (await Store.EnqueueAsync(alice, bob, id, new byte[] { 9 })).Message!;
        Assert.Equal(1, await Store.AcknowledgeAsync(bob, first.ServerSequence));

        EnqueueResult late = await Store.EnqueueAsync(alice, bob, id, new byte[] { 9 });
        Assert.Equal(EnqueueStatus.Duplicate, late.Status);
        Assert.Equal(first.ServerSequence, late.Message!.ServerSequence);
        Assert.Empty(await Store.PendingForAsync(bob, 0, 10)); // not delivered twice

        Clock.Advance(TimeSpan.FromDays(8));
        Assert.Equal(1, await Store.ForgetMessageIdsAsync(Clock.GetUtcNow().AddDays(-7)));
        Assert.Equal(EnqueueStatus.Stored, (await Store.EnqueueAsync(alice, bob, id, new byte[] { 9 })).Status);
    }

    [Fact]
    public async Task Forgetting_ids_keeps_those_of_unacknowledged_messages()
    {
        (UserId alice, UserId bob) = await PairAsync();
        Guid id = Guid.NewGuid();
        await Store.EnqueueAsync(alice, bob, id, new byte[] { 9 });
        Clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal(0, await Store.ForgetMessageIdsAsync(Clock.GetUtcNow()));
        Assert.Equal(EnqueueStatus.Duplicate, (await Store.EnqueueAsync(alice, bob, id, new byte[] { 9 })).Status);
    }

    [Fact]
    public async Task Reusing_an_id_for_another_body_or_recipient_is_refused_and_other_senders_have_their_own_ids()
    {
        (UserId alice, UserId bob) = await PairAsync();
        UserId carol = await UserAsync("carol");
        Guid id = Guid.NewGuid();
        await Store.EnqueueAsync(alice, bob, id, new byte[] { 1 });
        Assert.Equal(new EnqueueResult(EnqueueStatus.IdReused, null), await Store.EnqueueAsync(alice, bob, id, new byte[] { 2 }));
        Assert.Equal(new EnqueueResult(EnqueueStatus.IdReused, null), await Store.EnqueueAsync(alice, carol, id, new byte[] { 1 }));
        Assert.Equal(EnqueueStatus.Stored, (await Store.EnqueueAsync(carol, bob, id, new byte[] { 1 })).Status);
        Assert.Equal(2, (await Store.PendingForAsync(bob, 0, 10)).Count);
        Assert.Empty(await Store.PendingForAsync(carol, 0, 10));
    }

    [Fact]
    public async Task Missing_users_and_oversized_bodies_are_refused()
    {
        (UserId alice, _) = await PairAsync();
        var ghost = new UserId(999);
        Assert.Equal(EnqueueStatus.NoSuchUser, (await Store.EnqueueAsync(alice, ghost, Guid.NewGuid(), new byte[] { 1 })).Status);
        Assert.Equal(EnqueueStatus.NoSuchUser, (await Store.EnqueueAsync(ghost, alice, Guid.NewGuid(), new byte[] { 1 })).Status);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.EnqueueAsync(alice, alice, Guid.NewGuid(), new byte[MessageLimits.MaxBodySizeInBytes + 1]));
        Assert.Equal(EnqueueStatus.Stored, (await Store.EnqueueAsync(alice, alice, Guid.NewGuid(), new byte[MessageLimits.MaxBodySizeInBytes])).Status);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.PendingForAsync(alice, 0, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.PendingForAsync(alice, 0, MessageLimits.MaxBatch + 1));
    }

    [Fact]
    public async Task The_backlog_comes_in_arrival_order_in_pages()
    {
        (UserId alice, UserId bob) = await PairAsync();
        UserId carol = await UserAsync("carol");
        var sent = new List<StoredMessage>();
        for (int i = 0; i < 10; i++)
        {
            UserId sender = i % 2 == 0 ? alice : carol;
            sent.Add((await Store.EnqueueAsync(sender, bob, Guid.NewGuid(), new[] { (byte)i })).Message!);
            await Store.EnqueueAsync(sender, alice, Guid.NewGuid(), new[] { (byte)i }); // interleaved traffic to someone else
        }
        Assert.True(sent.Zip(sent.Skip(1)).All(p => p.First.ServerSequence < p.Second.ServerSequence));

        IReadOnlyList<StoredMessage> page1 = await Store.PendingForAsync(bob, 0, 4);
        IReadOnlyList<StoredMessage> page2 = await Store.PendingForAsync(bob, page1[^1].ServerSequence, 4);
        IReadOnlyList<StoredMessage> page3 = await Store.PendingForAsync(bob, page2[^1].ServerSequence, 4);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (byte)i), page1.Concat(page2).Concat(page3).Select(m => m.Body[0]));
        Assert.Equal(2, page3.Count);
    }

    [Fact]
    public async Task Acknowledgement_deletes_only_the_recipients_acknowledged_messages()
    {
        (UserId alice, UserId bob) = await PairAsync();
        StoredMessage[] toBob = new StoredMessage[4];
        StoredMessage[] toAlice = new StoredMessage[2];
        for (int i = 0; i < 4; i++)
        {
            toBob[i] = (await Store.EnqueueAsync(alice, bob, Guid.NewGuid(), new[] { (byte)i })).Message!;
            if (i < 2)
            {
                toAlice[i] = (await Store.EnqueueAsync(bob, alice, Guid.NewGuid(), new[] { (byte)i })).Message!;
            }
        }

        // Cumulative: bob acknowledges up to his second message; alice's messages in that range stay.
        Assert.Equal(2, await Store.AcknowledgeAsync(bob, toBob[1].ServerSequence));
        Assert.Equal([toBob[2].ServerSequence, toBob[3].ServerSequence], (await Store.PendingForAsync(bob, 0, 10)).Select(m => m.ServerSequence));
        Assert.Equal(2, (await Store.PendingForAsync(alice, 0, 10)).Count);

        // By sequence: bob cannot acknowledge alice's messages.
        Assert.Equal(1, await Store.AcknowledgeAsync(bob, [toBob[3].ServerSequence, toAlice[0].ServerSequence, toAlice[1].ServerSequence]));
        Assert.Equal([toBob[2].ServerSequence], (await Store.PendingForAsync(bob, 0, 10)).Select(m => m.ServerSequence));
        Assert.Equal(2, (await Store.PendingForAsync(alice, 0, 10)).Count);
        Assert.Equal(0, await Store.AcknowledgeAsync(bob, [toBob[3].ServerSequence])); // again: nothing
    }

    [Fact]
    public async Task Messages_accepted_by_the_server_survive_a_close_and_reopen_and_sequences_are_never_reused()
    {
        (UserId alice, UserId bob) = await PairAsync();
        var ids = new List<Guid>();
        long last = 0;
        for (int i = 0; i < 5; i++)
        {
            Guid id = Guid.NewGuid();
            ids.Add(id);
            last = (await Store.EnqueueAsync(alice, bob, id, new[] { (byte)i })).Message!.ServerSequence;
        }
        await Store.AcknowledgeAsync(bob, last); // the highest sequence is deleted…
        Guid kept = Guid.NewGuid();
        StoredMessage unacknowledged = (await Store.EnqueueAsync(alice, bob, kept, new byte[] { 42 })).Message!;

        Reopen();

        StoredMessage after = Assert.Single(await Store.PendingForAsync(bob, 0, 10));
        Assert.Equal(unacknowledged.ServerSequence, after.ServerSequence);
        Assert.Equal(kept, after.ClientMessageId);
        Assert.Equal([42], after.Body);
        Assert.Equal(unacknowledged.ReceivedAt, after.ReceivedAt);
        Assert.Equal(EnqueueStatus.Duplicate, (await Store.EnqueueAsync(alice, bob, ids[0], new byte[] { 0 })).Status);
        long next = (await Store.EnqueueAsync(alice, bob, Guid.NewGuid(), new byte[] { 1 })).Message!.ServerSequence;
        Assert.True(next > unacknowledged.ServerSequence);
    }

    [Fact]
    public async Task Concurrent_resends_of_one_message_store_it_once()
    {
        (UserId alice, UserId bob) = await PairAsync();
        Guid id = Guid.NewGuid();
        EnqueueResult[] results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => Store.EnqueueAsync(alice, bob, id, new byte[] { 5 }))));
        Assert.Single(results, r => r.Status == EnqueueStatus.Stored);
        Assert.Single(results.Select(r => r.Message!.ServerSequence).Distinct());
        Assert.Single(await Store.PendingForAsync(bob, 0, 10));
    }

    [Fact]
    public async Task Acknowledged_bodies_are_gone_from_the_database()
    {
        (UserId alice, UserId bob) = await PairAsync();
        StoredMessage m = (await Store.EnqueueAsync(alice, bob, Guid.NewGuid(), new byte[] { 1 })).Message!;
        await Store.AcknowledgeAsync(bob, m.ServerSequence);
        Assert.Equal(0L, RawScalar("SELECT count(*) FROM messages;"));
        Assert.Equal(1L, RawScalar("SELECT count(*) FROM message_ids;"));
    }

    private async Task<(UserId Alice, UserId Bob)> PairAsync() => (await UserAsync("alice"), await UserAsync("bob"));
}
