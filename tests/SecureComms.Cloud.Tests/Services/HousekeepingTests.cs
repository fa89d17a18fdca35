using Microsoft.Data.Sqlite;
using SecureComms.Client;
using SecureComms.Cloud.Proto;
using SecureComms.Cloud.Tests.Storage;
using SecureComms.Server.Accounts;
using SecureComms.Server.Services;

namespace SecureComms.Cloud.Tests.Services;

/// <summary>The server's housekeeping, with a clock the test moves: message-id retention (the bound of idempotence),
/// expired sessions pruned and their open connections closed, and the loop that runs it.</summary>
public sealed class HousekeepingTests
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(2);

    private static long CountSessions(string databasePath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sessions;";
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task An_id_older_than_the_retention_is_forgotten_so_a_resend_is_new_while_a_fresh_one_stays_idempotent()
    {
        var clock = new ManualTimeProvider();
        await using var server = ServiceTestServer.Start(new ServiceOptions { MessageIdRetention = Retention }, clock);
        var alice = await server.SignInAsync("alice");
        var bob = await server.SignInAsync("bob");
        await ServiceTestServer.MakeContactsAsync(alice, bob);
        Guid old = Guid.NewGuid();
        Guid fresh = Guid.NewGuid();

        MessageAccepted oldAccepted = await alice.SendAsync("bob", "old"u8.ToArray(), clientMessageId: old);
        clock.Advance(Retention);
        MessageAccepted freshAccepted = await alice.SendAsync("bob", "fresh"u8.ToArray(), clientMessageId: fresh);
        await bob.AckAsync(freshAccepted.ServerSequence); // both acknowledged: only then may an id be forgotten
        clock.Advance(TimeSpan.FromDays(1)); // old: 3 days ago, over the retention; fresh: 1 day ago
        HousekeepingReport report = await server.Server.Housekeeping.SweepAsync(CancellationToken.None);
        MessageAccepted oldResent = await alice.SendAsync("bob", "old"u8.ToArray(), clientMessageId: old);
        MessageAccepted freshResent = await alice.SendAsync("bob", "fresh"u8.ToArray(), clientMessageId: fresh);
        MessageReceived redelivered = await bob.ExpectAsync<MessageReceived>(m => m.ServerSequence == oldResent.ServerSequence);

        Assert.Equal(1, report.ForgottenMessageIds);
        Assert.True(oldResent.ServerSequence > freshAccepted.ServerSequence); // stored again: a new message
        Assert.NotEqual(oldAccepted.ServerSequence, oldResent.ServerSequence);
        Assert.Equal(freshAccepted.ServerSequence, freshResent.ServerSequence); // still within the window: the original answer
        Assert.Equal((old, "old"), (redelivered.ClientMessageId, System.Text.Encoding.UTF8.GetString(redelivered.Body)));
    }

    [Fact]
    public async Task An_unacknowledged_message_keeps_its_id_past_the_retention()
    {
        var clock = new ManualTimeProvider();
        await using var server = ServiceTestServer.Start(new ServiceOptions { MessageIdRetention = Retention }, clock);
        var alice = await server.SignInAsync("alice");
        var bob = await server.SignInAsync("bob");
        await ServiceTestServer.MakeContactsAsync(alice, bob);
        Guid waiting = Guid.NewGuid();

        MessageAccepted accepted = await alice.SendAsync("bob", "waiting"u8.ToArray(), clientMessageId: waiting);
        clock.Advance(Retention * 2);
        HousekeepingReport report = await server.Server.Housekeeping.SweepAsync(CancellationToken.None);
        MessageAccepted resent = await alice.SendAsync("bob", "waiting"u8.ToArray(), clientMessageId: waiting);

        Assert.Equal(0, report.ForgottenMessageIds);
        Assert.Equal(accepted.ServerSequence, resent.ServerSequence);
    }

    [Fact]
    public async Task The_loop_prunes_expired_sessions_and_closes_their_connections_with_a_pushed_error()
    {
        var clock = new ManualTimeProvider();
        await using var server = ServiceTestServer.Start(new ServiceOptions { HousekeepingInterval = TimeSpan.FromMilliseconds(50) }, clock);
        var alice = await server.SignInAsync("alice");
        // Totals over the sweeps: the clock may move between a sweep's steps, so the row and the connection may go in
        // consecutive sweeps. Sweeps run one after another, so plain sums suffice.
        var sweptAfterExpiry = new TaskCompletionSource<(int ExpiredSessions, int ClosedConnections)>(TaskCreationOptions.RunContinuationsAsynchronously);
        int expiredSessions = 0;
        int closedConnections = 0;
        server.Server.Housekeeping.Swept += report =>
        {
            expiredSessions += report.ExpiredSessions;
            closedConnections += report.ClosedConnections;
            if (expiredSessions > 0 && closedConnections > 0)
            {
                sweptAfterExpiry.TrySetResult((expiredSessions, closedConnections));
            }
        };

        clock.Advance(SessionToken.Lifetime);
        var bob = await server.SignInAsync("bob"); // a live session, issued after the advance
        var swept = await sweptAfterExpiry.Task.WaitAsync(TimeSpan.FromSeconds(10));
        ServerError pushed = await alice.ExpectAsync<ServerError>();
        await Record.ExceptionAsync(() => alice.Connection.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        UserFound bobStillWorks = await bob.FindUserAsync("bob");

        Assert.Equal((1, 1), (swept.ExpiredSessions, swept.ClosedConnections));
        Assert.Equal(new ServerError(Code.Unauthenticated, DelegateHandler.SessionExpiredMessage), pushed);
        Assert.True(alice.Connection.Completion.IsCompleted);
        Assert.Equal(1, CountSessions(server.DatabasePath)); // bob's; alice's row is gone
        Assert.Equal("bob", bobStillWorks.Username);
    }
}
