using System.Globalization;
using SecureComms.Client;
using SecureComms.Client.Transport;
using SecureComms.Cloud.Proto;
using SecureComms.Cloud.Tests.Transport;
using Xunit.Abstractions;

namespace SecureComms.Cloud.Tests.Durability;

/// <summary>
/// Issue 5, "nothing acknowledged is ever lost": the real server process is killed with SIGKILL in the middle of
/// a 10,000-message burst from several clients, restarted on the same data directory, and every message it
/// acknowledged is delivered exactly once and in order per conversation.
/// </summary>
/// <remarks>
/// <para><b>Conversations.</b> Six senders: four each to its own recipient, two to one shared recipient (a
/// conversation is a (sender, recipient) pair). Recipients stay offline during the burst and sign in only after
/// the restart, so what they get is the backlog read back from the SQLite file the killed process left (WAL
/// included) — the path under test.</para>
/// <para><b>Clients behave as real ones.</b> After the kill each sender reconnects, authenticates with its
/// session token, resends its outbox (<see cref="CloudClient.ResendOutboxAsync"/>, same ids) and then the rest of
/// its burst; it also resends a sample of messages already acknowledged, which the server must answer with the
/// original sequence and not store again.</para>
/// </remarks>
public sealed class SigkillDurabilityTests(ITestOutputHelper output)
{
    private const int TotalMessages = 10_000;
    private const int Senders = 6;
    private const int Recipients = 5; // sender i writes to recipient min(i, 4): senders 4 and 5 share one

    /// <summary>The kill comes after this many acknowledgements in all: well inside the burst.</summary>
    private const int KillAfterAcknowledgements = 4_000;

    /// <summary>Recipients acknowledge every 16 messages (half the server's delivery window of 32).</summary>
    private const int AcknowledgeEvery = 16;

    /// <summary>Every 97th message acknowledged before the kill is sent again after the restart.</summary>
    private const int ResendSampleEvery = 97;

    /// <summary>Each phase (burst to the kill, the rest of the burst, one recipient's backlog) must end within 3 minutes.</summary>
    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromMinutes(3);

    /// <summary>No per-connection rate limit in the way (the default 16 requests/s would make the burst take
    /// minutes); registrations for the eleven accounts from one address.</summary>
    private static readonly string[] LoadLimits = ["--requests-per-second", "1000000", "--request-burst", "1000000", "--registration-burst", "100"];

    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task Every_acknowledged_message_survives_a_SIGKILL_mid_burst_and_is_delivered_once_in_order()
    {
        using var deployment = new TempDeployment();
        var senders = Enumerable.Range(0, Senders)
            .Select(i => new BurstSender(i, $"sender{i}", $"recipient{Math.Min(i, Recipients - 1)}", TotalMessages / Senders + (i < TotalMessages % Senders ? 1 : 0)))
            .ToArray();
        var recipientTokens = new Dictionary<string, string>();

        // ---- Accounts, contacts; then the burst, and SIGKILL in its middle ----
        var first = await ServerProcess.StartAsync(deployment.Directory, LoadLimits);
        await using (first)
        {
            var burstClients = new CloudClient[Senders];
            for (int r = 0; r < Recipients; r++)
            {
                await using CloudClient recipient = await RegisterAsync(deployment, first.Port, $"recipient{r}", token => recipientTokens[$"recipient{r}"] = token);
                foreach (BurstSender sender in senders.Where(s => s.Recipient == recipient.Username))
                {
                    burstClients[sender.Index] = await RegisterAsync(deployment, first.Port, sender.Name, token => sender.Token = token);
                    await burstClients[sender.Index].RequestContactAsync(recipient.Username!);
                    await recipient.AcceptContactAsync(sender.Name);
                }
            } // recipients offline from here on

            int acknowledged = 0;
            var killNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task<int>[] bursts = [.. senders.Select(s => s.BurstAsync(burstClients[s.Index], 0, () =>
            {
                if (Interlocked.Increment(ref acknowledged) == KillAfterAcknowledgements)
                {
                    killNow.TrySetResult();
                }
            }))];
            await killNow.Task.WaitAsync(PhaseTimeout);
            await first.KillAsync();
            int[] nextOrdinal = await Task.WhenAll(bursts).WaitAsync(PhaseTimeout);

            Assert.Equal(ServerProcess.SigkillExitCode, first.ExitCode);
            int unansweredAtKill = burstClients.Sum(c => c.Outbox.Count);
            Assert.True(unansweredAtKill > 0, "no message was in flight when the server was killed");
            Assert.True(nextOrdinal.Sum() < TotalMessages, "the burst was over before the kill");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"killed after {senders.Sum(s => s.Acknowledged.Count)} acknowledgements; {unansweredAtKill} sent and unanswered; {TotalMessages - nextOrdinal.Sum()} not yet sent"));

