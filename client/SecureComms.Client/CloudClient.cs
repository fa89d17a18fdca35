using System.Collections.Concurrent;
using System.Threading.Channels;
using Google.Protobuf;
using SecureComms.Cloud.Proto;
using SecureComms.Client.Transport;

namespace SecureComms.Client;

/// <summary>
/// The client engine over one <see cref="CloudConnection"/>: a typed method per request (errors become
/// <see cref="CloudErrorException"/>), the server's pushes as <see cref="Events"/>, and an outbox
/// (<see cref="SendAsync"/>) that resends a message with the same id until the server accepts it.
/// </summary>
/// <remarks>
/// <para><b>Outbox.</b> A message keeps its <see cref="Guid"/> for every attempt, so a resend after a lost answer
/// is idempotent on the server. Transient failures (timeout, <c>CODE_RATE_LIMITED</c>, <c>CODE_UNAVAILABLE</c>,
/// <c>CODE_INTERNAL</c>) are retried with doubling delays (<see cref="RetryBaseDelay"/> up to
/// <see cref="RetryMaxDelay"/>); a refusal (forbidden, conflict, not found...) fails the send. When the
/// connection ends the message stays in <see cref="Outbox"/>: <see cref="ResendOutboxAsync"/> on a new client
/// sends it again, in the order the messages were first sent. Order hazard: with several SendAsync calls in flight on
/// one connection, a retried one (rate-limited, timed out) lands after later ones already accepted; a caller that needs
/// a conversation's order sends one at a time, as <see cref="Engine.ClientEngine"/> does.</para>
/// <para><b>Events.</b> One reader of <see cref="CloudConnection.Pushes"/> maps them to <see cref="CloudEvent"/>s on an
/// unbounded channel, completed when the connection ends.</para>
/// </remarks>
public sealed partial class CloudClient : IAsyncDisposable
{
    /// <summary>The first retry waits 100 ms...</summary>
    public static readonly TimeSpan RetryBaseDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>...doubling up to 5 s.</summary>
    public static readonly TimeSpan RetryMaxDelay = TimeSpan.FromSeconds(5);

    private readonly Channel<CloudEvent> _events = Channel.CreateUnbounded<CloudEvent>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly Task _pumpPushes;
    private readonly ConcurrentDictionary<Guid, long> _outboxOrder = new();
    private long _lastOutboxOrder;
    private long _pushesPumped;
    private long _eventsPublished;

    /// <summary>Wraps <paramref name="connection"/> (owned: disposed with the client).</summary>
    public CloudClient(CloudConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        _pumpPushes = Task.Run(PumpPushesAsync);
    }

    /// <summary>Connects (see <see cref="CloudConnection.ConnectAsync"/>).</summary>
    public static async Task<CloudClient> ConnectAsync(string host, int port, PinnedCa ca, string? targetHost = null,
        CloudConnectionOptions? options = null, CancellationToken cancellationToken = default) =>
        new(await CloudConnection.ConnectAsync(host, port, ca, targetHost, options, cancellationToken).ConfigureAwait(false));

    /// <summary>The connection.</summary>
    public CloudConnection Connection { get; }

    /// <summary>The pushed events, in arrival order.</summary>
    public ChannelReader<CloudEvent> Events => _events.Reader;

    /// <summary>Pushes of <see cref="CloudConnection.PushesReceived"/> mapped so far (published or ignored).</summary>
    internal long PushesPumped => Interlocked.Read(ref _pushesPumped);

    /// <summary>Events written to <see cref="Events"/> so far.</summary>
    internal long EventsPublished => Interlocked.Read(ref _eventsPublished);

    /// <summary>Messages sent and not yet accepted by the server, by id.</summary>
    public ConcurrentDictionary<Guid, SendMessage> Outbox { get; } = new();

    /// <summary>The signed-in user's name once <see cref="AuthenticateAsync"/> succeeded.</summary>
    public string? Username { get; private set; }

    // ---- Accounts --------------------------------------------------------------------------------------

    /// <summary>Creates an account.</summary>
    public Task RegisterAsync(string username, string password, CancellationToken cancellationToken = default) =>
        CallAsync(new ClientFrame { Register = new Register { Username = username, Password = password } }, ServerFrame.BodyOneofCase.Done, cancellationToken);

