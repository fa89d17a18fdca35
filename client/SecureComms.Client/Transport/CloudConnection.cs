using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading.Channels;
using Google.Protobuf;
using SecureComms.Cloud.Framing;
using SecureComms.Cloud.Proto;

namespace SecureComms.Client.Transport;

/// <summary>
/// A connection to the cloud service: TCP, TLS 1.3 only, the server certificate checked against the pinned
/// deployment CA (<see cref="PinnedCa"/>) and the host name; then requests matched to responses by
/// <c>request_id</c>, and server pushes (<c>request_id</c> 0) delivered on <see cref="Pushes"/>.
/// </summary>
/// <remarks>
/// References: <c>Proto/cloud.proto</c> (envelopes), <see cref="FrameLimits"/> (frames), RFC 8446 (TLS 1.3).
/// Concurrency: <see cref="RequestAsync"/> may be called from several threads (writes are serialized); one
/// read loop completes the waiting requests.
/// Hazards: a malformed or oversized frame from the server ends the connection (<see cref="Completion"/>
/// faults with <see cref="FrameException"/>), failing every outstanding request with
/// <see cref="CloudConnectionClosedException"/>.
/// </remarks>
public sealed class CloudConnection : IAsyncDisposable
{
    private readonly SslStream _ssl;
    private readonly CloudConnectionOptions _options;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource<ServerFrame>> _pending = new();
    private readonly Channel<ServerFrame> _pushes;
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _readLoop;
    private long _pushesReceived;
    private long _lastRequestId;
    private Exception? _closedBecause;

