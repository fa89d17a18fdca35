using System.Net;
using System.Security.Cryptography.X509Certificates;
using SecureComms.Crypto;
using SecureComms.Server.Accounts;
using SecureComms.Server.Storage;
using SecureComms.Server.Transport;

namespace SecureComms.Server.Services;

/// <summary>The parts of a <see cref="CloudServer"/> a caller may choose.</summary>
public sealed record CloudServerOptions
{
    /// <summary>The listener's bounds.</summary>
    public CloudListenerOptions Listener { get; init; } = new();

    /// <summary>The handlers' bounds.</summary>
    public ServiceOptions Services { get; init; } = new();

    /// <summary>Argon2id parameters for new verifiers (default <see cref="PasswordVerifier.DefaultParameters"/>).</summary>
    public Argon2idParameters? PasswordParameters { get; init; }

    /// <summary>The clock for the store and sessions.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>
/// The cloud service composed: the SQLite store, the account service, the handlers registered in one
/// <see cref="FrameDispatcher"/>, and the TLS 1.3 listener. What <c>securecomms server run</c> runs.
/// </summary>
/// <remarks>Lifecycle: the constructor opens (or creates) the store and binds the listener; <see cref="RunAsync"/>
/// serves until cancelled; <see cref="DisposeAsync"/> stops listening and closes the store (after RunAsync returned).
/// The certificate stays the caller's.</remarks>
public sealed class CloudServer : IAsyncDisposable
{
    private readonly SqliteServerStore _store;
    private readonly CloudListener _listener;

    /// <summary>Opens the store at <paramref name="databasePath"/> and binds <paramref name="endpoint"/>.</summary>
    public CloudServer(X509Certificate2 certificate, IPEndPoint endpoint, string databasePath, CloudServerOptions? options = null)
    {
        options ??= new CloudServerOptions();
        _store = SqliteServerStore.OpenOrCreate(databasePath, options.TimeProvider);
        try
        {
            var accounts = new AccountService(_store, new PasswordVerifier(options.PasswordParameters),
                new SignInThrottle(options.TimeProvider), options.TimeProvider);
            Hub = new PresenceHub(_store, options.Services.Log);
            var dispatcher = CreateDispatcher(_store, accounts, Hub, options.Services);
            _listener = new CloudListener(certificate, endpoint, dispatcher, options.Listener);
        }
        catch
        {
            _store.Dispose();
            throw;
        }
    }

    /// <summary>The bound address and port.</summary>
    public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>The store (tests inspect it).</summary>
    public IServerStore Store => _store;

    /// <summary>Who is online.</summary>
    public PresenceHub Hub { get; }

    /// <summary>Serves until <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => _listener.RunAsync(cancellationToken);

    /// <summary>Every handler of the service in one dispatcher (Ping included).</summary>
    internal static FrameDispatcher CreateDispatcher(IServerStore store, AccountService accounts, PresenceHub hub, ServiceOptions options)
    {
        FrameDispatcher dispatcher = FrameDispatcher.CreateDefault();
        var messages = new MessageHandlers(store, hub, options);
        new AccountHandlers(store, accounts, hub, messages, options).Register(dispatcher);
        new ContactHandlers(store, hub).Register(dispatcher);
        messages.Register(dispatcher);
        new PreKeyHandlers(store, hub, options).Register(dispatcher);
        new CallSignaling(store, hub, options).Register(dispatcher);
        return dispatcher;
    }

    /// <summary>Stops listening and closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync().ConfigureAwait(false);
        _store.Dispose();
    }
}
