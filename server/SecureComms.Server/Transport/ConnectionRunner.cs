using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using SecureComms.Cloud.Framing;
using SecureComms.Cloud.Proto;

namespace SecureComms.Server.Transport;

/// <summary>
/// Drives one accepted socket: TLS 1.3 handshake under a timeout, then a read loop (frames → parse → rate
/// limit → handler → queue) and a write loop (queue → frames), until the peer leaves, a bound is crossed or
/// the listener shuts down.
/// </summary>
/// <remarks>
/// References: <see cref="FrameReader"/> (frames), <see cref="TransportLimits"/> (bounds), RFC 8446 (TLS 1.3).
/// Errors: a frame that cannot be read in step (too large, empty, not a ClientFrame) is answered with an
/// <c>Error</c> pushed with <c>request_id</c> 0 and the connection is closed after the queue drains for at
/// most <see cref="CloudListenerOptions.CloseDrainTimeout"/>; a slow reader or a send timeout closes at once.
/// Hazards: no exception leaves <see cref="RunAsync"/>; every failure becomes a <see cref="CloseReason"/>,
/// logged with the exception's type only (messages can quote peer data).
/// </remarks>
internal static class ConnectionRunner
{
    /// <summary>Runs the connection to its end and disposes the socket. Never throws.</summary>
    internal static async Task RunAsync(Socket socket, Connection connection, SslServerAuthenticationOptions tls,
        IFrameHandler handler, CloudListenerOptions options)
    {
        CloseReason reason = CloseReason.InternalError;
        try
        {
            socket.NoDelay = true;
            await using var network = new NetworkStream(socket, ownsSocket: true);
            await using var ssl = new SslStream(network, leaveInnerStreamOpen: false);
            CloseReason? handshakeFailure = await HandshakeAsync(ssl, connection, tls, options).ConfigureAwait(false);
            if (handshakeFailure is { } failure)
            {
                connection.Close(failure);
            }
            else
            {
                using var stopWriter = new CancellationTokenSource();
                Task writer = WriteLoopAsync(ssl, connection, options, stopWriter.Token);
                CloseReason readEnd = await ReadLoopAsync(ssl, connection, handler, options).ConfigureAwait(false);
                connection.Close(readEnd);
                await FinishAsync(connection, writer, stopWriter, options).ConfigureAwait(false);
            }
            reason = connection.CloseReason ?? CloseReason.InternalError;
        }
        catch (Exception e)
        {
            connection.Close(CloseReason.InternalError);
            reason = connection.CloseReason ?? CloseReason.InternalError;
            options.Log($"[cloud] connection {connection.Id}: unexpected {e.GetType().Name}");
        }
        finally
        {
            Report(connection, reason, options);
        }
    }

