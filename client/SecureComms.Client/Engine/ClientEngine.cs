using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading.Channels;
using SecureComms.Client.Local;
using SecureComms.Client.Transport;
using SecureComms.Cloud.Proto;

namespace SecureComms.Client.Engine;

/// <summary>
/// The client engine: one user's profile (<see cref="ClientProfile"/>) kept in step with the cloud service over a
/// connection that is re-established when it drops, what the CLI, the JSON-RPC mode and the demo drive.
/// </summary>
/// <remarks>
/// <para><b>Sign-in and resume.</b> <see cref="LoginAsync"/> signs in with the password, stores the session token in
/// the profile and uploads the device's prekeys; <see cref="StartAsync"/> resumes with the stored token (no password).
/// Either way the engine then supervises the connection: when it ends it reconnects with doubling delays
/// (<see cref="ClientEngineLimits.ReconnectBaseDelay"/> up to <see cref="ClientEngineLimits.ReconnectMaxDelay"/>),
/// authenticates with the token, receives the backlog, and sends the outbox again. A token the server refuses ends
/// the session (<see cref="SessionEnded"/>): the engine stops and the user must sign in again.</para>
/// <para><b>Nothing acknowledged is lost</b> (both ways): a message to send is in the profile's outbox before its first
/// attempt and leaves it only when the server accepted it as durable (resent with the same id until then, so the server
/// keeps one copy); an incoming message is committed to the profile before the server is acknowledged, and a redelivery
/// is recognised by (sender, id). See <c>ClientEngine.Messages.cs</c>.</para>
/// <para><b>Known limit.</b> A private message is decrypted (the Signal store commits the ratchet step) before the
/// profile stores its text: a crash between the two commits loses that message's text; its redelivery is then recorded
/// as undecryptable (the key was used).</para>
/// <para><b>Threads.</b> Methods may be called from any thread; events come out in order on <see cref="Events"/>.</para>
/// </remarks>
public sealed partial class ClientEngine : IAsyncDisposable
{
    private readonly ClientEngineOptions _options;
    private readonly Channel<EngineEvent> _events = Channel.CreateUnbounded<EngineEvent>(new UnboundedChannelOptions { SingleReader = false });
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource<Link> _link = NewLinkSource();
    private Task _supervisor = Task.CompletedTask;
    private Task _outbox = Task.CompletedTask;
    private PrivateConversations? _private;
    private bool _started;
    private volatile bool _sessionEnded;
    private CloudClient? _current;

    /// <summary>An engine for <paramref name="profile"/> (owned by the caller) and the server in <paramref name="options"/>.</summary>
    public ClientEngine(ClientProfile profile, ClientEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(options);
        Profile = profile;
        _options = options;
    }

    /// <summary>The profile.</summary>
    public ClientProfile Profile { get; }

    /// <summary>What happens, in order (unbounded: read it, or it grows).</summary>
    public ChannelReader<EngineEvent> Events => _events.Reader;

    /// <summary>The signed-in user, or null.</summary>
    public string? Username => Profile.Store.LoadSession()?.Username;

    /// <summary>Whether <see cref="LoginAsync"/> or <see cref="StartAsync"/> succeeded and the session goes on (not stopped,
    /// not ended by the server).</summary>
    public bool IsStarted => _started && !_sessionEnded && !_stop.IsCancellationRequested && !_supervisor.IsCompleted;

    /// <summary>Whether the engine is connected and authenticated now.</summary>
    public bool IsConnected => _link.Task.IsCompletedSuccessfully;

    // ---- Accounts --------------------------------------------------------------------------------------

