using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace SecureComms.Server.Transport;

/// <summary>
/// The cloud service's listener: a real TCP socket, TLS 1.3 only (<see cref="SslStream"/>), the deployment's
/// server certificate, and one <see cref="ConnectionRunner"/> per connection up to
/// <see cref="CloudListenerOptions.MaxConnections"/>.
/// </summary>
/// <remarks>
/// References: RFC 8446 (TLS 1.3; no downgrade: <see cref="SslProtocols.Tls13"/> is the only protocol
/// enabled, so a TLS 1.2 ClientHello fails the handshake); the issue "Cloud service over TLS 1.3".
/// Lifecycle: the constructor binds and listens (so <see cref="LocalEndPoint"/> is known, port 0 included);
/// <see cref="RunAsync"/> accepts until its token is cancelled, then closes every connection (each is told
/// <c>CODE_UNAVAILABLE</c>) and waits up to <see cref="CloudListenerOptions.ShutdownTimeout"/>.
/// Hazards: no exception escapes a connection; the server certificate's private key stays in the
/// <see cref="X509Certificate2"/> the caller owns (dispose it after the listener).
/// </remarks>
public sealed class CloudListener : IAsyncDisposable
{
    private readonly TcpListener _tcp;
    private readonly SslServerAuthenticationOptions _tls;
    private readonly IFrameHandler _handler;
    private readonly CloudListenerOptions _options;
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private long _nextConnectionId;
    private int _activeConnections;
    private int _running;
    private int _disposed;

    /// <summary>Binds <paramref name="endpoint"/> and starts listening.</summary>
    /// <exception cref="SocketException">The endpoint cannot be bound (in use, not a local address).</exception>
    public CloudListener(X509Certificate2 serverCertificate, IPEndPoint endpoint, IFrameHandler? handler = null,
        CloudListenerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(serverCertificate);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!serverCertificate.HasPrivateKey)
        {
            throw new ArgumentException("The server certificate must carry its private key.", nameof(serverCertificate));
        }
        _options = options ?? new CloudListenerOptions();
        _options.Validate();
        _handler = handler ?? FrameDispatcher.CreateDefault();
        _tls = new SslServerAuthenticationOptions
        {
            EnabledSslProtocols = SslProtocols.Tls13,
            ServerCertificateContext = SslStreamCertificateContext.Create(serverCertificate, additionalCertificates: null, offline: true),
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            AllowRenegotiation = false,
        };
        _tcp = new TcpListener(endpoint);
        _tcp.Start();
    }

    /// <summary>The bound address and port.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_tcp.LocalEndpoint;

    /// <summary>Connections currently open (handshaking or running).</summary>
    public int ActiveConnections => Volatile.Read(ref _activeConnections);

    /// <summary>Accepts connections until <paramref name="cancellationToken"/> is cancelled, then shuts down.
    /// Returns when the listener is closed; never throws for a connection's failure.</summary>
    /// <exception cref="InvalidOperationException">Already running.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            throw new InvalidOperationException("The listener is already running.");
        }
        try
        {
            await AcceptLoopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _tcp.Stop();
            Task all = Task.WhenAll(_connections.Values);
            await Task.WhenAny(all, Task.Delay(_options.ShutdownTimeout, CancellationToken.None)).ConfigureAwait(false);
            if (!all.IsCompleted)
            {
                _options.Log($"[cloud] shutdown: {_connections.Count} connection(s) still closing after {_options.ShutdownTimeout}");
            }
        }
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _tcp.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (Volatile.Read(ref _disposed) != 0 && e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return; // Disposed under the accept.
            }
            catch (SocketException e)
            {
                // Out of descriptors, a connection reset while queued: log, breathe, go on accepting.
                _options.Log($"[cloud] accept failed: {e.SocketErrorCode}");
                await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None).ConfigureAwait(false);
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            Start(socket, cancellationToken);
        }
    }

    private void Start(Socket socket, CancellationToken shutdown)
    {
        long id = Interlocked.Increment(ref _nextConnectionId);
        if (Interlocked.Increment(ref _activeConnections) > _options.MaxConnections)
        {
            Interlocked.Decrement(ref _activeConnections);
            EndPoint? remote = SafeRemoteEndPoint(socket);
            socket.Dispose();
            _options.Log($"[cloud] connection {id} {remote} refused: {CloseReason.TooManyConnections}");
            try
            {
                _options.ConnectionClosed?.Invoke(new ConnectionClosedEvent(id, CloseReason.TooManyConnections));
            }
            catch (Exception e)
            {
                _ = e; // A failing sink must not stop the accept loop.
            }
            return;
        }
        var connection = new Connection(id, SafeRemoteEndPoint(socket), _options.OutgoingQueueCapacity, shutdown);
        // Registered before it starts, so that its own removal can never run first and leave a stale entry.
        var run = new Task<Task>(() => RunConnectionAsync(socket, connection));
        _connections.TryAdd(id, run.Unwrap());
        run.Start(TaskScheduler.Default);
    }

    private async Task RunConnectionAsync(Socket socket, Connection connection)
    {
        try
        {
            await ConnectionRunner.RunAsync(socket, connection, _tls, _handler, _options).ConfigureAwait(false);
        }
        finally
        {
            connection.Dispose();
            Interlocked.Decrement(ref _activeConnections);
            _connections.TryRemove(connection.Id, out _);
        }
    }

    private static EndPoint? SafeRemoteEndPoint(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return null;
        }
    }

    /// <summary>Stops listening (a running <see cref="RunAsync"/> is stopped by its token, not here).</summary>
    public ValueTask DisposeAsync()
    {
        Volatile.Write(ref _disposed, 1);
        _tcp.Stop();
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
