using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using SecureComms.Client.Engine;
using SecureComms.Client.Local;
using SecureComms.Client.Transport;
using SecureComms.Cloud.Tests.Services;
using SecureComms.Cloud.Tests.Transport;
using SecureComms.Server.Services;
using SecureComms.Server.Storage;
using SecureComms.Server.Transport;

namespace SecureComms.Cloud.Tests.Client;

/// <summary>
/// A cloud server that can be stopped and started again on the same port and SQLite file (what a client sees as an
/// outage), and <see cref="ClientEngine"/>s over profile folders that outlive them.
/// </summary>
internal sealed class EngineFixture : IAsyncDisposable
{
    public const string Password = ServiceTestServer.Password;

    private readonly TempDeployment _deployment = new();
    private readonly X509Certificate2 _certificate;
    private readonly PinnedCa _ca;
    private readonly List<(ClientEngine Engine, ClientProfile Profile)> _engines = [];
    private CancellationTokenSource? _stop;
    private Task? _run;

    public EngineFixture()
    {
        _certificate = _deployment.Files.LoadServerCertificate();
        _ca = _deployment.PinCa();
        DatabasePath = Path.Combine(_deployment.Directory, "server.db");
        Port = FreePort();
        StartServer();
    }

    public string DatabasePath { get; }

    /// <summary>The deployment's CA certificate (what clients pin).</summary>
    public string CaPath => _deployment.Files.CaCertificatePath;

    public int Port { get; }

    public CloudServer? Server { get; private set; }

    public void StartServer()
    {
        _stop = new CancellationTokenSource();
        Server = new CloudServer(_certificate, new IPEndPoint(IPAddress.Loopback, Port), DatabasePath, new CloudServerOptions
        {
            Listener = new CloudListenerOptions { Log = static _ => { }, RequestBurst = 500, RequestsPerSecond = 500 },
            Services = new ServiceOptions { Log = static _ => { }, RegistrationBurst = 100 },
            PasswordParameters = ServiceTestServer.FastPasswords,
        });
        _run = Server.RunAsync(_stop.Token);
    }

    public async Task StopServerAsync()
    {
        await _stop!.CancelAsync();
        await _run!;
        await Server!.DisposeAsync();
        Server = null;
        _stop.Dispose();
    }

    /// <summary>A new profile folder path (created by <see cref="ClientProfile.Open"/>).</summary>
    public string NewProfileDirectory() => Path.Combine(_deployment.Directory, "profile-" + Guid.NewGuid().ToString("N"));

    /// <summary>An engine over the profile in <paramref name="directory"/>, not started.</summary>
    public ClientEngine Engine(string directory)
    {
        var profile = ClientProfile.Open(directory);
        var engine = new ClientEngine(profile, new ClientEngineOptions("127.0.0.1", Port, _ca)
        {
            ReconnectBaseDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        });
        _engines.Add((engine, profile));
        return engine;
    }

    /// <summary>Registers <paramref name="username"/> and returns its engine, signed in, and its profile folder.</summary>
    public async Task<(ClientEngine Engine, string Directory)> SignedInAsync(string username)
    {
        string directory = NewProfileDirectory();
        ClientEngine engine = Engine(directory);
        await engine.RegisterAsync(username, Password);
        await engine.LoginAsync(username, Password);
        return (engine, directory);
    }

    /// <summary>Stops <paramref name="engine"/> and closes its profile (so the folder can be opened again).</summary>
    public async Task CloseAsync(ClientEngine engine)
    {
        await engine.DisposeAsync();
        engine.Profile.Dispose();
        _engines.RemoveAll(e => e.Engine == engine);
    }

    public static async Task MakeContactsAsync(ClientEngine a, ClientEngine b)
    {
        await a.RequestContactAsync(b.Username!);
        await b.AcceptContactAsync(a.Username!);
    }

    /// <summary>Closes <paramref name="username"/>'s connections from the server side (a network failure as the client sees it).</summary>
    public async Task DropConnectionsAsync(string username)
    {
        Account account = (await Server!.Store.FindAccountAsync(username))!;
        foreach (ClientSession session in Server.Hub.SessionsOf(account.Id))
        {
            session.Connection.Close(CloseReason.TransportError);
        }
    }

    /// <summary>The messages the server still holds for <paramref name="username"/>.</summary>
    public async Task<int> StoredForAsync(string username)
    {
        Account account = (await Server!.Store.FindAccountAsync(username))!;
        return (await Server.Store.PendingForAsync(account.Id, 0, 1000)).Count;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach ((ClientEngine engine, ClientProfile profile) in _engines.ToArray())
        {
            await engine.DisposeAsync();
            profile.Dispose();
        }
        if (Server is not null)
        {
            await StopServerAsync();
        }
        _ca.Dispose();
        _certificate.Dispose();
        SqliteConnection.ClearAllPools();
        _deployment.Dispose();
    }
}

/// <summary>Waiting for engine events.</summary>
internal static class EngineWaits
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static Task<T> ExpectAsync<T>(this ClientEngine engine, Func<T, bool>? match = null)
        where T : EngineEvent => engine.Events.ExpectAsync(match, Timeout);
}
