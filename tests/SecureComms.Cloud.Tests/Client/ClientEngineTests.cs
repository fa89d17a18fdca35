using Microsoft.Data.Sqlite;
using SecureComms.Client.Engine;
using SecureComms.Client.Local;
using SecureComms.Client.Transport;
using SecureComms.Cloud.Proto;

namespace SecureComms.Cloud.Tests.Client;

/// <summary>
/// The client engine against the real service: the profile's session resumed without a password, messages stored on
/// both sides, the offline backlog, reconnection with resume after the connection drops or the server restarts, the
/// outbox surviving the client itself, Private Conversations, and refusals.
/// </summary>
public sealed class ClientEngineTests
{
    [Fact]
    public async Task A_message_is_stored_in_both_profiles_and_the_server_forgets_it_once_acknowledged()
    {
        await using var fixture = new EngineFixture();
        (ClientEngine alice, _) = await fixture.SignedInAsync("alice");
        (ClientEngine bob, _) = await fixture.SignedInAsync("bob");
        await EngineFixture.MakeContactsAsync(alice, bob);

        long sequence = (await alice.SendAsync("bob", "hello bob")).Sequence;
        MessageArrived arrived = await bob.ExpectAsync<MessageArrived>();
        await bob.SyncAsync();

        Assert.Equal(("alice", "hello bob", sequence, LocalMessageState.Received), (arrived.Message.Peer, arrived.Message.Text, arrived.Message.ServerSequence!.Value, arrived.Message.State));
        LocalMessage sent = Assert.Single(alice.Profile.Store.Messages("bob"));
        Assert.Equal((true, LocalMessageState.Sent, sequence), (sent.Outgoing, sent.State, sent.ServerSequence!.Value));
        Assert.Empty(alice.Profile.Store.Outbox());
        Assert.Equal(0, await fixture.StoredForAsync("bob"));
    }