    private static async Task<CloseReason?> HandshakeAsync(SslStream ssl, Connection connection,
        SslServerAuthenticationOptions tls, CloudListenerOptions options)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.Closing);
        timeout.CancelAfter(options.HandshakeTimeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(tls, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return connection.Closing.IsCancellationRequested ? connection.CloseReason : CloseReason.HandshakeTimeout;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException)
        {
            return CloseReason.HandshakeFailed;
        }
        // Defence in depth: the options allow TLS 1.3 only, so anything else is a configuration bug.
        if (ssl.SslProtocol != SslProtocols.Tls13)
        {
            return CloseReason.HandshakeFailed;
        }
        connection.Protocol = ssl.SslProtocol;
        return null;
    }

    /// <summary>Reads and answers frames until the connection must end; returns why.</summary>
    private static async Task<CloseReason> ReadLoopAsync(SslStream ssl, Connection connection, IFrameHandler handler,
        CloudListenerOptions options)
    {
        using var reader = new FrameReader(ssl, options.MaxFrameSizeInBytes);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(connection.Closing);
        var bucket = new TokenBucket(options.RequestBurst, options.RequestsPerSecond, options.TimeProvider);
        while (true)
        {
            FrameReadResult read;
            idle.CancelAfter(options.IdleTimeout);
            try
            {
                read = await reader.ReadAsync(idle.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return connection.CloseReason ?? CloseReason.IdleTimeout;
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                return connection.CloseReason ?? CloseReason.TransportError;
            }
            idle.CancelAfter(Timeout.InfiniteTimeSpan);

            if (read.Status == FrameReadStatus.EndOfStream)
            {
                return CloseReason.ClientClosed;
            }
            if (read.Status == FrameReadStatus.Refused)
            {
                return Refuse(connection, read.Error!);
            }
            if (!FrameMessages.TryParseClientFrame(read.Payload.Span, out ClientFrame request, out FrameError? malformed))
            {
                return Refuse(connection, malformed!);
            }
            ServerFrame response = await AnswerAsync(connection, handler, bucket, request, options).ConfigureAwait(false);
            if (!connection.TryEnqueue(response))
            {
                return connection.CloseReason ?? CloseReason.SlowReader;
            }
        }
    }

    /// <summary>Queues the error that explains a refused frame and returns the close reason.</summary>
    private static CloseReason Refuse(Connection connection, FrameError error)
    {
        (Code code, CloseReason reason) = error.Reason switch
        {
            FrameErrorReason.TooLarge => (Code.TooLarge, CloseReason.FrameTooLarge),
            FrameErrorReason.Truncated => (Code.BadRequest, CloseReason.TruncatedFrame),
            _ => (Code.BadRequest, CloseReason.MalformedFrame),
        };
        connection.EnqueueFinal(reason == CloseReason.TruncatedFrame ? null : ErrorFrames.Create(0, code, error.ToString()));
        return reason;
    }

    /// <summary>The response to one parsed request: rate limit, request id, then the handler.</summary>
    private static async ValueTask<ServerFrame> AnswerAsync(Connection connection, IFrameHandler handler, TokenBucket bucket,
        ClientFrame request, CloudListenerOptions options)
    {
        ulong id = request.RequestId;
        if (!bucket.TryTake())
        {
            return ErrorFrames.Create(id, Code.RateLimited,
                $"more than {options.RequestBurst} requests in a burst or {options.RequestsPerSecond} per second");
        }
        if (id == 0)
        {
            return ErrorFrames.Create(0, Code.BadRequest, "request_id 0 is reserved for server pushes");
        }
        ServerFrame response;
        try
        {
            response = await handler.HandleAsync(connection, request, connection.Closing).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (connection.Closing.IsCancellationRequested)
        {
            return ErrorFrames.Create(id, Code.Unavailable, "the connection is closing");
        }
        catch (Exception e)
        {
            options.Log($"[cloud] connection {connection.Id}: handler for {request.BodyCase} threw {e.GetType().Name}");
            return ErrorFrames.Create(id, Code.Internal, "internal error");
        }
        response.RequestId = id;
        int size = response.CalculateSize();
        if (size > FrameLimits.MaxFrameSizeInBytes)
        {
            options.Log($"[cloud] connection {connection.Id}: response to {request.BodyCase} is {size} bytes, over the frame limit");
            return ErrorFrames.Create(id, Code.Internal, "response too large");
        }
        return response;
    }

    /// <summary>Writes queued frames until the queue completes or <paramref name="stop"/> fires.</summary>
    private static async Task WriteLoopAsync(SslStream ssl, Connection connection, CloudListenerOptions options, CancellationToken stop)
    {
        using var send = CancellationTokenSource.CreateLinkedTokenSource(stop);
        try
        {
            while (await connection.Outgoing.WaitToReadAsync(stop).ConfigureAwait(false))
            {
                while (connection.Outgoing.TryRead(out ServerFrame? frame))
                {
                    send.CancelAfter(options.SendTimeout);
                    await FrameWriter.WriteAsync(ssl, frame, send.Token).ConfigureAwait(false);
                    send.CancelAfter(Timeout.InfiniteTimeSpan);
                }
            }
        }
        catch (OperationCanceledException)
        {
            connection.Close(stop.IsCancellationRequested ? CloseReason.InternalError : CloseReason.SendTimeout);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            connection.Close(CloseReason.TransportError);
        }
        catch (Exception e)
        {
            options.Log($"[cloud] connection {connection.Id}: writer failed with {e.GetType().Name}");
            connection.Close(CloseReason.InternalError);
        }
    }

    /// <summary>Lets the writer drain (orderly close) or stops it at once (the peer is not reading), then waits for it.</summary>
    private static async Task FinishAsync(Connection connection, Task writer, CancellationTokenSource stopWriter, CloudListenerOptions options)
    {
        if (connection.CloseReason == CloseReason.ServerShutdown)
        {
            connection.EnqueueFinal(ErrorFrames.Create(0, Code.Unavailable, "the server is shutting down"));
        }
        else
        {
            connection.EnqueueFinal(null);
        }
        bool drain = connection.CloseReason is not (CloseReason.SlowReader or CloseReason.SendTimeout or CloseReason.TransportError);
        if (drain)
        {
            stopWriter.CancelAfter(options.CloseDrainTimeout);
        }
        else
        {
            await stopWriter.CancelAsync().ConfigureAwait(false);
        }
        await writer.ConfigureAwait(false);
    }

    private static void Report(Connection connection, CloseReason reason, CloudListenerOptions options)
    {
        try
        {
            options.Log($"[cloud] connection {connection.Id} {connection.RemoteEndPoint} closed: {reason}");
            options.ConnectionClosed?.Invoke(new ConnectionClosedEvent(connection.Id, reason));
        }
        catch (Exception e)
        {
            // A failing sink must not take the listener down; there is nowhere left to report it.
            _ = e;
        }
    }
}
