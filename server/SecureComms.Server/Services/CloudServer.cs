using System.Net;
using System.Security.Cryptography.X509Certificates;
using SecureComms.Cloud.Certificates;
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

    /// <summary>The clock for the store, sessions, certificates and housekeeping.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The identity-certificate issuer (its key stays the caller's: dispose it after the server); null: this
    /// deployment issues no certificates and answers RequestCertificate <c>CODE_UNAVAILABLE</c>.</summary>
    public CertificateIssuer? Issuer { get; init; }
}

/// <summary>
/// The cloud service composed: the SQLite store, the account service, the handlers registered in one
/// <see cref="FrameDispatcher"/>, and the TLS 1.3 listener. What <c>securecomms server run</c> runs.
/// </summary>
/// <remarks>Lifecycle: the constructor opens (or creates) the store and binds the listener; <see cref="RunAsync"/>
/// serves, and runs the <see cref="Housekeeping"/> loop, until cancelled; <see cref="DisposeAsync"/> stops listening
/// and closes the store (after RunAsync returned). The TLS certificate and the issuer's key stay the caller's.</remarks>
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
            Hub = new PresenceHub(_store, options.Services.Log, options.TimeProvider);
            Housekeeping = new Housekeeping(_store, Hub, options.TimeProvider, options.Services);
            var dispatcher = CreateDispatcher(_store, accounts, Hub, options.Services, options.Issuer, options.TimeProvider);
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

    /// <summary>The periodic housekeeping (tests sweep by hand or wait for <see cref="Housekeeping.Swept"/>).</summary>
    internal Housekeeping Housekeeping { get; }

    /// <summary>Serves, with the housekeeping loop beside the listener, until <paramref name="cancellationToken"/> is
    /// cancelled; the loop stops with the listener.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stopHousekeeping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task housekeeping = Housekeeping.RunAsync(stopHousekeeping.Token);
        try
        {
            await _listener.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stopHousekeeping.CancelAsync().ConfigureAwait(false);
            await housekeeping.ConfigureAwait(false); // never throws
        }
    }

    /// <summary>Every handler of the service in one dispatcher (Ping included).</summary>
    internal static FrameDispatcher CreateDispatcher(IServerStore store, AccountService accounts, PresenceHub hub, ServiceOptions options,
        CertificateIssuer? issuer = null, TimeProvider? time = null)
    {
        FrameDispatcher dispatcher = FrameDispatcher.CreateDefault();
        var messages = new MessageHandlers(store, hub, options);
        new AccountHandlers(store, accounts, hub, messages, options).Register(dispatcher);
        new ContactHandlers(store, hub).Register(dispatcher);
        messages.Register(dispatcher);
        new PreKeyHandlers(store, hub, options).Register(dispatcher);
        new CallSignaling(store, hub, options).Register(dispatcher);
        new CertificateHandlers(store, hub, issuer, time ?? TimeProvider.System, options).Register(dispatcher);
        return dispatcher;
    }

    /// <summary>Stops listening and closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync().ConfigureAwait(false);
        _store.Dispose();
    }
}
