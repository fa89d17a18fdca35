using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using SecureComms.Client;
using SecureComms.Cloud.Certificates;
using SecureComms.Cloud.Tests.Transport;
using SecureComms.Crypto;
using SecureComms.Server.Services;
using SecureComms.Server.Transport;

namespace SecureComms.Cloud.Tests.Services;

/// <summary>
/// The whole service (<see cref="CloudServer"/>) on 127.0.0.1 over a temporary deployment, with its SQLite file in
/// the deployment directory; and signed-in <see cref="CloudClient"/>s for it.
/// </summary>
internal sealed class ServiceTestServer : IAsyncDisposable
{
    public const string Password = "correct horse battery staple";

    /// <summary>Cheap Argon2id for tests (the parameters are recorded in each verifier; the rules are the same).</summary>
    internal static readonly Argon2idParameters FastPasswords = new("test-fast", 1024, 1);

    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2 _certificate;
    private readonly List<CloudClient> _clients = [];
    private readonly Ed25519PrivateKey? _issuerKey;

    private ServiceTestServer(ServiceOptions? services, TimeProvider? time, bool issuer)
    {
        Deployment = new TempDeployment();
        _certificate = Deployment.Files.LoadServerCertificate();
        _issuerKey = issuer ? Deployment.Files.LoadIssuerKey() : null;
        DatabasePath = Path.Combine(Deployment.Directory, "server.db");
        Server = new CloudServer(_certificate, new IPEndPoint(IPAddress.Loopback, 0), DatabasePath, new CloudServerOptions
        {
            Listener = new CloudListenerOptions { Log = static _ => { }, RequestBurst = 200 },
            Services = (services ?? new ServiceOptions()) with { Log = static _ => { } },
            PasswordParameters = FastPasswords,
            TimeProvider = time ?? TimeProvider.System,
            Issuer = _issuerKey is null ? null : new CertificateIssuer(_issuerKey),
        });
        Run = Server.RunAsync(_stop.Token);
    }

    /// <summary>A server with the deployment's issuer key (unless <paramref name="issuer"/> is false) and, if given, a
    /// clock for the store, sessions, certificates and housekeeping.</summary>
    public static ServiceTestServer Start(ServiceOptions? services = null, TimeProvider? time = null, bool issuer = true) => new(services, time, issuer);

    public TempDeployment Deployment { get; }

    public string DatabasePath { get; }

    public CloudServer Server { get; }

    public Task Run { get; }

    /// <summary>A new connection, not signed in.</summary>
    public async Task<CloudClient> ConnectAsync()
    {
        using var ca = Deployment.PinCa();
        var client = await CloudClient.ConnectAsync("127.0.0.1", Server.LocalEndPoint.Port, ca);
        _clients.Add(client);
        return client;
    }

    /// <summary>Registers <paramref name="username"/> on a first connection.</summary>
    public async Task RegisterAsync(string username)
    {
        await using var client = await ConnectAsync();
        await client.RegisterAsync(username, Password);
    }

    /// <summary>A new connection signed in as <paramref name="username"/> (registered on the way if asked).</summary>
    public async Task<CloudClient> SignInAsync(string username, bool register = true)
    {
        if (register)
        {
            await RegisterAsync(username);
        }
        var client = await ConnectAsync();
        await client.SignInAsync(username, Password);
        return client;
    }

    /// <summary>Makes the two signed-in users accepted contacts.</summary>
    public static async Task MakeContactsAsync(CloudClient a, CloudClient b)
    {
        await a.RequestContactAsync(b.Username!);
        await b.AcceptContactAsync(a.Username!);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (CloudClient client in _clients)
        {
            await client.DisposeAsync();
        }
        await _stop.CancelAsync();
        await Run;
        await Server.DisposeAsync();
        _certificate.Dispose();
        _issuerKey?.Dispose();
        SqliteConnection.ClearAllPools();
        Deployment.Dispose();
        _stop.Dispose();
    }
}

/// <summary>Waiting for pushed events.</summary>
internal static class EventWaits
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>The next event of type <typeparamref name="T"/> matching <paramref name="match"/>; other events are skipped.</summary>
    public static Task<T> ExpectAsync<T>(this CloudClient client, Func<T, bool>? match = null)
        where T : CloudEvent => client.Events.ExpectAsync(match, Timeout);

    /// <summary>The next item of type <typeparamref name="T"/> from <paramref name="events"/> matching
    /// <paramref name="match"/> within <paramref name="timeout"/>; other items are skipped.</summary>
    public static async Task<T> ExpectAsync<TEvent, T>(this System.Threading.Channels.ChannelReader<TEvent> events, Func<T, bool>? match, TimeSpan timeout)
        where T : TEvent
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            TEvent e = await events.ReadAsync(deadline.Token);
            if (e is T typed && (match is null || match(typed)))
            {
                return typed;
            }
        }
    }

    /// <summary>The events that arrive within <paramref name="window"/>.</summary>
    public static async Task<List<CloudEvent>> DrainAsync(this CloudClient client, TimeSpan window)
    {
        var seen = new List<CloudEvent>();
        using var deadline = new CancellationTokenSource(window);
        try
        {
            while (true)
            {
                seen.Add(await client.Events.ReadAsync(deadline.Token));
            }
        }
        catch (OperationCanceledException)
        {
            return seen;
        }
    }
}