            // ---- Restart on the same directory: outboxes, the rest of the burst, and resent acknowledged ids ----
            var acknowledgedBeforeKill = senders.ToDictionary(s => s.Index, s => s.Acknowledged.ToDictionary());
            var outboxAtKill = senders.ToDictionary(s => s.Index, s => burstClients[s.Index].Outbox.Keys.Select(s.OrdinalOf).Order().ToArray());
            await using var second = await ServerProcess.StartAsync(deployment.Directory, LoadLimits);
            var sequenceChanged = new List<string>();
            await Task.WhenAll(senders.Select(async sender =>
            {
                await using CloudClient again = await ConnectAsync(deployment, second.Port);
                await again.AuthenticateAsync(sender.Token);
                foreach (MessageAccepted resent in await again.ResendOutboxAsync(burstClients[sender.Index]))
                {
                    Assert.True(sender.Record(resent), $"{sender.Name}: an outbox resend changed its sequence");
                }
                int end = await sender.BurstAsync(again, nextOrdinal[sender.Index], static () => { });
                Assert.Equal(sender.Count, end);
                foreach ((int ordinal, long sequence) in acknowledgedBeforeKill[sender.Index].Where(a => a.Key % ResendSampleEvery == 0))
                {
                    MessageAccepted repeat = await again.SendAsync(sender.Recipient, BurstSender.Body(sender.Index, ordinal), clientMessageId: sender.IdOf(ordinal));
                    if (repeat.ServerSequence != sequence)
                    {
                        lock (sequenceChanged)
                        {
                            sequenceChanged.Add(string.Create(CultureInfo.InvariantCulture, $"{sender.Name}#{ordinal}: {sequence} then {repeat.ServerSequence}"));
                        }
                    }
                }
            })).WaitAsync(PhaseTimeout);
            foreach (CloudClient old in burstClients)
            {
                await old.DisposeAsync();
            }
            Assert.Empty(sequenceChanged);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"after the restart: {acknowledgedBeforeKill.Values.Sum(a => a.Keys.Count(o => o % ResendSampleEvery == 0))} acknowledged messages resent, each answered with its first sequence"));
            Assert.All(senders, s => Assert.Equal(s.Count, s.Acknowledged.Count));

            // ---- Recipients sign in after the restart and take their backlog, acknowledging as they go ----
            var received = await Task.WhenAll(recipientTokens.Select(async pair =>
                (pair.Key, Messages: await TakeBacklogAsync(deployment, second.Port, pair.Value, senders.Where(s => s.Recipient == pair.Key).Sum(s => s.Count)))));

            foreach (BurstSender sender in senders)
            {
                int[] ordinals = [.. received.Single(r => r.Key == sender.Recipient).Messages
                    .Where(m => m.From == sender.Name).Select(m => BurstSender.Parse(m.Body))
                    .Select(p => { Assert.Equal(sender.Index, p.SenderIndex); return p.Ordinal; })];
                Assert.Empty(acknowledgedBeforeKill[sender.Index].Keys.Except(ordinals)); // nothing acknowledged is lost
                Assert.Empty(ordinals.GroupBy(o => o).Where(g => g.Count() > 1).Select(g => g.Key)); // exactly once
                Assert.True(ordinals.Zip(ordinals.Skip(1)).All(p => p.First < p.Second),
                    $"{sender.Name}: out of order: {FirstInversion(ordinals)} (in its outbox at the kill: {string.Join(',', outboxAtKill[sender.Index])})"); // in order per conversation
                Assert.Equal(sender.Count, ordinals.Length); // and everything acknowledged after the restart too
            }
            foreach ((string recipient, List<MessageReceived> messages) in received)
            {
                Assert.True(messages.Zip(messages.Skip(1)).All(p => p.First.ServerSequence < p.Second.ServerSequence), $"{recipient}: sequences out of order");
            }

            // ---- Acknowledged means deleted: a new sign-in gets no backlog, only a message sent after it ----
            foreach ((string recipient, string token) in recipientTokens)
            {
                await using CloudClient again = await ConnectAsync(deployment, second.Port);
                await again.AuthenticateAsync(token); // the backlog, if any, is pushed before this answer
                BurstSender sender = senders.First(s => s.Recipient == recipient);
                await using CloudClient marker = await ConnectAsync(deployment, second.Port);
                await marker.AuthenticateAsync(sender.Token);
                await marker.SendAsync(recipient, "after the backlog"u8.ToArray());
                MessageReceived firstPushed = await NextMessageAsync(again);
                Assert.Equal("after the backlog", System.Text.Encoding.UTF8.GetString(firstPushed.Body));
            }
        }
    }

    private static async Task<CloudClient> ConnectAsync(TempDeployment deployment, int port)
    {
        using PinnedCa ca = deployment.PinCa();
        return await CloudClient.ConnectAsync("127.0.0.1", port, ca);
    }

    private static async Task<CloudClient> RegisterAsync(TempDeployment deployment, int port, string username, Action<string> keepToken)
    {
        CloudClient client = await ConnectAsync(deployment, port);
        await client.RegisterAsync(username, Password);
        keepToken((await client.SignInAsync(username, Password)).Token);
        return client;
    }

    /// <summary>Signs in with <paramref name="token"/> and takes <paramref name="expected"/> messages, acknowledging
    /// every <see cref="AcknowledgeEvery"/> and the last.</summary>
    private static async Task<List<MessageReceived>> TakeBacklogAsync(TempDeployment deployment, int port, string token, int expected)
    {
        await using CloudClient client = await ConnectAsync(deployment, port);
        await client.AuthenticateAsync(token);
        var messages = new List<MessageReceived>();
        while (messages.Count < expected)
        {
            MessageReceived next = await NextMessageAsync(client, $"{messages.Count} of {expected} received");
            messages.Add(next);
            if (messages.Count % AcknowledgeEvery == 0 || messages.Count == expected)
            {
                await client.AckAsync(next.ServerSequence);
            }
        }
        return messages;
    }

    private static async Task<MessageReceived> NextMessageAsync(CloudClient client, string progress = "")
    {
        using var deadline = new CancellationTokenSource(PhaseTimeout);
        try
        {
            while (true)
            {
                if (await client.Events.ReadAsync(deadline.Token) is MessageReceived message)
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{client.Username}: no message within {PhaseTimeout} ({progress})");
        }
    }

    private static string FirstInversion(int[] ordinals)
    {
        for (int i = 1; i < ordinals.Length; i++)
        {
            if (ordinals[i - 1] >= ordinals[i])
            {
                return string.Create(CultureInfo.InvariantCulture, $"{ordinals[i - 1]} then {ordinals[i]} at position {i}");
            }
        }
        return "none";
    }
}
