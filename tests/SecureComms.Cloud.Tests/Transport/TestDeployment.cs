using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using SecureComms.Client.Transport;
using SecureComms.Server.Tls;
using SecureComms.Server.Transport;

namespace SecureComms.Cloud.Tests.Transport;

/// <summary>A deployment in a temporary directory: <c>server init</c>'s files, without the listener.</summary>
internal sealed class TempDeployment : IDisposable
{
    public TempDeployment(params string[] extraNames)
    {
        Directory = Path.Combine(Path.GetTempPath(), "securecomms-test-" + Guid.NewGuid().ToString("N"));
        Files = new DeploymentFiles(Directory);
        Files.Initialize(extraNames, DateTimeOffset.UtcNow).Dispose();
    }

    public string Directory { get; }

    public DeploymentFiles Files { get; }

    public PinnedCa PinCa() => PinnedCa.FromPemFile(Files.CaCertificatePath);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }
}

/// <summary>
/// A running <see cref="CloudListener"/> on 127.0.0.1 and an ephemeral port, over a fresh deployment, with the
/// close reasons it reports; and clients for it (the real <see cref="CloudConnection"/> or a raw TLS stream).
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2 _certificate;
    private readonly ConcurrentQueue<ConnectionClosedEvent> _closed = new();
    private readonly SemaphoreSlim _closedSignal = new(0);

    private TestServer(CloudListenerOptions? options, IFrameHandler? handler)
    {
        Deployment = new TempDeployment();
        Ca = Deployment.PinCa();
        _certificate = Deployment.Files.LoadServerCertificate();
        var effective = (options ?? new CloudListenerOptions()) with
        {
            Log = static _ => { },
            ConnectionClosed = e =>
            {
                _closed.Enqueue(e);
                _closedSignal.Release();
            },
        };
        Listener = new CloudListener(_certificate, new IPEndPoint(IPAddress.Loopback, 0), handler, effective);
        Run = Listener.RunAsync(_stop.Token);
    }

    public static TestServer Start(CloudListenerOptions? options = null, IFrameHandler? handler = null) => new(options, handler);

    public TempDeployment Deployment { get; }

    public PinnedCa Ca { get; }

    public CloudListener Listener { get; }

    public Task Run { get; }

    public int Port => Listener.LocalEndPoint.Port;

    public IReadOnlyCollection<ConnectionClosedEvent> Closed => _closed.ToArray();

    public Task<CloudConnection> ConnectAsync(string? targetHost = null, CloudConnectionOptions? options = null) =>
        CloudConnection.ConnectAsync("127.0.0.1", Port, Ca, targetHost, options);

    /// <summary>A TLS 1.3 stream to the server with the pinned CA, for writing frames by hand.</summary>
    public Task<System.Net.Security.SslStream> ConnectRawAsync() =>
        CloudConnection.ConnectTlsAsync("127.0.0.1", Port, Ca, "127.0.0.1", TimeSpan.FromSeconds(5), CancellationToken.None);

    /// <summary>Waits until the server reports a connection closed for <paramref name="reason"/>.</summary>
    public async Task<ConnectionClosedEvent> WaitForCloseAsync(CloseReason reason, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(3));
        while (true)
        {
            if (_closed.FirstOrDefault(e => e.Reason == reason) is { } found)
            {
                return found;
            }
            try
            {
                await _closedSignal.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"No connection closed for {reason}; closed so far: {string.Join(", ", _closed.Select(e => e.Reason))}");
            }
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Run;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Listener.DisposeAsync();
        _certificate.Dispose();
        Ca.Dispose();
        Deployment.Dispose();
        _stop.Dispose();
    }
}
