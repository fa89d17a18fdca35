using System.Collections.Concurrent;
using System.Text;
using SecureComms.Client.Local;
using SecureComms.Client.Transport;
using SecureComms.Cloud.Proto;
using SecureComms.Signal;

namespace SecureComms.Client.Engine;

/// <summary>The engine's messages: the outbox, incoming messages and their acknowledgement, and synchronisation.</summary>
public sealed partial class ClientEngine
{
    private const string PreKeyCounter = "one_time_pre_key";

    private readonly SemaphoreSlim _outboxSignal = new(0);
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<long>> _waiters = new();

    /// <summary>
    /// Sends <paramref name="text"/> to <paramref name="to"/> (an accepted contact) through the outbox and returns the
    /// server's sequence once the server has accepted it as durable. With <paramref name="id"/>, a resend of the same id
    /// is idempotent: it answers the first send's sequence.
    /// </summary>
    /// <exception cref="CloudErrorException">The server refused it (not a contact, no such user, id reused).</exception>
    public Task<SentMessage> SendAsync(string to, string text, Guid? id = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return EnqueueAsync(NormalizePeer(to), text, isPrivate: false, () => Encoding.UTF8.GetBytes(text), id ?? Guid.NewGuid(), cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="text"/> to <paramref name="to"/> in a Private Conversation: a Signal session is started from
    /// the contact's bundle the first time; the server carries only ciphertext. With <paramref name="id"/>, a resend of
    /// the same id is idempotent (it is encrypted only once).
    /// </summary>
    /// <exception cref="CloudErrorException">The server refused the bundle fetch or the message.</exception>
    /// <exception cref="SignalProtocolException">The bundle is not acceptable (bad signature, changed identity).</exception>
    public async Task<SentMessage> SendPrivateAsync(string to, string text, Guid? id = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        string peer = NormalizePeer(to);
        PrivateConversations conversations = RequirePrivate();
        Guid messageId = id ?? Guid.NewGuid();
        if (Profile.Store.FindOutgoing(messageId, peer) is null && !conversations.HasSession(peer))
        {
            CloudClient client = await ClientAsync(cancellationToken).ConfigureAwait(false);
            conversations.StartSession(await client.FetchBundleAsync(peer, PrivateConversations.DeviceId, cancellationToken).ConfigureAwait(false));
        }
        return await EnqueueAsync(peer, text, isPrivate: true, () => conversations.Encrypt(peer, text), messageId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Returns once every message the server held for this user when called is stored in the profile (and acknowledged):
    /// a ping round trip marks which pushes came before, repeated until a round brings no message.
    /// </summary>
    public async Task SyncAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Link link = await LinkAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                long messagesBefore = Interlocked.Read(ref link.MessagesHandled);
                await link.Client.Connection.PingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                long pushes = link.Client.Connection.PushesReceived;
                await WaitUntilAsync(link, () => link.Client.PushesPumped >= pushes, cancellationToken).ConfigureAwait(false);
                long events = link.Client.EventsPublished;
                await WaitUntilAsync(link, () => Interlocked.Read(ref link.EventsHandled) >= events, cancellationToken).ConfigureAwait(false);
                if (Interlocked.Read(ref link.MessagesHandled) == messagesBefore)
                {
                    return;
                }
            }
            catch (CloudConnectionClosedException)
            {
                // Reconnecting: the backlog comes again on the next connection.
            }
        }
    }

    private static async Task WaitUntilAsync(Link link, Func<bool> done, CancellationToken cancellationToken)
    {
        while (!done())
        {
            if (link.Client.Connection.Completion.IsCompleted)
            {
                throw new CloudConnectionClosedException("The connection ended while synchronising.", null);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<SentMessage> EnqueueAsync(string to, string text, bool isPrivate, Func<byte[]> wireBody, Guid id, CancellationToken cancellationToken)
    {
        if (!_started)
        {
            throw new InvalidOperationException("The engine is not started: LoginAsync or StartAsync first.");
        }
        TaskCompletionSource<long> waiter = _waiters.GetOrAdd(id, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        switch (Profile.Store.FindOutgoing(id, to))
        {
            case null:
                Profile.Store.AddOutgoing(id, to, text, isPrivate, wireBody(), _options.TimeProvider.GetUtcNow());
                break;
            case { Text: var stored } when stored != text:
                _waiters.TryRemove(id, out _);
                throw new CloudErrorException(Code.Conflict, "this message id was used for another message");
            case { State: LocalMessageState.Sent, ServerSequence: long sequence }:
                _waiters.TryRemove(id, out _);
                return new SentMessage(id, sequence);
            case { State: LocalMessageState.Failed, Error: var error }:
                _waiters.TryRemove(id, out _);
                throw new CloudErrorException(Code.Conflict, $"this message was refused earlier: {error}");
        }
        bool ended;
        lock (_lock)
        {
            ended = _link.Task.IsFaulted || !IsStarted;
        }
        if (ended)
        {
            _waiters.TryRemove(id, out _);
            throw new SessionEndedException("The session ended: the message waits in the outbox until you log in again.");
        }
        _outboxSignal.Release();
        return new SentMessage(id, await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false));
    }

    private async Task RunOutboxAsync()
    {
        while (true)
        {
            try
            {
                await _outboxSignal.WaitAsync(_stop.Token).ConfigureAwait(false);
                while (_outboxSignal.Wait(0))
                {
                    // one pass sends everything pending
                }
                CloudClient client = await ClientAsync(_stop.Token).ConfigureAwait(false);
                foreach (OutboxEntry entry in Profile.Store.Outbox())
                {
                    await SendOneAsync(client, entry).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is SessionEndedException or ObjectDisposedException)
            {
                FailWaiters(e);
                return;
            }
            catch (Exception e) when (IsTransient(e) || e is CloudErrorException { Code: Code.Unauthenticated })
            {
                // The connection dropped (or its session is ending): the outbox goes again on the next connection.
            }
        }
    }

    private async Task SendOneAsync(CloudClient client, OutboxEntry entry)
    {
        try
        {
            MessageAccepted accepted = await client.SendAsync(entry.To, entry.WireBody, entry.Private, entry.ClientMessageId, _stop.Token).ConfigureAwait(false);
            Profile.Store.MarkSent(entry.ClientMessageId, entry.To, accepted.ServerSequence);
            Complete(entry.ClientMessageId, waiter => waiter.TrySetResult(accepted.ServerSequence));
        }
        catch (CloudErrorException e) when (!IsTransient(e) && e.Code != Code.Unauthenticated)
        {
            Profile.Store.MarkFailed(entry.ClientMessageId, entry.To, $"{e.Code}: {e.ServerMessage}");
            Complete(entry.ClientMessageId, waiter => waiter.TrySetException(e));
        }
    }

    private void Complete(Guid id, Action<TaskCompletionSource<long>> complete)
    {
        if (_waiters.TryRemove(id, out TaskCompletionSource<long>? waiter))
        {
            complete(waiter);
        }
    }

    private void FailWaiters(Exception e)
    {
        foreach (Guid id in _waiters.Keys)
        {
            Complete(id, waiter => waiter.TrySetException(e));
        }
    }

    // ---- Incoming --------------------------------------------------------------------------------------

    private async Task PumpAsync(Link link)
    {
        CloudClient client = link.Client;
        long unacknowledgedUpTo = 0;
        int unacknowledged = 0;
        await foreach (CloudEvent e in client.Events.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                switch (e)
                {
                    case MessageReceived message when !TryReceive(message):
                        // Not stored: acknowledging anything after it would delete it on the server (acknowledgements
                        // are cumulative). Drop the connection; the next one delivers again from this message.
                        await client.Connection.DisposeAsync().ConfigureAwait(false);
                        return;
                    case MessageReceived message:
                        unacknowledgedUpTo = message.ServerSequence;
                        unacknowledged++;
                        Interlocked.Increment(ref link.MessagesHandled);
                        // Acknowledged only once stored; in batches, but never leaving one waiting when no more are queued.
                        if (unacknowledged >= ClientEngineLimits.AckBatch || !client.Events.TryPeek(out _))
                        {
                            await client.AckAsync(unacknowledgedUpTo, _stop.Token).ConfigureAwait(false);
                            unacknowledged = 0;
                        }
                        break;
                    case PresenceUpdated presence:
                        Profile.Store.UpdatePresence(presence.User, presence.Status);
                        Publish(new ContactPresenceChanged(presence.User, presence.Status));
                        break;
                    case ContactRequested request:
                        Profile.Store.UpsertContact(request.From, ContactStatus.RequestReceived);
                        Publish(new ContactRequestArrived(request.From));
                        break;
                    case PreKeysRunningLow:
                        _ = TopUpPreKeysAsync(client);
                        break;
                    case CallSignalReceived signal:
                        Publish(new CallSignalArrived(signal));
                        break;
                    case ServerError error:
                        Publish(new EngineWarning($"the server is closing the connection: {error.Code} ({error.Message})"));
                        break;
                }
            }
            catch (Exception x) when (x is CloudConnectionClosedException or OperationCanceledException or TimeoutException or CloudErrorException)
            {
                // An acknowledgement lost with the connection: the server delivers the messages again, recognised here.
            }
            Interlocked.Increment(ref link.EventsHandled);
        }
    }

    /// <summary>Stores <paramref name="message"/>; false (and a warning) when the profile could not.</summary>
    private bool TryReceive(MessageReceived message)
    {
        try
        {
            Receive(message);
            return true;
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or ObjectDisposedException)
        {
            Publish(new EngineWarning($"an incoming message could not be stored ({e.GetType().Name}); it will be delivered again"));
            return false;
        }
    }

    private void Receive(MessageReceived message)
    {
        string from = message.From;
        if (Profile.Store.HasIncoming(from, message.ClientMessageId))
        {
            return; // a redelivery of what is stored: acknowledge again, nothing else
        }
        string? text;
        string? error = null;
        LocalMessageState state = LocalMessageState.Received;
        if (message.Private)
        {
            try
            {
                text = RequirePrivate().Decrypt(from, message.Body);
            }
            catch (SignalProtocolException e)
            {
                (text, state, error) = (null, LocalMessageState.Undecryptable, $"{e.Reason}: {e.Message}");
            }
        }
        else
        {
            text = Encoding.UTF8.GetString(message.Body);
        }
        if (Profile.Store.AddIncoming(from, message.ClientMessageId, message.ServerSequence, text, message.Private, message.SentAt, state, error)
            is { } stored)
        {
            Publish(new MessageArrived(stored));
        }
    }

    // ---- Prekeys ---------------------------------------------------------------------------------------

    private void OpenPrivateConversations() => _private = new PrivateConversations(Profile.SignalStore(out _));

    private PrivateConversations RequirePrivate() =>
        _private ?? throw new InvalidOperationException("The engine is not started: LoginAsync or StartAsync first.");

    private async Task UploadPreKeysAsync(CloudClient client, CancellationToken cancellationToken)
    {
        uint first = Profile.Store.ReserveIds(PreKeyCounter, ClientEngineLimits.OneTimePreKeyBatch);
        UploadPreKeys upload = RequirePrivate().BuildUpload(first, ClientEngineLimits.OneTimePreKeyBatch, _options.TimeProvider.GetUtcNow());
        try
        {
            await client.UploadPreKeysAsync(upload, cancellationToken).ConfigureAwait(false);
        }
        catch (CloudErrorException e) when (e.Code == Code.Conflict)
        {
            // The server's stock is full: nothing to add.
        }
    }

    private async Task TopUpPreKeysAsync(CloudClient client)
    {
        try
        {
            await UploadPreKeysAsync(client, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CloudErrorException or CloudConnectionClosedException or TimeoutException or OperationCanceledException)
        {
            Publish(new EngineWarning($"one-time prekeys not topped up: {e.GetType().Name}"));
        }
    }

    private static string NormalizePeer(string username)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        return username.Trim().ToLowerInvariant();
    }
}