    private CloudConnection(SslStream ssl, CloudConnectionOptions options)
    {
        _ssl = ssl;
        _options = options;
        _pushes = Channel.CreateBounded<ServerFrame>(new BoundedChannelOptions(options.PushQueueCapacity)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _readLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>The negotiated protocol: always <see cref="SslProtocols.Tls13"/>.</summary>
    public SslProtocols Protocol => _ssl.SslProtocol;

    /// <summary>Frames the server pushed (events; an <c>Error</c> that ends the connection). Completes when the
    /// connection ends.</summary>
    public ChannelReader<ServerFrame> Pushes => _pushes.Reader;

    /// <summary>Pushes read so far (counted before they are queued on <see cref="Pushes"/>): with a round trip, tells a
    /// consumer which pushes came before an answer.</summary>
    internal long PushesReceived => Interlocked.Read(ref _pushesReceived);

    /// <summary>Completes when the connection has ended: normally when the server closed it cleanly or it was
    /// disposed, faulted with the cause otherwise.</summary>
    public Task Completion => _readLoop;

    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/> and authenticates the server as
    /// <paramref name="targetHost"/> (default: <paramref name="host"/>; also sent as SNI when it is a name).
    /// </summary>
    /// <exception cref="AuthenticationException">TLS failed: not TLS 1.3, or the certificate is not from the pinned
    /// CA or not for <paramref name="targetHost"/>.</exception>
    /// <exception cref="SocketException">The TCP connection failed.</exception>
    /// <exception cref="TimeoutException">Not connected within <see cref="CloudConnectionOptions.ConnectTimeout"/>.</exception>
    public static async Task<CloudConnection> ConnectAsync(string host, int port, PinnedCa ca, string? targetHost = null,
        CloudConnectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new CloudConnectionOptions();
        SslStream ssl = await ConnectTlsAsync(host, port, ca, targetHost ?? host, options.ConnectTimeout, cancellationToken)
            .ConfigureAwait(false);
        return new CloudConnection(ssl, options);
    }

    /// <summary>The TLS stream alone (the tests' raw-frame client uses it): TCP connect and a TLS 1.3 handshake
    /// checked by <paramref name="ca"/>.</summary>
    internal static async Task<SslStream> ConnectTlsAsync(string host, int port, PinnedCa ca, string targetHost,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetHost);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        SslStream? ssl = null;
        try
        {
            await socket.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
            ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = targetHost,
                EnabledSslProtocols = SslProtocols.Tls13,
                RemoteCertificateValidationCallback = ca.Validate,
                CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                AllowRenegotiation = false,
            }, deadline.Token).ConfigureAwait(false);
            if (ssl.SslProtocol != SslProtocols.Tls13)
            {
                throw new AuthenticationException($"The server negotiated {ssl.SslProtocol}, not TLS 1.3.");
            }
            return ssl;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietlyAsync(ssl, socket).ConfigureAwait(false);
            throw new TimeoutException($"Not connected to {host}:{port} within {timeout}.");
        }
        catch
        {
            await DisposeQuietlyAsync(ssl, socket).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> with a fresh <c>request_id</c> (overwriting any it had) and returns the
    /// server's answer, which may be an <c>Error</c> (<see cref="ServerFrame.BodyCase"/>).
    /// </summary>
    /// <exception cref="CloudConnectionClosedException">The connection ended before the answer.</exception>
    /// <exception cref="TimeoutException">No answer within <see cref="CloudConnectionOptions.RequestTimeout"/>.</exception>
    /// <exception cref="FrameException">The request is larger than a frame.</exception>
    public async Task<ServerFrame> RequestAsync(ClientFrame request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfClosed();
        if (_pending.Count >= _options.MaxOutstandingRequests)
        {
            throw new InvalidOperationException($"More than {_options.MaxOutstandingRequests} requests outstanding.");
        }
        ulong id = (ulong)Interlocked.Increment(ref _lastRequestId);
        request.RequestId = id;
        var answer = new TaskCompletionSource<ServerFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                ThrowIfClosed();
                await FrameWriter.WriteAsync(_ssl, request, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
            return await answer.Task.WaitAsync(_options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new CloudConnectionClosedException("The connection failed while sending.", e);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Ping → Pong round trip; the payload comes back unchanged.</summary>
    /// <exception cref="CloudErrorException">The server answered with an error (for example RATE_LIMITED).</exception>
    public async Task<Pong> PingAsync(ReadOnlyMemory<byte> payload = default, CancellationToken cancellationToken = default)
    {
        ServerFrame answer = await RequestAsync(new ClientFrame { Ping = new Ping { Payload = ByteString.CopyFrom(payload.Span) } },
            cancellationToken).ConfigureAwait(false);
        return answer.BodyCase switch
        {
            ServerFrame.BodyOneofCase.Pong => answer.Pong,
            ServerFrame.BodyOneofCase.Error => throw new CloudErrorException(answer.Error.Code, answer.Error.Message),
            _ => throw new CloudErrorException(Code.Internal, $"unexpected answer to a ping: {answer.BodyCase}"),
        };
    }

    private async Task ReadLoopAsync()
    {
        Exception? failure = null;
        try
        {
            using var reader = new FrameReader(_ssl, _options.MaxFrameSizeInBytes);
            while (true)
            {
                FrameReadResult read = await reader.ReadAsync(_closing.Token).ConfigureAwait(false);
                if (read.Status == FrameReadStatus.EndOfStream)
                {
                    return;
                }
                if (read.Status == FrameReadStatus.Refused)
                {
                    throw new FrameException(read.Error!);
                }
                if (!FrameMessages.TryParseServerFrame(read.Payload.Span, out ServerFrame frame, out FrameError? malformed))
                {
                    throw new FrameException(malformed!);
                }
                if (frame.RequestId == 0)
                {
                    Interlocked.Increment(ref _pushesReceived);
                    await _pushes.Writer.WriteAsync(frame, _closing.Token).ConfigureAwait(false);
                }
                else if (_pending.TryGetValue(frame.RequestId, out TaskCompletionSource<ServerFrame>? waiting))
                {
                    waiting.TrySetResult(frame);
                }
                // Otherwise an answer that came after its request timed out: dropped.
            }
        }
        catch (Exception) when (_closing.IsCancellationRequested)
        {
            // Disposed: the stream was closed under the read.
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            Volatile.Write(ref _closedBecause, failure ?? (_closing.IsCancellationRequested
                ? new ObjectDisposedException(nameof(CloudConnection))
                : new IOException("The server closed the connection.")));
            _pushes.Writer.TryComplete();
            foreach (TaskCompletionSource<ServerFrame> waiting in _pending.Values)
            {
                waiting.TrySetException(new CloudConnectionClosedException("The connection ended before the answer.", failure));
            }
        }
    }

    private void ThrowIfClosed()
    {
        if (Volatile.Read(ref _closedBecause) is { } cause)
        {
            throw new CloudConnectionClosedException("The connection has ended.", cause);
        }
        ObjectDisposedException.ThrowIf(_closing.IsCancellationRequested, this);
    }

    private static async ValueTask DisposeQuietlyAsync(SslStream? ssl, Socket socket)
    {
        if (ssl is not null)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
        }
        socket.Dispose();
    }

    /// <summary>Closes the connection; outstanding requests fail with <see cref="CloudConnectionClosedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_closing.IsCancellationRequested)
        {
            return;
        }
        await _closing.CancelAsync().ConfigureAwait(false);
        await _ssl.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _readLoop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or FrameException or ObjectDisposedException or CloudConnectionClosedException or SocketException)
        {
            // The connection's end is reported by Completion; disposing does not rethrow it.
        }
        _writeLock.Dispose();
        _closing.Dispose();
    }
}

/// <summary>The connection ended (server closed it, network failure, malformed frame) before a request was answered.</summary>
public sealed class CloudConnectionClosedException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>The server answered a request with an <c>Error</c>.</summary>
public sealed class CloudErrorException(Code code, string serverMessage)
    : Exception($"The server refused the request: {code} ({serverMessage})")
{
    /// <summary>The error code.</summary>
    public Code Code { get; } = code;

    /// <summary>The server's diagnostic text.</summary>
    public string ServerMessage { get; } = serverMessage;
}
