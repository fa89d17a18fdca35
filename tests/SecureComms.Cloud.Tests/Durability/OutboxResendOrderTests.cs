using System.Globalization;
using System.Text;
using SecureComms.Client;
using SecureComms.Client.Transport;
using SecureComms.Cloud.Tests.Services;

namespace SecureComms.Cloud.Tests.Durability;

/// <summary>
/// The reduced form of what the SIGKILL run found: a client's outbox, resent after its connection ended
/// (<see cref="CloudClient.ResendOutboxAsync"/>), must reach the server in the order the messages were sent, or
/// the server stores them, and the recipient reads them, out of order within the conversation.
/// </summary>
/// <remarks>
/// The messages are sent on a connection that has already ended, so none reaches the server and all stay in the
/// outbox, in send order; a new connection then resends them. With
/// <see cref="Count"/> random ids the chance that an unordered outbox happens to give them back in send order is
/// 1 / 20!, so this test is deterministic in practice.
/// </remarks>
public sealed class OutboxResendOrderTests
{
    /// <summary>Messages left in the outbox: 20.</summary>
    private const int Count = 20;

    [Fact]
    public async Task Resending_the_outbox_keeps_the_order_the_messages_were_sent_in()
    {
        await using var server = ServiceTestServer.Start();
        var alice = await server.SignInAsync("alice");
        var bob = await server.SignInAsync("bob");
        await ServiceTestServer.MakeContactsAsync(alice, bob);
        await alice.DisposeAsync(); // offline: what alice sends now waits in her outbox

        for (int i = 0; i < Count; i++)
        {
            await Assert.ThrowsAsync<CloudConnectionClosedException>(() => alice.SendAsync("bob", Body(i)));
        }
        var aliceAgain = await server.SignInAsync("alice", register: false);
        await aliceAgain.ResendOutboxAsync(alice);
        var received = new List<string>();
        for (int i = 0; i < Count; i++)
        {
            received.Add(Encoding.UTF8.GetString((await bob.ExpectAsync<MessageReceived>()).Body));
        }

        Assert.Equal(Count, received.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, Count).Select(i => Encoding.UTF8.GetString(Body(i))), received);
        Assert.Empty(alice.Outbox);
        Assert.Empty(aliceAgain.Outbox);
    }

    private static byte[] Body(int ordinal) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"m{ordinal}"));
}