    /// <summary>Creates an account (on a connection of its own; the engine need not be started).</summary>
    public async Task RegisterAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        await using CloudClient client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await client.RegisterAsync(username, password, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Signs in with the password, stores the session in the profile, uploads a signed prekey and
    /// <see cref="ClientEngineLimits.OneTimePreKeyBatch"/> one-time prekeys, and starts the engine.
    /// </summary>
    /// <exception cref="CloudErrorException">Refused: wrong name or password (one error for both), throttled.</exception>
    public async Task<LocalSession> LoginAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        ThrowIfStarted();
        CloudClient client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SignedIn signedIn = await client.SignInAsync(username, password, cancellationToken).ConfigureAwait(false);
            var session = new LocalSession(signedIn.Username, signedIn.Token, DateTimeOffset.FromUnixTimeMilliseconds(signedIn.ExpiresAtUnixMs));
            Profile.Store.SaveSession(session);
            OpenPrivateConversations();
            await UploadPreKeysAsync(client, cancellationToken).ConfigureAwait(false);
            Start(client);
            return session;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Resumes the stored session (no password) and starts the engine. With <paramref name="requireConnection"/> false, a
    /// server that cannot be reached now does not fail the start: the engine keeps trying in the background.
    /// </summary>
    /// <exception cref="SessionEndedException">No stored session, or the server refused it (expired, revoked).</exception>
    /// <exception cref="IOException">The server cannot be reached (and <paramref name="requireConnection"/>); also
    /// <see cref="SocketException"/>, <see cref="AuthenticationException"/>, <see cref="TimeoutException"/>.</exception>
    public async Task StartAsync(bool requireConnection = true, CancellationToken cancellationToken = default)
    {
        ThrowIfStarted();
        CloudClient? client = null;
        try
        {
            client = await ConnectAuthenticatedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!requireConnection && IsTransient(e))
        {
            // The supervisor connects when it can.
        }
        OpenPrivateConversations();
        Start(client);
    }

    /// <summary>Signs out: the server revokes the session, the profile forgets it, and the engine stops.</summary>
    public async Task LogoutAsync(CancellationToken cancellationToken = default)
    {
        CloudClient client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        await client.SignOutAsync(cancellationToken).ConfigureAwait(false);
        Profile.Store.ClearSession();
        await StopAsync().ConfigureAwait(false);
    }

    // ---- Contacts and presence -------------------------------------------------------------------------

    /// <summary>Asks <paramref name="username"/> to become a contact; returns the list after.</summary>
    public Task<IReadOnlyList<LocalContact>> RequestContactAsync(string username, CancellationToken cancellationToken = default) =>
        ContactsAsync((c, t) => c.RequestContactAsync(username, t), cancellationToken);

    /// <summary>Accepts <paramref name="username"/>'s request.</summary>
    public Task<IReadOnlyList<LocalContact>> AcceptContactAsync(string username, CancellationToken cancellationToken = default) =>
        ContactsAsync((c, t) => c.AcceptContactAsync(username, t), cancellationToken);

    /// <summary>Declines <paramref name="username"/>'s request.</summary>
    public Task<IReadOnlyList<LocalContact>> DeclineContactAsync(string username, CancellationToken cancellationToken = default) =>
        ContactsAsync((c, t) => c.DeclineContactAsync(username, t), cancellationToken);

    /// <summary>Blocks <paramref name="username"/>.</summary>
    public Task<IReadOnlyList<LocalContact>> BlockContactAsync(string username, CancellationToken cancellationToken = default) =>
        ContactsAsync((c, t) => c.BlockContactAsync(username, t), cancellationToken);

    /// <summary>The contact list from the server (the profile's copy is refreshed).</summary>
    public Task<IReadOnlyList<LocalContact>> ListContactsAsync(CancellationToken cancellationToken = default) =>
        ContactsAsync((c, t) => c.ListContactsAsync(t), cancellationToken);

    /// <summary>Sets this user's presence.</summary>
    public async Task SetPresenceAsync(Presence status, CancellationToken cancellationToken = default) =>
        await (await ClientAsync(cancellationToken).ConfigureAwait(false)).SetPresenceAsync(status, cancellationToken).ConfigureAwait(false);

    /// <summary>Sends a call signal (see <see cref="CloudClient.SignalCallAsync"/>).</summary>
    public async Task SignalCallAsync(Guid callId, string peer, CallSignal.Types.Kind kind, ReadOnlyMemory<byte> payload = default,
        CancellationToken cancellationToken = default) =>
        await (await ClientAsync(cancellationToken).ConfigureAwait(false)).SignalCallAsync(callId, peer, kind, payload, cancellationToken).ConfigureAwait(false);

    private async Task<IReadOnlyList<LocalContact>> ContactsAsync(
        Func<CloudClient, CancellationToken, Task<IReadOnlyList<ContactEntry>>> request, CancellationToken cancellationToken)
    {
        CloudClient client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        Profile.Store.ReplaceContacts(await request(client, cancellationToken).ConfigureAwait(false));
        return Profile.Store.Contacts();
    }

    // ---- Connection ------------------------------------------------------------------------------------

    /// <summary>The connection once connected and authenticated (waits through a reconnection).</summary>
    /// <exception cref="SessionEndedException">The session ended.</exception>
    /// <exception cref="InvalidOperationException">The engine was not started.</exception>
    private async Task<CloudClient> ClientAsync(CancellationToken cancellationToken) => (await LinkAsync(cancellationToken).ConfigureAwait(false)).Client;

    private Task<Link> LinkAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            throw new InvalidOperationException("The engine is not started: LoginAsync or StartAsync first.");
        }
        lock (_lock)
        {
            return _link.Task.WaitAsync(cancellationToken);
        }
    }

    private Task<CloudClient> ConnectAsync(CancellationToken cancellationToken) =>
        CloudClient.ConnectAsync(_options.Host, _options.Port, _options.Ca, _options.TargetHost, _options.Connection, cancellationToken);

    private async Task<CloudClient> ConnectAuthenticatedAsync(CancellationToken cancellationToken)
    {
        LocalSession session = Profile.Store.LoadSession() ?? throw new SessionEndedException("Not signed in: log in first.");
        CloudClient client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await client.AuthenticateAsync(session.Token, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch (CloudErrorException e) when (e.Code == Code.Unauthenticated)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw new SessionEndedException("The server no longer accepts this session (expired or revoked): log in again.");
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void Start(CloudClient? first)
    {
        lock (_lock)
        {
            if (_link.Task.IsFaulted)
            {
                _link = NewLinkSource(); // a session that ended before: signed in again
            }
        }
        _sessionEnded = false;
        _started = true;
        _supervisor = Task.Run(() => SuperviseAsync(first));
        _outbox = Task.Run(RunOutboxAsync);
    }

    private async Task SuperviseAsync(CloudClient? client)
    {
        try
        {
            await SuperviseCoreAsync(client).ConfigureAwait(false);
        }
        finally
        {
            // Stopping: the connection the loop holds (even one it never got to use) is closed here, whoever wins the
            // race between StopAsync and this loop.
            if (_current is { } last)
            {
                await last.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task SuperviseCoreAsync(CloudClient? client)
    {
        _current = client;
        TimeSpan delay = _options.ReconnectBaseDelay;
        while (!_stop.IsCancellationRequested)
        {
            if (client is null)
            {
                try
                {
                    _current = client = await ConnectAuthenticatedAsync(_stop.Token).ConfigureAwait(false);
                    delay = _options.ReconnectBaseDelay;
                }
                catch (SessionEndedException e)
                {
                    _sessionEnded = true;
                    Publish(new SessionEnded(e.Message));
                    lock (_lock)
                    {
                        _link.TrySetException(e);
                    }
                    return;
                }
                catch (Exception e) when (IsTransient(e) && !_stop.IsCancellationRequested)
                {
                    await DelayAsync(delay).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
                    continue;
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            var link = new Link(client);
            Publish(new ConnectionChanged(true)); // before the backlog's messages
            Task pump = PumpAsync(link);
            lock (_lock)
            {
                _link.TrySetResult(link);
            }
            _outboxSignal.Release();
            try
            {
                await pump.WaitAsync(_stop.Token).ConfigureAwait(false); // ends with the connection
            }
            catch (OperationCanceledException)
            {
                // Stopping: closing the connection below ends the pump.
            }
            lock (_lock)
            {
                _link = NewLinkSource();
            }
            await client.DisposeAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(false);
            _current = client = null;
            if (!_stop.IsCancellationRequested)
            {
                Publish(new ConnectionChanged(false));
            }
        }
    }

    private static bool IsTransient(Exception e) =>
        e is IOException or SocketException or TimeoutException or AuthenticationException or CloudConnectionClosedException
        || e is CloudErrorException { Code: Code.RateLimited or Code.Unavailable or Code.Internal };

    private async Task DelayAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _options.TimeProvider, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private void Publish(EngineEvent e) => _events.Writer.TryWrite(e);

    private void ThrowIfStarted()
    {
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        if (IsStarted)
        {
            throw new InvalidOperationException("The engine is started already.");
        }
    }

    private static TaskCompletionSource<Link> NewLinkSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        Link? link = null;
        lock (_lock)
        {
            if (_link.Task.IsCompletedSuccessfully)
            {
                link = _link.Task.Result;
            }
            _link.TrySetException(new ObjectDisposedException(nameof(ClientEngine)));
        }
        if (link is not null)
        {
            await link.Client.DisposeAsync().ConfigureAwait(false);
        }
        await Task.WhenAll(_supervisor, _outbox).ConfigureAwait(false);
        lock (_lock)
        {
            _link.TrySetException(new ObjectDisposedException(nameof(ClientEngine))); // the one a last reconnection made
        }
        FailWaiters(new ObjectDisposedException(nameof(ClientEngine)));
        _events.Writer.TryComplete();
    }

    /// <summary>Stops: closes the connection and ends <see cref="Events"/>. The profile stays open (the caller's).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One connection's state: the client and how far its pushes have been handled.</summary>
    private sealed class Link(CloudClient client)
    {
        public CloudClient Client { get; } = client;

        public long EventsHandled;

        public long MessagesHandled;
    }
}