    [Fact]
    public async Task A_stored_session_resumes_without_the_password_and_receives_the_backlog_in_order()
    {
        await using var fixture = new EngineFixture();
        (ClientEngine alice, _) = await fixture.SignedInAsync("alice");
        (ClientEngine bob, string bobProfile) = await fixture.SignedInAsync("bob");
        await EngineFixture.MakeContactsAsync(alice, bob);
        await fixture.CloseAsync(bob);

        const int Count = 80; // more than the server's delivery window of 32
        for (int i = 0; i < Count; i++)
        {
            await alice.SendAsync("bob", $"message {i}");
        }
        Assert.Equal(Count, await fixture.StoredForAsync("bob"));

        ClientEngine again = fixture.Engine(bobProfile);
        await again.StartAsync();
        await again.SyncAsync();

        string[] texts = [.. again.Profile.Store.Messages("alice").Select(m => m.Text!)];
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"message {i}"), texts);
        Assert.Equal(0, await fixture.StoredForAsync("bob"));
    }

    [Fact]
    public async Task After_the_connection_drops_the_engine_reconnects_and_goes_on()
    {
        await using var fixture = new EngineFixture();
        (ClientEngine alice, _) = await fixture.SignedInAsync("alice");
        (ClientEngine bob, _) = await fixture.SignedInAsync("bob");
        await EngineFixture.MakeContactsAsync(alice, bob);

        await fixture.DropConnectionsAsync("bob");
        await bob.ExpectAsync<ConnectionChanged>(c => !c.Connected);
        await bob.ExpectAsync<ConnectionChanged>(c => c.Connected);
        await alice.SendAsync("bob", "after the drop");

        MessageArrived arrived = await bob.ExpectAsync<MessageArrived>();
        Assert.Equal("after the drop", arrived.Message.Text);
        await bob.SendAsync("alice", "and back");
        Assert.Equal("and back", (await alice.ExpectAsync<MessageArrived>()).Message.Text);
    }

    [Fact]
    public async Task A_message_sent_while_the_server_is_down_waits_in_the_outbox_across_a_client_restart_and_arrives_once()
    {
        await using var fixture = new EngineFixture();
        (ClientEngine alice, string aliceProfile) = await fixture.SignedInAsync("alice");
        (ClientEngine bob, _) = await fixture.SignedInAsync("bob");
        await EngineFixture.MakeContactsAsync(alice, bob);
        await fixture.StopServerAsync();

        Task<SentMessage> pending = alice.SendAsync("bob", "sent during the outage");
        OutboxEntry waiting = Assert.Single(alice.Profile.Store.Outbox());
        Assert.False(pending.IsCompleted);
        await fixture.CloseAsync(alice); // the client stops too: the message is only in its profile
        await Assert.ThrowsAnyAsync<Exception>(() => pending);

        fixture.StartServer();
        ClientEngine again = fixture.Engine(aliceProfile);
        await again.StartAsync();
        MessageArrived arrived = await bob.ExpectAsync<MessageArrived>();
        await bob.SyncAsync();

        Assert.Equal((waiting.ClientMessageId, "sent during the outage"), (arrived.Message.ClientMessageId, arrived.Message.Text));
        Assert.Single(bob.Profile.Store.Messages("alice"));
        await WaitForAsync(() => again.Profile.Store.Outbox().Count == 0);
        Assert.Equal(LocalMessageState.Sent, Assert.Single(again.Profile.Store.Messages("bob")).State);
    }

    [Fact]
    public async Task A_resend_with_the_same_id_answers_the_first_sequence_and_a_different_text_under_it_is_refused()
    {
        await using var fixture = new EngineFixture();
        (ClientEngine alice, _) = await fixture.SignedInAsync("alice");
        (ClientEngine bob, _) = await fixture.SignedInAsync("bob");
        await EngineFixture.MakeContactsAsync(alice, bob);
        var id = Guid.NewGuid();

        long first = (await alice.SendAsync("bob", "once", id)).Sequence;
        long again = (await alice.SendAsync("bob", "once", id)).Sequence;
        CloudErrorException conflict = await Assert.ThrowsAsync<CloudErrorException>(() => alice.SendAsync("bob", "twice", id));

        Assert.Equal(first, again);
        Assert.Equal(Code.Conflict, conflict.Code);
        await bob.ExpectAsync<MessageArrived>();
        await bob.SyncAsync();
        Assert.Single(bob.Profile.Store.Messages("alice"));
    }

    [Fact]
    public async Task A_message_to_someone_not_a_contact_is_refused_and_recorded_as_failed()
    {
        await using var fixture = new EngineFixture();
        (ClientEngine alice, _) = await fixture.SignedInAsync("alice");
        await fixture.SignedInAsync("carol");

        CloudErrorException refused = await Assert.ThrowsAsync<CloudErrorException>(() => alice.SendAsync("carol", "hi"));

        Assert.Equal(Code.Forbidden, refused.Code);
        LocalMessage failed = Assert.Single(alice.Profile.Store.Messages("carol"));
        Assert.Equal(LocalMessageState.Failed, failed.State);
        Assert.Contains("Forbidden", failed.Error, StringComparison.Ordinal);
        Assert.Empty(alice.Profile.Store.Outbox());
    }

    [Fact]
    public async Task A_private_conversation_is_decrypted_into_the_profiles_while_the_server_stores_only_ciphertext()
    {
        await using var fixture = new EngineFixture();
        (ClientEngine alice, _) = await fixture.SignedInAsync("alice");
        (ClientEngine bob, _) = await fixture.SignedInAsync("bob");
        await EngineFixture.MakeContactsAsync(alice, bob);
        const string Secret = "the private plaintext";

        long sequence = (await alice.SendPrivateAsync("bob", Secret)).Sequence;
        byte[] stored = ReadStoredBody(fixture.DatabasePath, sequence);
        MessageArrived first = await bob.ExpectAsync<MessageArrived>();
        await bob.SendPrivateAsync("alice", "reply");
        MessageArrived reply = await alice.ExpectAsync<MessageArrived>();

        Assert.DoesNotContain(Secret, System.Text.Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        Assert.Equal((Secret, true, LocalMessageState.Received), (first.Message.Text, first.Message.Private, first.Message.State));
        Assert.Equal(("reply", true), (reply.Message.Text, reply.Message.Private));
    }

    [Fact]
    public async Task A_private_message_that_does_not_decrypt_is_recorded_as_undecryptable_and_still_acknowledged()
    {
        await using var fixture = new EngineFixture();
        (ClientEngine alice, _) = await fixture.SignedInAsync("alice");
        (ClientEngine bob, _) = await fixture.SignedInAsync("bob");
        await EngineFixture.MakeContactsAsync(alice, bob);
        await using var raw = await SecureComms.Client.CloudClient.ConnectAsync("127.0.0.1", fixture.Port, PinnedCa.FromPemFile(fixture.CaPath));
        await raw.SignInAsync("alice", EngineFixture.Password);

        await raw.SendAsync("bob", new byte[] { 2, 0x33, 1, 2, 3 }, isPrivate: true);
        MessageArrived arrived = await bob.ExpectAsync<MessageArrived>();
        await bob.SyncAsync();

        Assert.Equal((LocalMessageState.Undecryptable, (string?)null), (arrived.Message.State, arrived.Message.Text));
        Assert.NotNull(arrived.Message.Error);
        Assert.Equal(0, await fixture.StoredForAsync("bob"));
    }

    [Fact]
    public async Task A_session_the_server_does_not_know_ends_the_engine_with_a_clear_error()
    {
        await using var fixture = new EngineFixture();
        (ClientEngine alice, string profile) = await fixture.SignedInAsync("alice");
        LocalSession session = alice.Profile.Store.LoadSession()!;
        await alice.LogoutAsync();
        Assert.Null(alice.Profile.Store.LoadSession());
        await fixture.CloseAsync(alice);

        ClientEngine signedOut = fixture.Engine(profile);
        await Assert.ThrowsAsync<SessionEndedException>(() => signedOut.StartAsync());
        signedOut.Profile.Store.SaveSession(session); // the revoked token, as a stolen copy would be
        SessionEndedException refused = await Assert.ThrowsAsync<SessionEndedException>(() => signedOut.StartAsync());
        Assert.DoesNotContain(session.Token, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(session.Token, session.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_revoked_elsewhere_ends_the_engine_and_a_new_login_resumes_the_outbox()
    {
        await using var fixture = new EngineFixture();
        (ClientEngine alice, _) = await fixture.SignedInAsync("alice");
        (ClientEngine bob, _) = await fixture.SignedInAsync("bob");
        await EngineFixture.MakeContactsAsync(alice, bob);
        const string NewPassword = "a different long passphrase";
        await using (var other = await SecureComms.Client.CloudClient.ConnectAsync("127.0.0.1", fixture.Port, PinnedCa.FromPemFile(fixture.CaPath)))
        {
            await other.SignInAsync("alice", EngineFixture.Password);
            await other.ChangePasswordAsync(EngineFixture.Password, NewPassword);
        }

        await alice.ExpectAsync<SessionEnded>();
        Assert.False(alice.IsStarted);
        await Assert.ThrowsAsync<SessionEndedException>(() => alice.SendAsync("bob", "while signed out"));
        Assert.Single(alice.Profile.Store.Outbox()); // kept: it goes once signed in again
        await alice.LoginAsync("alice", NewPassword);
        MessageArrived arrived = await bob.ExpectAsync<MessageArrived>();

        Assert.Equal("while signed out", arrived.Message.Text);
        await WaitForAsync(() => alice.Profile.Store.Outbox().Count == 0);
    }

    [Fact]
    public async Task Contacts_and_presence_reach_the_profile()
    {
        await using var fixture = new EngineFixture();
        (ClientEngine alice, _) = await fixture.SignedInAsync("alice");
        (ClientEngine bob, _) = await fixture.SignedInAsync("bob");

        await alice.RequestContactAsync("bob");
        Assert.Equal("alice", (await bob.ExpectAsync<ContactRequestArrived>()).From);
        Assert.Equal(ContactStatus.RequestReceived, Assert.Single(bob.Profile.Store.Contacts()).Status);
        await bob.AcceptContactAsync("alice");
        await bob.SetPresenceAsync(Presence.Busy);
        await alice.ExpectAsync<ContactPresenceChanged>(p => p.User == "bob" && p.Status == Presence.Busy);

        LocalContact contact = Assert.Single(alice.Profile.Store.Contacts());
        Assert.Equal(("bob", ContactStatus.Accepted, Presence.Busy), (contact.Username, contact.Status, contact.Presence));
    }

    private static byte[] ReadStoredBody(string databasePath, long sequence)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM messages WHERE sequence = $s;";
        command.Parameters.AddWithValue("$s", sequence);
        return (byte[])command.ExecuteScalar()!;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, deadline.Token);
        }
    }
}
