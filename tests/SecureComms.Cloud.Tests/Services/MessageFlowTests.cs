using SecureComms.Client;
using SecureComms.Client.Transport;
using SecureComms.Cloud.Proto;

namespace SecureComms.Cloud.Tests.Services;

/// <summary>Store-and-forward over the wire: live pushes, backlog, idempotent resends, acknowledgement.</summary>
public sealed class MessageFlowTests
{
    [Fact]
    public async Task Message_to_an_online_recipient_is_pushed_after_it_is_durable_and_ack_deletes_it()
    {
        await using var server = ServiceTestServer.Start();
        var alice = await server.SignInAsync("alice");
        var bob = await server.SignInAsync("bob");
        await ServiceTestServer.MakeContactsAsync(alice, bob);
        var id = Guid.NewGuid();

        MessageAccepted accepted = await alice.SendAsync("bob", "hello bob"u8.ToArray(), clientMessageId: id);
        var pending = await server.Server.Store.PendingForAsync(new Server.Storage.UserId((await bob.FindUserAsync("bob")).UserId), 0, 10);
        var received = await bob.ExpectAsync<MessageReceived>();
        await bob.AckAsync(received.ServerSequence);
        var afterAck = await server.Server.Store.PendingForAsync(pending[0].Recipient, 0, 10);

        Assert.Equal(id, new Guid(accepted.ClientMessageId.Span));
        Assert.Single(pending);
        Assert.Equal(("alice", id, accepted.ServerSequence, "hello bob", false),
            (received.From, received.ClientMessageId, received.ServerSequence, System.Text.Encoding.UTF8.GetString(received.Body), received.Private));
        Assert.Empty(afterAck);
        Assert.Empty(alice.Outbox);
    }

    [Fact]
    public async Task Offline_recipient_gets_the_backlog_in_order_at_authenticate()
    {
        await using var server = ServiceTestServer.Start();
        var alice = await server.SignInAsync("alice");
        var bob = await server.SignInAsync("bob");
        await ServiceTestServer.MakeContactsAsync(alice, bob);
        await bob.DisposeAsync();
        const int count = 40; // over the delivery window: the rest follows the acknowledgements

        for (int i = 0; i < count; i++)
        {
            await alice.SendAsync("bob", System.Text.Encoding.UTF8.GetBytes($"m{i}"), isPrivate: i % 2 == 1);
        }
        var bobAgain = await server.SignInAsync("bob", register: false);
        var received = new List<MessageReceived>();
        while (received.Count < count)
        {
            var next = await bobAgain.ExpectAsync<MessageReceived>();
            received.Add(next);
            if (received.Count % 8 == 0)
            {
                await bobAgain.AckAsync(next.ServerSequence);
            }
        }

        Assert.Equal(Enumerable.Range(0, count).Select(i => $"m{i}"), received.Select(m => System.Text.Encoding.UTF8.GetString(m.Body)));
        Assert.Equal(Enumerable.Range(0, count).Select(i => i % 2 == 1), received.Select(m => m.Private));
        Assert.True(received.Zip(received.Skip(1)).All(p => p.First.ServerSequence < p.Second.ServerSequence));
    }

    [Fact]
    public async Task Unacknowledged_messages_are_delivered_again_on_the_next_connection()
    {
        await using var server = ServiceTestServer.Start();
        var alice = await server.SignInAsync("alice");
        var bob = await server.SignInAsync("bob");
        await ServiceTestServer.MakeContactsAsync(alice, bob);
        await alice.SendAsync("bob", "one"u8.ToArray());
        await alice.SendAsync("bob", "two"u8.ToArray());
        var first = await bob.ExpectAsync<MessageReceived>();
        await bob.AckAsync(first.ServerSequence);
        await bob.ExpectAsync<MessageReceived>(); // "two", not acknowledged
        await bob.DisposeAsync();

        var bobAgain = await server.SignInAsync("bob", register: false);
        var again = await bobAgain.ExpectAsync<MessageReceived>();

        Assert.Equal("two", System.Text.Encoding.UTF8.GetString(again.Body));
        Assert.Empty((await bobAgain.DrainAsync(TimeSpan.FromMilliseconds(200))).OfType<MessageReceived>());
    }

