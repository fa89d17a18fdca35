using Microsoft.Data.Sqlite;
using SecureComms.Server.Storage;

namespace SecureComms.Cloud.Tests.Storage;

/// <summary>
/// The store's group commit (<c>SqliteServerStore.GroupCommit.cs</c>): concurrent writes share commits and all are
/// durable once their tasks complete; a write that throws is rolled back alone; writes commit in queue order.
/// </summary>
public sealed class GroupCommitTests : StoreTestBase
{
    [Fact]
    public async Task Concurrent_writes_share_commits_and_every_one_is_durable_after_a_reopen()
    {
        UserId alice = await UserAsync("alice");
        UserId bob = await UserAsync("bob");
        long commitsBefore = Store.CommitCount;
        const int Writes = 400;

        EnqueueResult[] results = await Task.WhenAll(Enumerable.Range(0, Writes)
            .Select(i => Store.EnqueueAsync(alice, bob, Guid.NewGuid(), BitConverter.GetBytes(i))));

        Assert.All(results, r => Assert.Equal(EnqueueStatus.Stored, r.Status));
        Assert.Equal(Writes, results.Select(r => r.Message!.ServerSequence).Distinct().Count());
        long commits = Store.CommitCount - commitsBefore;
        Assert.InRange(commits, 1, Writes / 2); // grouped: far fewer commits than writes
        Reopen();
        IReadOnlyList<StoredMessage> stored = await Store.PendingForAsync(bob, 0, MessageLimits.MaxBatch);
        Assert.Equal(Math.Min(Writes, MessageLimits.MaxBatch), stored.Count);
    }

    [Fact]
    public async Task A_write_that_throws_is_rolled_back_alone_and_the_others_of_its_batch_commit()
    {
        UserId alice = await UserAsync("alice");
        Task<int> first = Store.WriteAsync(c => Update(c, alice, "first"), CancellationToken.None);
        Task<int> failing = Store.WriteAsync<int>(c =>
        {
            Update(c, alice, "from the failing write");
            throw new InvalidOperationException("the write fails after changing a row");
        }, CancellationToken.None);
        Task<int> third = Store.WriteAsync(c => Update(c, alice, "third"), CancellationToken.None);

        Assert.Equal(1, await first);
        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal(1, await third);

        Assert.Contains("after changing a row", e.Message, StringComparison.Ordinal);
        Assert.Equal("third", (await Store.GetAccountAsync(alice))!.PasswordVerifier); // queue order, the failing one undone
    }

    [Fact]
    public async Task A_write_queued_after_dispose_is_refused_and_writes_queued_before_it_are_committed()
    {
        UserId alice = await UserAsync("alice");
        Task<int> queued = Store.WriteAsync(c => Update(c, alice, "before dispose"), CancellationToken.None);
        Store.Dispose();

        Assert.Equal(1, await queued);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.WriteAsync(c => 0, CancellationToken.None));
        Reopen();
        Assert.Equal("before dispose", (await Store.GetAccountAsync(alice))!.PasswordVerifier);
    }

    private static int Update(SqliteConnection connection, UserId user, string verifier)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "UPDATE accounts SET password_verifier = $v WHERE user_id = $id;";
        command.Parameters.AddWithValue("$v", verifier);
        command.Parameters.AddWithValue("$id", user.Value);
        return command.ExecuteNonQuery();
    }
}