    /// <summary>Signs in (a session token) and authenticates this connection with it; the backlog follows as events.</summary>
    public async Task<SignedIn> SignInAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        ServerFrame answer = await CallAsync(new ClientFrame { SignIn = new SignIn { Username = username, Password = password } },
            ServerFrame.BodyOneofCase.SignedIn, cancellationToken).ConfigureAwait(false);
        await AuthenticateAsync(answer.SignedIn.Token, cancellationToken).ConfigureAwait(false);
        return answer.SignedIn;
    }

    /// <summary>Authenticates this connection with a session token.</summary>
    public async Task<Authenticated> AuthenticateAsync(string token, CancellationToken cancellationToken = default)
    {
        ServerFrame answer = await CallAsync(new ClientFrame { Authenticate = new Authenticate { Token = token } },
            ServerFrame.BodyOneofCase.Authenticated, cancellationToken).ConfigureAwait(false);
        Username = answer.Authenticated.Username;
        return answer.Authenticated;
    }

    /// <summary>Revokes the session; the connection is unauthenticated afterwards.</summary>
    public Task SignOutAsync(CancellationToken cancellationToken = default) =>
        CallAsync(new ClientFrame { SignOut = new SignOut() }, ServerFrame.BodyOneofCase.Done, cancellationToken);

    /// <summary>Changes the password; other sessions are revoked.</summary>
    public Task ChangePasswordAsync(string current, string replacement, CancellationToken cancellationToken = default) =>
        CallAsync(new ClientFrame { ChangePassword = new ChangePassword { CurrentPassword = current, NewPassword = replacement } },
            ServerFrame.BodyOneofCase.Done, cancellationToken);

    /// <summary>Looks a user up by name.</summary>
    public async Task<UserFound> FindUserAsync(string username, CancellationToken cancellationToken = default) =>
        (await CallAsync(new ClientFrame { FindUser = new FindUser { Username = username } }, ServerFrame.BodyOneofCase.UserFound, cancellationToken)
            .ConfigureAwait(false)).UserFound;

    // ---- Contacts and presence -------------------------------------------------------------------------

    /// <summary>Asks <paramref name="username"/> to become a contact; returns the list after.</summary>
    public Task<IReadOnlyList<ContactEntry>> RequestContactAsync(string username, CancellationToken cancellationToken = default) =>
        ContactsAsync(new ClientFrame { ContactRequest = new ContactRequest { Username = username } }, cancellationToken);

    /// <summary>Accepts <paramref name="username"/>'s request.</summary>
    public Task<IReadOnlyList<ContactEntry>> AcceptContactAsync(string username, CancellationToken cancellationToken = default) =>
        ContactsAsync(new ClientFrame { ContactAccept = new ContactAccept { Username = username } }, cancellationToken);

    /// <summary>Declines <paramref name="username"/>'s request.</summary>
    public Task<IReadOnlyList<ContactEntry>> DeclineContactAsync(string username, CancellationToken cancellationToken = default) =>
        ContactsAsync(new ClientFrame { ContactDecline = new ContactDecline { Username = username } }, cancellationToken);

    /// <summary>Blocks <paramref name="username"/>.</summary>
    public Task<IReadOnlyList<ContactEntry>> BlockContactAsync(string username, CancellationToken cancellationToken = default) =>
        ContactsAsync(new ClientFrame { ContactBlock = new ContactBlock { Username = username } }, cancellationToken);

    /// <summary>The contact list.</summary>
    public Task<IReadOnlyList<ContactEntry>> ListContactsAsync(CancellationToken cancellationToken = default) =>
        ContactsAsync(new ClientFrame { ListContacts = new ListContacts() }, cancellationToken);

    /// <summary>Sets this user's presence.</summary>
    public Task SetPresenceAsync(Presence status, CancellationToken cancellationToken = default) =>
        CallAsync(new ClientFrame { SetPresence = new SetPresence { Status = status } }, ServerFrame.BodyOneofCase.Done, cancellationToken);

    // ---- Messages --------------------------------------------------------------------------------------

    /// <summary>
    /// Sends a message through the outbox: resent with the same id until the server accepts it; returns the
    /// server's acknowledgement (the message is durable on the server).
    /// </summary>
    /// <exception cref="CloudErrorException">The server refused it (not a contact, id reused...); it leaves the outbox.</exception>
    /// <exception cref="CloudConnectionClosedException">The connection ended; the message stays in <see cref="Outbox"/>.</exception>
    public async Task<MessageAccepted> SendAsync(string to, ReadOnlyMemory<byte> body, bool isPrivate = false, Guid? clientMessageId = null,
        CancellationToken cancellationToken = default)
    {
        Guid id = clientMessageId ?? Guid.NewGuid();
        var message = new SendMessage
        {
            To = to,
            ClientMessageId = ByteString.CopyFrom(id.ToByteArray()),
            Body = ByteString.CopyFrom(body.Span),
            Private = isPrivate,
        };
        AddToOutbox(id, message, Interlocked.Increment(ref _lastOutboxOrder));
        return await DeliverAsync(id, message, cancellationToken).ConfigureAwait(false);
    }

    private void RemoveFromOutbox(Guid id)
    {
        Outbox.TryRemove(id, out _);
        _outboxOrder.TryRemove(id, out _);
    }

    private void AddToOutbox(Guid id, SendMessage message, long order)
    {
        _outboxOrder[id] = order;
        Outbox[id] = message;
    }

    /// <summary>Sends again every message left in <paramref name="previous"/>'s outbox (same ids), through this client.</summary>
    public async Task<IReadOnlyList<MessageAccepted>> ResendOutboxAsync(CloudClient previous, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var accepted = new List<MessageAccepted>();
        // In the order they were first sent: a conversation's messages must reach the server in order.
        foreach ((Guid id, SendMessage message) in previous.Outbox.ToArray().OrderBy(e => previous._outboxOrder.GetValueOrDefault(e.Key)))
        {
            AddToOutbox(id, message, Interlocked.Increment(ref _lastOutboxOrder));
            previous.RemoveFromOutbox(id);
            accepted.Add(await DeliverAsync(id, message, cancellationToken).ConfigureAwait(false));
        }
        return accepted;
    }

    private async Task<MessageAccepted> DeliverAsync(Guid id, SendMessage message, CancellationToken cancellationToken)
    {
        TimeSpan delay = RetryBaseDelay;
        while (true)
        {
            try
            {
                ServerFrame answer = await CallAsync(new ClientFrame { SendMessage = message.Clone() }, ServerFrame.BodyOneofCase.MessageAccepted,
                    cancellationToken).ConfigureAwait(false);
                RemoveFromOutbox(id);
                return answer.MessageAccepted;
            }
            catch (CloudErrorException e) when (e.Code is not (Code.RateLimited or Code.Unavailable or Code.Internal))
            {
                RemoveFromOutbox(id);
                throw;
            }
            catch (Exception e) when (e is CloudErrorException or TimeoutException && !Connection.Completion.IsCompleted)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, RetryMaxDelay.Ticks));
            }
        }
    }

    /// <summary>Acknowledges every message up to <paramref name="upToSequence"/>: the server deletes them.</summary>
    public Task AckAsync(long upToSequence, CancellationToken cancellationToken = default) =>
        CallAsync(new ClientFrame { AckMessages = new AckMessages { UpToSequence = upToSequence } }, ServerFrame.BodyOneofCase.Done, cancellationToken);

    // ---- Prekeys ---------------------------------------------------------------------------------------

    /// <summary>Publishes this device's keys.</summary>
    public async Task<PreKeysStored> UploadPreKeysAsync(UploadPreKeys upload, CancellationToken cancellationToken = default) =>
        (await CallAsync(new ClientFrame { UploadPreKeys = upload }, ServerFrame.BodyOneofCase.PreKeysStored, cancellationToken)
            .ConfigureAwait(false)).PreKeysStored;

    /// <summary>Fetches a contact's bundle (with at most one one-time prekey).</summary>
    public async Task<Bundle> FetchBundleAsync(string username, uint deviceId, CancellationToken cancellationToken = default) =>
        (await CallAsync(new ClientFrame { FetchBundle = new FetchBundle { Username = username, DeviceId = deviceId } },
            ServerFrame.BodyOneofCase.Bundle, cancellationToken).ConfigureAwait(false)).Bundle;

    // ---- Call signaling --------------------------------------------------------------------------------

    /// <summary>
    /// Sends a call signal about call <paramref name="callId"/> to <paramref name="peer"/> (an accepted contact);
    /// returns once the server relayed it. The other party's signals arrive as <see cref="CallSignalReceived"/> events.
    /// </summary>
    /// <exception cref="CloudErrorException">Refused: not a contact (forbidden), unknown call (not found), out of
    /// order (conflict), peer offline at invite (unavailable).</exception>
    public Task SignalCallAsync(Guid callId, string peer, CallSignal.Types.Kind kind, ReadOnlyMemory<byte> payload = default,
        CancellationToken cancellationToken = default) =>
        CallAsync(new ClientFrame
        {
            CallSignal = new CallSignal
            {
                CallId = ByteString.CopyFrom(callId.ToByteArray()),
                Peer = peer,
                Kind = kind,
                Payload = ByteString.CopyFrom(payload.Span),
            },
        }, ServerFrame.BodyOneofCase.Done, cancellationToken);

    // ---- Plumbing --------------------------------------------------------------------------------------

    private async Task<IReadOnlyList<ContactEntry>> ContactsAsync(ClientFrame request, CancellationToken cancellationToken) =>
        [.. (await CallAsync(request, ServerFrame.BodyOneofCase.Contacts, cancellationToken).ConfigureAwait(false)).Contacts.Contacts_];

    private async Task<ServerFrame> CallAsync(ClientFrame request, ServerFrame.BodyOneofCase expected, CancellationToken cancellationToken)
    {
        ServerFrame answer = await Connection.RequestAsync(request, cancellationToken).ConfigureAwait(false);
        if (answer.BodyCase == ServerFrame.BodyOneofCase.Error)
        {
            throw new CloudErrorException(answer.Error.Code, answer.Error.Message);
        }
        if (answer.BodyCase != expected)
        {
            throw new CloudErrorException(Code.Internal, $"expected {expected}, got {answer.BodyCase}");
        }
        return answer;
    }

    private async Task PumpPushesAsync()
    {
        try
        {
            await foreach (ServerFrame push in Connection.Pushes.ReadAllAsync().ConfigureAwait(false))
            {
                CloudEvent? e = push.BodyCase switch
                {
                    ServerFrame.BodyOneofCase.IncomingMessage => new MessageReceived(
                        push.IncomingMessage.From,
                        push.IncomingMessage.ClientMessageId.Length == 16 ? new Guid(push.IncomingMessage.ClientMessageId.Span) : Guid.Empty,
                        push.IncomingMessage.ServerSequence,
                        push.IncomingMessage.Body.ToByteArray(),
                        push.IncomingMessage.Private,
                        DateTimeOffset.FromUnixTimeMilliseconds(push.IncomingMessage.SentAtUnixMs)),
                    ServerFrame.BodyOneofCase.PresenceChanged => new PresenceUpdated(push.PresenceChanged.User, push.PresenceChanged.Status),
                    ServerFrame.BodyOneofCase.ContactRequestReceived => new ContactRequested(push.ContactRequestReceived.From),
                    ServerFrame.BodyOneofCase.PreKeysLow => new PreKeysRunningLow(push.PreKeysLow.DeviceId, push.PreKeysLow.Stock),
                    ServerFrame.BodyOneofCase.CallSignal => new CallSignalReceived(
                        push.CallSignal.CallId.Length == 16 ? new Guid(push.CallSignal.CallId.Span) : Guid.Empty,
                        push.CallSignal.Peer,
                        push.CallSignal.Kind,
                        push.CallSignal.Payload.ToByteArray()),
                    ServerFrame.BodyOneofCase.Error => new ServerError(push.Error.Code, push.Error.Message),
                    _ => null, // a push this client does not know
                };
                if (e is not null && _events.Writer.TryWrite(e))
                {
                    Interlocked.Increment(ref _eventsPublished);
                }
                Interlocked.Increment(ref _pushesPumped);
            }
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    /// <summary>Closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync().ConfigureAwait(false);
        await _pumpPushes.ConfigureAwait(false);
    }
}