    [Fact]
    public async Task A_resend_with_the_same_id_is_not_duplicated()
    {
        await using var server = ServiceTestServer.Start();
        var alice = await server.SignInAsync("alice");
        var bob = await server.SignInAsync("bob");
        await ServiceTestServer.MakeContactsAsync(alice, bob);
        var id = Guid.NewGuid();

        var first = await alice.SendAsync("bob", "once"u8.ToArray(), clientMessageId: id);
        var second = await alice.SendAsync("bob", "once"u8.ToArray(), clientMessageId: id);
        var reused = await Assert.ThrowsAsync<CloudErrorException>(() => alice.SendAsync("bob", "other body"u8.ToArray(), clientMessageId: id));
        await alice.SendAsync("bob", "after"u8.ToArray());
        var received = new[] { await bob.ExpectAsync<MessageReceived>(), await bob.ExpectAsync<MessageReceived>() };

        Assert.Equal(first.ServerSequence, second.ServerSequence);
        Assert.Equal(Code.Conflict, reused.Code);
        Assert.Equal(["once", "after"], received.Select(m => System.Text.Encoding.UTF8.GetString(m.Body)));
    }

    [Fact]
    public async Task Outbox_keeps_an_unsent_message_and_resends_it_with_the_same_id()
    {
        await using var server = ServiceTestServer.Start();
        var alice = await server.SignInAsync("alice");
        var bob = await server.SignInAsync("bob");
        await ServiceTestServer.MakeContactsAsync(alice, bob);
        var id = Guid.NewGuid();
        var accepted = await alice.SendAsync("bob", "first try"u8.ToArray(), clientMessageId: id);
        // As if the answer had been lost: the message is still in the outbox of a client that went away.
        alice.Outbox[id] = new SendMessage
        {
            To = "bob",
            ClientMessageId = Google.Protobuf.ByteString.CopyFrom(id.ToByteArray()),
            Body = Google.Protobuf.ByteString.CopyFromUtf8("first try"),
        };
        await alice.DisposeAsync();

        var aliceAgain = await server.SignInAsync("alice", register: false);
        var resent = await aliceAgain.ResendOutboxAsync(alice);

        Assert.Equal(accepted.ServerSequence, Assert.Single(resent).ServerSequence);
        Assert.Empty(aliceAgain.Outbox);
        Assert.Empty(alice.Outbox);
        await bob.ExpectAsync<MessageReceived>();
        Assert.Empty((await bob.DrainAsync(TimeSpan.FromMilliseconds(200))).OfType<MessageReceived>());
    }

    [Fact]
    public async Task Messages_go_to_accepted_contacts_only_and_bad_requests_are_refused()
    {
        await using var server = ServiceTestServer.Start();
        var alice = await server.SignInAsync("alice");
        await server.RegisterAsync("bob");

        var stranger = await Assert.ThrowsAsync<CloudErrorException>(() => alice.SendAsync("bob", "hi"u8.ToArray()));
        var nobody = await Assert.ThrowsAsync<CloudErrorException>(() => alice.SendAsync("nobody", "hi"u8.ToArray()));
        var shortId = await alice.Connection.RequestAsync(new ClientFrame
        {
            SendMessage = new SendMessage { To = "bob", ClientMessageId = Google.Protobuf.ByteString.CopyFrom(new byte[8]) },
        });

        Assert.Equal(Code.Forbidden, stranger.Code);
        Assert.Equal(Code.NotFound, nobody.Code);
        Assert.Equal(Code.BadRequest, shortId.Error.Code);
        Assert.Empty(alice.Outbox);
    }
}
